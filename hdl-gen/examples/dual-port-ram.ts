import { Bits, Bool, UInt, clog2, defineModule, input, output } from '../index.ts';

/** A simple dual-port RAM (one write port, one registered read port): Yosys maps it to block RAM. */
export const DualPortRam = defineModule({
  name: 'DualPortRam',
  io: (p: { width: number; depth: number }) => ({
    wr_en: input(Bool()),
    wr_addr: input(UInt(clog2(p.depth))),
    wr_data: input(Bits(p.width)),
    rd_en: input(Bool()),
    rd_addr: input(UInt(clog2(p.depth))),
    rd_data: output(Bits(p.width)),
  }),
  body: (m, io, p) => {
    const mem = m.memory('mem', { type: Bits(p.width), depth: p.depth });
    m.when(io.wr_en, () => mem.write(io.wr_addr, io.wr_data));
    io.rd_data.set(mem.readSync(io.rd_addr, { enable: io.rd_en }));
  },
});
