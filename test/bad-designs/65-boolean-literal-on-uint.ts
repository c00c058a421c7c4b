import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** Comparing a UInt with true. */
export const design = defineModule({
  name: 'BooleanLiteralOnUInt',
  io: () => ({ a: input(UInt(1)), y: output(UInt(1)) }),
  body: (_m, io) => {
    io.y.set(io.a.eq(true).asUInt()); // @eq
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/65-boolean-literal-on-uint.ts:8:19: error[type-error]: eq: a boolean literal needs a Bool operand, not UInt<1>',
  '  help: compare with a number literal instead',
].join('\n');
