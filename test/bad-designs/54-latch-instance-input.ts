import { Bool, UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

const Pass = defineModule({ name: 'Pass', io: () => ({ a: input(UInt(2)), y: output(UInt(2)) }), body: (_m, io) => io.y.set(io.a) });

/** An instance input assigned only under a condition. */
export const design = defineModule({
  name: 'LatchInstanceInput',
  io: () => ({ c: input(Bool()), d: input(UInt(2)), y: output(UInt(2)) }),
  body: (m, io) => {
    const u = m.instance('p', Pass, {}); // @inst
    m.when(io.c, () => u.io.a.set(io.d)); // @when
    io.y.set(u.io.y);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/54-latch-instance-input.ts:11:7: error[latch]: input 'a' of instance 'p' in module 'LatchInstanceInput' is assigned on only some paths of this when: it would infer a latch",
  "  test/bad-designs/54-latch-instance-input.ts:10:17: note: 'p_a' is declared here",
  "  help: give 'p_a' a default with .set(...) before the when, or assign it in an otherwise branch",
].join('\n');
