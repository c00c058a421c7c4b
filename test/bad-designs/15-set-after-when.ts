import { Bool, UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/**
 * An unconditional assignment after a when overrides it: both sites are named.
 * (Currently a spurious latch error for the dead when is reported as well.)
 */
export const design = defineModule({
  name: 'SetAfterWhen',
  io: () => ({ c: input(Bool()), y: output(UInt(8)) }),
  body: (m, io) => {
    m.when(io.c, () => io.y.set(1)); // @when
    io.y.set(2); // @after
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/15-set-after-when.ts:12:10: error[multiple-drivers]: 'y' is driven twice in the same block",
  '  test/bad-designs/15-set-after-when.ts:11:29: note: first driven here',
  '  help: keep one assignment, or make the later one conditional with m.when(...)',
].join('\n');
