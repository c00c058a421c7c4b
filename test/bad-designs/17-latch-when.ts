import { Bool, UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A wire assigned only inside a when, with no default: a latch. */
export const design = defineModule({
  name: 'LatchWhen',
  io: () => ({ en: input(Bool()), d: input(UInt(8)), q: output(UInt(8)) }),
  body: (m, io) => {
    const held = m.wire('held', UInt(8)); // @decl
    m.when(io.en, () => held.set(io.d)); // @when
    io.q.set(held);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/17-latch-when.ts:9:7: error[latch]: wire 'held' of module 'LatchWhen' is assigned on only some paths of this when: it would infer a latch",
  "  test/bad-designs/17-latch-when.ts:8:20: note: 'held' is declared here",
  "  help: give 'held' a default with .set(...) before the when, or assign it in an otherwise branch",
].join('\n');
