import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** Two unconditional assignments to the same output. */
export const design = defineModule({
  name: 'DrivenTwice',
  io: () => ({ a: input(UInt(8)), b: input(UInt(8)), y: output(UInt(8)) }),
  body: (_m, io) => {
    io.y.set(io.a); // @first
    io.y.set(io.b); // @second
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/14-driven-twice.ts:9:10: error[multiple-drivers]: 'y' is driven twice in the same block",
  '  test/bad-designs/14-driven-twice.ts:8:10: note: first driven here',
  '  help: keep one assignment, or make the later one conditional with m.when(...)',
].join('\n');
