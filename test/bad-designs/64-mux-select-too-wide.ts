import { UInt, defineModule, input, mux, output } from '../../hdl-gen/index.ts';

/** A mux select must be one bit. */
export const design = defineModule({
  name: 'MuxSelectTooWide',
  io: () => ({ s: input(UInt(2)), a: input(UInt(8)), y: output(UInt(8)) }),
  body: (_m, io) => {
    io.y.set(mux(io.s, io.a, 0)); // @mux
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/64-mux-select-too-wide.ts:8:14: error[width-mismatch]: mux: condition must be a Bool, got UInt<2>',
  '  help: reduce it to one bit, e.g. x.ne(0) or x.orR()',
].join('\n');
