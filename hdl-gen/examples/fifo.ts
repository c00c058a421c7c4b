import { Bits, Bool, UInt, clog2, defineModule, input, output } from '../index.ts';

/** A synchronous FIFO with valid/ready on both sides (depth a power of two, LUT-RAM storage). */
export const Fifo = defineModule({
  name: 'Fifo',
  io: (p: { width: number; depth: number }) => ({
    in_valid: input(Bool()),
    in_ready: output(Bool()),
    in_data: input(Bits(p.width)),
    out_valid: output(Bool()),
    out_ready: input(Bool()),
    out_data: output(Bits(p.width)),
    count: output(UInt(clog2(p.depth + 1))),
  }),
  body: (m, io, p) => {
    const aw = clog2(p.depth);
    const mem = m.memory('storage', { type: Bits(p.width), depth: p.depth });
    const wrPtr = m.reg('wr_ptr', UInt(aw), { init: 0 });
    const rdPtr = m.reg('rd_ptr', UInt(aw), { init: 0 });
    const count = m.reg('count_r', UInt(clog2(p.depth + 1)), { init: 0 });
    const full = m.let('full', count.eq(p.depth));
    const empty = m.let('empty', count.eq(0));
    const push = m.let('push', io.in_valid.and(full.not()));
    const pop = m.let('pop', io.out_ready.and(empty.not()));
    m.when(push, () => {
      mem.write(wrPtr, io.in_data);
      wrPtr.set(wrPtr.add(1));
    });
    m.when(pop, () => rdPtr.set(rdPtr.add(1)));
    m.when(push.and(pop.not()), () => count.set(count.add(1))).elsewhen(pop.and(push.not()), () => count.set(count.sub(1)));
    io.in_ready.set(full.not());
    io.out_valid.set(empty.not());
    io.out_data.set(mem.read(rdPtr));
    io.count.set(count);
  },
});
