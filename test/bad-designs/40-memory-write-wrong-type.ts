import { SInt, UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** Writing SInt<8> data into a UInt<8> memory. */
export const design = defineModule({
  name: 'MemoryWriteWrongType',
  io: () => ({ addr: input(UInt(2)), d: input(SInt(8)), q: output(UInt(8)) }),
  body: (m, io) => {
    const mem = m.memory('mem', { type: UInt(8), depth: 4 });
    mem.write(io.addr, io.d as never); // @write
    io.q.set(mem.read(io.addr));
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/40-memory-write-wrong-type.ts:9:9: error[width-mismatch]: memory 'mem' stores UInt<8>, written with SInt<8>",
  '  help: convert the data to the memory word type',
].join('\n');
