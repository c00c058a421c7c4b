import { Bits, Bool, defineModule, input, output } from '../../hdl-gen/index.ts';

/** Bits have no order. */
export const design = defineModule({
  name: 'OrderedCompareOnBits',
  io: () => ({ a: input(Bits(8)), b: input(Bits(8)), y: output(Bool()) }),
  body: (_m, io) => {
    io.y.set(io.a.lt(io.b)); // @lt
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/43-ordered-compare-on-bits.ts:8:19: error[type-error]: lt is not defined on Bits<8>',
  '  help: convert with asUInt() or asSInt() first',
].join('\n');
