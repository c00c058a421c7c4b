import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A 9-bit sum assigned to an 8-bit output: no silent truncation. */
export const design = defineModule({
  name: 'AssignWider',
  io: () => ({ a: input(UInt(8)), b: input(UInt(8)), y: output(UInt(8)) }),
  body: (_m, io) => {
    io.y.set(io.a.addExpand(io.b)); // @set
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/06-assign-wider.ts:8:10: error[width-mismatch]: cannot assign UInt<9> to UInt<8> (no silent truncation)',
  '  help: drop the extra bits explicitly with trunc(8) or resize(8)',
].join('\n');
