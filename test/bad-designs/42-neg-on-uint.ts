import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** neg is for SInt. (The help currently suggests "asBits() or asSInt()"; asBits() cannot help.) */
export const design = defineModule({
  name: 'NegOnUInt',
  io: () => ({ a: input(UInt(8)), y: output(UInt(8)) }),
  body: (_m, io) => {
    io.y.set(io.a.neg()); // @neg
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/42-neg-on-uint.ts:8:19: error[type-error]: neg is not defined on UInt<8>',
  '  help: convert with asSInt() first',
].join('\n');
