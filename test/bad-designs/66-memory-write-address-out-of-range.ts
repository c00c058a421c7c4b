import { UInt, defineModule, input, lit, output } from '../../hdl-gen/index.ts';

/** A write at constant address 3 of a 3-word memory. */
export const design = defineModule({
  name: 'MemoryWriteOutOfRange',
  io: () => ({ d: input(UInt(8)), a: input(UInt(2)), q: output(UInt(8)) }),
  body: (m, io) => {
    const mem = m.memory('mem', { type: UInt(8), depth: 3 });
    mem.write(lit(3, UInt(2)), io.d);
    io.q.set(mem.read(io.a));
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/66-memory-write-address-out-of-range.ts:9:9: error[width-mismatch]: memory 'mem' has 3 words: constant write address 3 is out of range",
  '  help: use an address from 0 to 2',
].join('\n');
