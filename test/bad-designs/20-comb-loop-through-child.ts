import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

const Incr = defineModule({
  name: 'Incr',
  io: () => ({ a: input(UInt(4)), y: output(UInt(4)) }),
  body: (_m, io) => io.y.set(io.a.add(1)),
});

/** The child's output feeds its own input through a combinational path inside the child. */
export const design = defineModule({
  name: 'CombLoopThroughChild',
  io: () => ({ y: output(UInt(4)) }),
  body: (m, io) => {
    const u = m.instance('inc', Incr, {}); // @inst
    u.io.a.set(u.io.y);
    io.y.set(u.io.y);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/20-comb-loop-through-child.ts:14:17: error[comb-loop]: combinational loop in module 'CombLoopThroughChild': inc_a -> inc_y -> inc_a",
  "  test/bad-designs/20-comb-loop-through-child.ts:14:17: note: 'inc_y' is part of the loop",
  '  help: break the loop with a register (m.reg / m.regNext), or compute the value from signals outside the loop',
].join('\n');
