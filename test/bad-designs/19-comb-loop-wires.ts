import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** a depends on b and b on a in the same cycle. */
export const design = defineModule({
  name: 'CombLoopWires',
  io: () => ({ x: input(UInt(4)), y: output(UInt(4)) }),
  body: (m, io) => {
    const a = m.wire('a', UInt(4)); // @a
    const b = m.wire('b', UInt(4)); // @b
    a.set(b.xor(io.x));
    b.set(a.add(1));
    io.y.set(b);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/19-comb-loop-wires.ts:8:17: error[comb-loop]: combinational loop in module 'CombLoopWires': a -> b -> a",
  "  test/bad-designs/19-comb-loop-wires.ts:9:17: note: 'b' is part of the loop",
  '  help: break the loop with a register (m.reg / m.regNext), or compute the value from signals outside the loop',
].join('\n');
