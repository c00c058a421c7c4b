import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A 16-word memory read with a 3-bit address. */
export const design = defineModule({
  name: 'MemoryAddressWidth',
  io: () => ({ addr: input(UInt(3)), q: output(UInt(8)) }),
  body: (m, io) => {
    const mem = m.memory('table', { type: UInt(8), depth: 16, init: [1, 2, 3] });
    io.q.set(mem.read(io.addr)); // @read
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/27-memory-address-width.ts:9:18: error[width-mismatch]: memory 'table' (depth 16) needs a UInt<4> address, got UInt<3>",
  '  help: resize the address to 4 bits',
].join('\n');
