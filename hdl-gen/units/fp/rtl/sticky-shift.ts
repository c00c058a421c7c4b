import { Bool, UInt, defineModule, input, lit, mux, output, type ModuleBuilder, type Sig } from '../../../index.ts';

/**
 * Logical right shift that remembers what fell off: `y = x >> amount`, `sticky` = OR of the bits
 * shifted out. A log shifter: one 2:1 mux level per amount bit below log2(width); every higher
 * amount bit means "shift everything out" (y = 0, sticky = OR of x).
 */
export const StickyShiftRight = defineModule({
  name: 'StickyShiftRight',
  io: (p: { width: number; amountWidth: number }) => ({
    x: input(UInt(p.width)),
    amount: input(UInt(p.amountWidth)),
    y: output(UInt(p.width)),
    sticky: output(Bool()),
  }),
  moduleName: (p) => `StickyShiftRight_w${p.width}_a${p.amountWidth}`,
  body: (m, io, p) => {
    let cur: Sig<'uint'> = io.x;
    let sticky: Sig<'bool'> = lit(false, Bool());
    let level = 0;
    for (; level < p.amountWidth && 2 ** level < p.width; level++) {
      const s = 2 ** level;
      const on = io.amount.bit(level);
      const lost = cur.slice(s - 1, 0).orR();
      sticky = m.let(`sticky_${level}`, level === 0 ? on.and(lost) : sticky.or(on.and(lost)));
      cur = m.let(`shifted_${level}`, mux(on, cur.shr(s), cur));
    }
    if (level < p.amountWidth) {
      const all = m.let('shift_all', io.amount.slice(p.amountWidth - 1, level).orR());
      sticky = sticky.or(all.and(cur.orR()));
      cur = mux(all, lit(0, UInt(p.width)), cur);
    }
    io.y.set(cur);
    io.sticky.set(sticky);
  },
});

/** Instantiates a StickyShiftRight named `name`. */
export function stickyShiftRight(m: ModuleBuilder, name: string, x: Sig<'uint'>, amount: Sig<'uint'>): { y: Sig<'uint'>; sticky: Sig<'bool'> } {
  const u = m.instance(name, StickyShiftRight, { width: x.width, amountWidth: amount.width });
  u.io.x.set(x);
  u.io.amount.set(amount);
  return { y: u.io.y, sticky: u.io.sticky };
}
