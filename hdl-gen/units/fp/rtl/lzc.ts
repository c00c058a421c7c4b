import { UInt, cat, clog2, defineModule, input, lit, mux, output, type ModuleBuilder, type Sig } from '../../../index.ts';

/** Width of a leading-zero count of a `width`-bit value: it holds 0..width. */
export function lzcWidth(width: number): number {
  return clog2(width + 1);
}

/**
 * Leading-zero count: `count` = number of zeros above the most significant 1 of `x`, and `width`
 * when x is 0. A balanced tree (log2 levels of 2:1 muxes): the input is padded below its LSB with
 * a 1 and zeros up to a power of two, so the tree never sees an all-zero word and the all-zero
 * input counts exactly `width`.
 */
export const Lzc = defineModule({
  name: 'Lzc',
  io: (p: { width: number }) => ({
    x: input(UInt(p.width)),
    count: output(UInt(lzcWidth(p.width))),
  }),
  moduleName: (p) => `Lzc_w${p.width}`,
  body: (m, io, p) => {
    const k = lzcWidth(p.width);
    const pad = 2 ** k - p.width - 1;
    const marker = lit(1, UInt(1));
    const word = pad > 0 ? cat(io.x, marker, lit(0, UInt(pad))) : cat(io.x, marker);
    io.count.set(lzcTree(m, word, 'lz'));
  },
});

/** Count of a 2^k-bit word known to be non-zero, as k bits (k >= 1). */
function lzcTree(m: ModuleBuilder, x: Sig<'uint'>, name: string): Sig<'uint'> {
  return node(m, x, name).count;
}

function node(m: ModuleBuilder, x: Sig<'uint'>, name: string): { count: Sig<'uint'>; zero: Sig<'bool'> } {
  const w = x.width;
  if (w === 2) {
    return { count: x.bit(1).not().asUInt(), zero: x.orR().not() };
  }
  const half = w / 2;
  const hi = node(m, x.slice(w - 1, half), `${name}h`);
  const lo = node(m, x.slice(half - 1, 0), `${name}l`);
  const one = lit(1, UInt(1));
  const zero = lit(0, UInt(1));
  const count = m.let(`${name}_n`, mux(hi.zero, cat(one, lo.count), cat(zero, hi.count)));
  return { count, zero: hi.zero.and(lo.zero) };
}

/** Instantiates an Lzc for `x` as `name` and returns its count (lzcWidth(x.width) bits). */
export function leadingZeros(m: ModuleBuilder, name: string, x: Sig<'uint'>): Sig<'uint'> {
  const u = m.instance(name, Lzc, { width: x.width });
  u.io.x.set(x);
  return u.io.count;
}
