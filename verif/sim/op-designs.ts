import { Bool, Sig, UInt, cat, defineModule, input, mux, output } from '../../hdl-gen/index.ts';
import type { SeededRandom } from '../random.ts';

/**
 * A module per width `w` with one output per IR operator (each a single operator node directly
 * over the inputs a, b: UInt<w>, c: Bool, s: UInt<8>, sb: UInt<40>), for directed tests of the
 * simulator against evalOp and of the printed SV against the simulator. Static shifts use amounts
 * 0, 1, 2, w-1, w, w+3; slices straddle the 32- and 64-bit boundaries.
 */
export type Ops = Record<string, { width: (w: number) => number; build: (a: Sig<'uint'>, b: Sig<'uint'>, c: Sig<'bool'>, s: Sig<'uint'>, sb: Sig<'uint'>) => Sig }>;

export function opsFor(w: number): Ops {
  const same = (w2: number) => w2;
  const one = () => 1;
  const ops: Ops = {
    and: { width: same, build: (a, b) => a.and(b) },
    or: { width: same, build: (a, b) => a.or(b) },
    xor: { width: same, build: (a, b) => a.xor(b) },
    not: { width: same, build: (a) => a.not() },
    add: { width: same, build: (a, b) => a.add(b) },
    sub: { width: same, build: (a, b) => a.sub(b) },
    mul: { width: same, build: (a, b) => a.mul(b) },
    neg: { width: same, build: (a) => a.asSInt().neg().asUInt() },
    eq: { width: one, build: (a, b) => a.eq(b) },
    ne: { width: one, build: (a, b) => a.ne(b) },
    ltu: { width: one, build: (a, b) => a.lt(b) },
    leu: { width: one, build: (a, b) => a.le(b) },
    gtu: { width: one, build: (a, b) => a.gt(b) },
    geu: { width: one, build: (a, b) => a.ge(b) },
    lts: { width: one, build: (a, b) => a.asSInt().lt(b.asSInt()) },
    les: { width: one, build: (a, b) => a.asSInt().le(b.asSInt()) },
    gts: { width: one, build: (a, b) => a.asSInt().gt(b.asSInt()) },
    ges: { width: one, build: (a, b) => a.asSInt().ge(b.asSInt()) },
    dshl: { width: same, build: (a, _b, _c, s) => a.shl(s) },
    dshru: { width: same, build: (a, _b, _c, s) => a.shr(s) },
    dshrs: { width: same, build: (a, _b, _c, s) => a.asSInt().shr(s).asUInt() },
    dshlb: { width: same, build: (a, _b, _c, _s, sb) => a.shl(sb) },
    dshrub: { width: same, build: (a, _b, _c, _s, sb) => a.shr(sb) },
    dshrsb: { width: same, build: (a, _b, _c, _s, sb) => a.asSInt().shr(sb).asUInt() },
    andr: { width: one, build: (a) => a.andR() },
    orr: { width: one, build: (a) => a.orR() },
    xorr: { width: one, build: (a) => a.xorR() },
    mux: { width: same, build: (a, b, c) => mux(c, a, b) },
    cat2: { width: (x) => 2 * x, build: (a, b) => cat(a, b) },
    cat3: { width: (x) => 2 * x + 1, build: (a, b, c) => cat(a, c, b) },
    catc: { width: (x) => x + 1, build: (a, _b, c) => cat(c, a) },
    zext1: { width: (x) => x + 1, build: (a) => a.zext(w + 1) },
    zext40: { width: (x) => x + 40, build: (a) => a.zext(w + 40) },
    sext1: { width: (x) => x + 1, build: (a) => a.asSInt().sext(w + 1).asUInt() },
    sext40: { width: (x) => x + 40, build: (a) => a.asSInt().sext(w + 40).asUInt() },
    sext2w: { width: (x) => 2 * x, build: (a) => a.asSInt().sext(2 * w).asUInt() },
  };
  for (const k of new Set([0, 1, 2, w - 1, w, w + 3].filter((x) => x >= 0))) {
    ops[`shl_${k}`] = { width: same, build: (a) => a.shl(k) };
    ops[`shru_${k}`] = { width: same, build: (a) => a.shr(k) };
    ops[`shrs_${k}`] = { width: same, build: (a) => a.asSInt().shr(k).asUInt() };
  }
  const slices: [number, number][] = [
    [w - 1, Math.min(1, w - 1)],
    [Math.min(w - 1, 31), 0],
    [Math.min(w - 1, 32), Math.min(w - 1, 1)],
    [w - 1, w - 1],
    [Math.min(w - 1, 70), Math.min(w - 1, 37)],
    [Math.min(w - 1, 63), Math.min(w - 1, 32)],
  ];
  slices.forEach(([hi, lo], i) => {
    if (hi - lo + 1 === w) return; // the full slice is the operand itself
    ops[`slice${i}`] = { width: () => hi - lo + 1, build: (a) => a.slice(hi, lo) };
  });
  return ops;
}

export function opsModule(w: number) {
  const ops = opsFor(w);
  return defineModule({
    name: `Ops${w}`,
    io: () => {
      const io: Record<string, ReturnType<typeof input>> = { a: input(UInt(w)), b: input(UInt(w)), c: input(Bool()), s: input(UInt(8)), sb: input(UInt(40)) };
      for (const [k, o] of Object.entries(ops)) io[`o_${k}`] = output(UInt(o.width(w)));
      return io;
    },
    body: (_m, io) => {
      const v = io as unknown as Record<string, Sig<'uint'> & { set(x: Sig): void }>;
      for (const [k, o] of Object.entries(ops)) v[`o_${k}`].set(o.build(v.a, v.b, v.c as unknown as Sig<'bool'>, v.s, v.sb).asUInt());
    },
  });
}

/** Operand values that probe carries, signs and masks: 0..3, all ones, the sign bit and its neighbours, patterns, random. */
export function edgeValues(w: number, rng: SeededRandom): bigint[] {
  const W = BigInt(w);
  const max = (1n << W) - 1n;
  const sign = 1n << (W - 1n);
  const vs = [0n, 1n, 2n, 3n, max, max - 1n, sign, sign - 1n, sign + 1n, 0x5555_5555_5555_5555_5555_5555_5555_5555_5n & max, rng.bits(w), rng.bits(w), rng.bits(w)];
  return [...new Set(vs.filter((v) => v >= 0n && v <= max))];
}

/** Dynamic shift amounts around the operand width for the 8-bit `s` and the 40-bit `sb` inputs. */
export function shiftAmounts(w: number): { s: bigint[]; sb: bigint[] } {
  return {
    s: [0n, 1n, BigInt(Math.max(0, w - 1)), BigInt(w), BigInt(w + 1), 255n].filter((x) => x < 256n),
    sb: [0n, BigInt(w - 1), BigInt(w), BigInt(w + 1), (1n << 40n) - 1n, 1n << 33n, 1n << 32n],
  };
}
