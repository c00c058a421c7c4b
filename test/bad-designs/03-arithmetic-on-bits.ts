import { Bits, defineModule, input, output } from '../../hdl-gen/index.ts';

/** Bits have no arithmetic. */
export const design = defineModule({
  name: 'ArithmeticOnBits',
  io: () => ({ b: input(Bits(8)), y: output(Bits(8)) }),
  body: (_m, io) => {
    io.y.set(io.b.add(1)); // @add
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/03-arithmetic-on-bits.ts:8:19: error[type-error]: add is not defined on Bits<8>',
  '  help: convert with asUInt() or asSInt() first',
].join('\n');
