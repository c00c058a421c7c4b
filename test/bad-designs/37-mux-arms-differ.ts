import { Bool, UInt, defineModule, input, mux, output } from '../../hdl-gen/index.ts';

/** mux arms of different widths. */
export const design = defineModule({
  name: 'MuxArmsDiffer',
  io: () => ({ c: input(Bool()), a: input(UInt(8)), b: input(UInt(4)), y: output(UInt(8)) }),
  body: (_m, io) => {
    io.y.set(mux(io.c, io.a, io.b)); // @mux
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/37-mux-arms-differ.ts:8:14: error[width-mismatch]: mux arms have different types, UInt<8> and UInt<4>',
  '  help: convert one arm so both have the same kind and width',
].join('\n');
