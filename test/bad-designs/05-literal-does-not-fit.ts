import { SInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** -129 does not fit SInt<8>. */
export const design = defineModule({
  name: 'LiteralDoesNotFit',
  io: () => ({ s: input(SInt(8)), y: output(SInt(8)) }),
  body: (_m, io) => {
    io.y.set(io.s.add(-129)); // @lit
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/05-literal-does-not-fit.ts:8:19: error[width-mismatch]: literal -129 does not fit SInt<8>',
  '  help: use a wider type, or a value in range for SInt<8>',
].join('\n');
