import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A memory that is written but never read. */
export const design = defineModule({
  name: 'MemoryNeverRead',
  io: () => ({ addr: input(UInt(2)), d: input(UInt(8)), y: output(UInt(8)) }),
  body: (m, io) => {
    const mem = m.memory('scratch', { type: UInt(8), depth: 4 }); // @mem
    mem.write(io.addr, io.d);
    io.y.set(io.d);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/53-memory-never-read.ts:8:19: error[undriven]: memory 'scratch' of module 'MemoryNeverRead' is never read",
  '  help: add a read port (read or readSync), or remove the memory',
].join('\n');
