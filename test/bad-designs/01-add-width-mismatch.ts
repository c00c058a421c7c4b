import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** Operands of a binary operator must have the same width: no implicit extension. */
export const design = defineModule({
  name: 'AddWidthMismatch',
  io: () => ({ a: input(UInt(8)), b: input(UInt(4)), y: output(UInt(8)) }),
  body: (_m, io) => {
    io.y.set(io.a.add(io.b)); // @add
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/01-add-width-mismatch.ts:8:19: error[width-mismatch]: add: operand widths differ, UInt<8> and UInt<4> (no implicit extension)',
  '  help: make both 8 bits with zext()/sext()/resize(), or drop bits with trunc()',
].join('\n');
