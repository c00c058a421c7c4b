import { UInt, cat, defineModule, output } from '../../hdl-gen/index.ts';

/** cat() of nothing. */
export const design = defineModule({
  name: 'CatWithoutOperands',
  io: () => ({ y: output(UInt(1)) }),
  body: (_m, io) => {
    const parts: never[] = [];
    io.y.set(cat(...parts)); // @cat
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/59-cat-without-operands.ts:9:14: error[api-misuse]: cat() needs at least one operand',
  '  help: pass the values to concatenate, most significant first',
].join('\n');
