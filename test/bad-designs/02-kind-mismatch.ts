import { SInt, UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** UInt and SInt operands do not mix: convert one side explicitly. */
export const design = defineModule({
  name: 'KindMismatch',
  io: () => ({ a: input(UInt(8)), s: input(SInt(8)), y: output(UInt(8)) }),
  body: (_m, io) => {
    io.y.set(io.a.xor(io.s)); // @xor
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/02-kind-mismatch.ts:8:19: error[type-error]: xor: operands have different kinds, UInt<8> and SInt<8>',
  '  help: convert one side explicitly with asUInt(), asSInt(), asBits() or asBool()',
].join('\n');
