import { f16_add } from '../../hdl-gen/units/fp/golden/add.ts';
import { f16_mul } from '../../hdl-gen/units/fp/golden/mul.ts';
import { f16_to_f32 } from '../../hdl-gen/units/fp/golden/convert.ts';
import { mac_f16_f32 } from '../../hdl-gen/units/fp/golden/mac.ts';
import { decodeWord } from '../../hdl-gen/units/puzzlemoe/golden/format.ts';
import { draftMac } from '../../hdl-gen/units/speq/golden/arith.ts';
import { draftValueToFp16, type DraftValue } from '../../hdl-gen/units/speq/golden/draft-format.ts';
import { rngFromSeed, type SeededRandom } from '../random.ts';
import type { VectorMode } from '../verilator/verilator-sim.ts';

/**
 * Verification hooks for mutation testing: per design, the generator and parameters of the unit
 * and a fixed, seeded set of vectors with the golden model's expected outputs. A mutant is killed
 * when its Verilator run differs from the expected outputs on any checked port of any vector.
 */
export interface VerificationVectors {
  readonly mode: VectorMode;
  /** Clocked: reset cycles before vector 0. */
  readonly reset?: number;
  readonly inputs: Readonly<Record<string, readonly bigint[]>>;
  /** expected[port][i]; undefined = not checked (e.g. data while out_valid is low). */
  readonly expected: Readonly<Record<string, readonly (bigint | undefined)[]>>;
}

export type VectorBudget = 'sample' | 'full';

export interface MutationHook {
  /** The name `hdlgen mutate --design` takes. */
  readonly design: string;
  readonly generator: string;
  readonly params: Record<string, unknown>;
  /** What the vectors are, for reports. */
  readonly summary: string;
  vectors(seed: number, budget: VectorBudget): VerificationVectors;
}

// ---- FP stimulus -----------------------------------------------------------------------------

/** f16 values at the edges of every class (both signs are added by the caller). */
const F16_EDGES = [0x0000, 0x0001, 0x0002, 0x01ff, 0x0200, 0x03ff, 0x0400, 0x0401, 0x07ff, 0x0800, 0x1400, 0x2e66, 0x3bff, 0x3c00, 0x3c01, 0x3dff, 0x4000, 0x57ff, 0x5800, 0x7800, 0x7bfe, 0x7bff, 0x7c00, 0x7c01, 0x7dff, 0x7e00, 0x7fff];
const F16_SPECIALS = [...F16_EDGES, ...F16_EDGES.map((v) => v | 0x8000)];

/** A random f16 biased to hard cases: extreme exponents, long runs of 1s or 0s in the fraction. */
function randomF16(rng: SeededRandom): number {
  if (rng.chance(0.4)) return rng.below(0x10000);
  const sign = rng.chance(0.5) ? 0x8000 : 0;
  const exp = rng.pick([0, 0, 1, 2, 29, 30, 31, rng.below(32), rng.below(32), rng.range(10, 20)]);
  const frac = rng.pick([rng.below(0x400), rng.below(0x400), 0x3ff, 0, 1 << rng.below(10), 0x3ff ^ (1 << rng.below(10)), (0x3ff << rng.below(10)) & 0x3ff]);
  return sign | (exp << 10) | frac;
}

/** The value of an f16 encoding as a JS number (exact). */
function f16Value(x: number): number {
  const e = (x >> 10) & 31;
  const f = x & 0x3ff;
  const s = x & 0x8000 ? -1 : 1;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (e === 0 ? f * 2 ** -24 : (1024 + f) * 2 ** (e - 25));
}

const F32 = new DataView(new ArrayBuffer(4));
function f32Bits(v: number): number {
  F32.setFloat32(0, v);
  return F32.getUint32(0);
}

/** An f32 accumulator for a*b: random, or near -(a*b) (cancellation, any depth) or near its exponent (alignment). */
function randomAcc(rng: SeededRandom, a: number, b: number): number {
  const p = f16Value(a) * f16Value(b);
  const r = rng.below(8);
  if (r < 3 || !Number.isFinite(p)) return rng.chance(0.2) ? rng.pick([0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x00000001, 0x007fffff]) : rng.below(2 ** 32);
  const bits = f32Bits(r < 6 ? -p : p);
  // acc = -(a*b) moved by up to 2^k ulps: the sum keeps 0..24 significant bits, so the normalizer's
  // leading-zero count takes every value
  const span = 2 ** rng.below(23);
  const ulps = rng.range(-span, span);
  const exp = (bits >>> 23) & 0xff;
  if (r === 7) return ((bits & 0x807fffff) | ((Math.max(1, Math.min(254, exp + rng.range(-30, 30))) << 23)) >>> 0) >>> 0;
  return (bits + ulps) >>> 0;
}

/**
 * Two f16 operands whose product lands near or below the subnormal boundary (exponent fields
 * summing to 1..17), where the normalizer right-shifts and the sticky bit decides the rounding.
 */
function underflowingPair(rng: SeededRandom): [number, number] {
  const sum = rng.range(1, 17);
  const ea = rng.range(Math.max(0, sum - 30), Math.min(30, sum));
  const frac = () => rng.pick([rng.below(0x400), rng.below(0x400), 1 << rng.below(10), 0x3ff, 0x200 | rng.below(4)]);
  const sign = () => (rng.chance(0.5) ? 0x8000 : 0);
  return [sign() | (ea << 10) | frac(), sign() | ((sum - ea) << 10) | frac()];
}

/**
 * Inputs Yosys found for mutants that survived the random vectors (`hdlgen mutate` lists each
 * surviving, non-equivalent mutant with such an input): kept as directed tests.
 */
const FORMAL_REGRESSIONS: Readonly<Record<string, readonly (readonly number[])[]>> = {
  /**
   * fp-mul f16: sticky bits of the denormalizing right shift by 1, 2 and 3 stages (products just
   * below the subnormal boundary whose dropped bits sit only in the low 2, 4 or 8 positions).
   */
  mul: [
    [0x2f45, 0x071a],
    [0xaa1d, 0x849f],
    [0x2acf, 0x002f],
    [0x0842, 0x0b84],
  ],
  /**
   * fp-mac f16: leading-zero counts of products of two subnormals (exact in f32, so they reach the
   * result) and sticky bits of the alignment shift; [a, b, acc].
   */
  mac: [
    [0x00d0, 0x0001, 0xa0e80000],
    [0x0001, 0x0040, 0x21670000],
    [0x0006, 0x0008, 0x27fffff0],
    [0x8001, 0x002f, 0xb00005e0],
    [0x0001, 0x0001, 0x9b020000],
    [0x0001, 0x003c, 0xaa800008],
    [0x8001, 0x0029, 0x34097e7a],
    [0x000f, 0x0003, 0x2b38bf90],
    [0x8001, 0x0022, 0x9f7e0040],
    [0x0001, 0x0001, 0xa2800608],
    [0x0001, 0x8001, 0x1fc98020],
    [0x3fa0, 0x6000, 0xc0c0db41],
    [0x7923, 0x4116, 0xbe040001],
    [0x8008, 0x8002, 0xa6180030],
    [0xdc00, 0x8010, 0xb37fe804],
    // Lzc_w22: a subnormal times the smallest subnormal (13 leading zeros) into an accumulator near 2^-45 (from ABC)
    [0x810c, 0x0001, 0x297c5f11],
  ],
};

/**
 * speq-pe: steps from reset in which Yosys found a surviving mutant different (`hdlgen mutate
 * --design speq-pe` prints each with its input trace), kept as directed tests. Both are draft steps
 * with subnormal activations into a tiny or zero accumulator and lane-0 weights the feeder would
 * not send (w = 0); the PE takes any w.
 */
const PE_FORMAL_REGRESSIONS: readonly { readonly draft: number; readonly clear: number; readonly init: number; readonly a: bigint; readonly w: number; readonly d: bigint }[] = [
  // Lzc_w11 (leading zeros of a draft lane's activation): the smallest subnormal at draft exponents -14 and -16 after an f32 near 2^-99
  { draft: 1, clear: 1, init: 0x0e20fe03, a: 0x0001000179003b41n, w: 0, d: 0x20cb780n },
  // FpAlignAdd_x11 (the draft adder's alignment): a subnormal activation times a signed-zero draft weight into +0
  { draft: 1, clear: 0, init: 0xdf800000, a: 0x10400n, w: 0, d: 0xe93f000n },
  // Lzc_w11: subnormal activations at draft exponents -9 and -15 into an accumulator near 2^-30
  { draft: 1, clear: 1, init: 0x309c0600, a: 0x8002029080028443n, w: 0x2d, d: 0x4c5b80n },
  // Lzc_w11: the smallest subnormal at draft exponent 8 after a cancellation near 2^-25
  { draft: 1, clear: 1, init: 0xb3509f1c, a: 0x0001000108950783n, w: 0x7ba, d: 0x110ca00n },
  // Lzc_w11: a subnormal activation (3 leading zeros) at draft exponent 11 into an accumulator near 2^-38
  { draft: 1, clear: 1, init: 0x2cac7fe7, a: 0x000200b100848ab2n, w: 0x1, d: 0x22c4880n },
];

/** Two f16 subnormals (or the smallest normals) with fractions of random length: tiny products with many leading zeros. */
function tinyPair(rng: SeededRandom): [number, number] {
  const one = () => (rng.chance(0.5) ? 0x8000 : 0) | (rng.chance(0.2) ? 1 << 10 : 0) | (rng.below(0x400) >> rng.below(10));
  return [one(), one()];
}

function fpVectors(operands: number, budget: VectorBudget, seed: number, golden: (ops: number[]) => number, accumulator = false, product = false, regressions: readonly (readonly number[])[] = []): VerificationVectors {
  const rng = rngFromSeed(seed);
  const cols: number[][] = Array.from({ length: operands }, () => []);
  const push = (ops: readonly number[]) => ops.forEach((v, k) => cols[k].push(v));
  for (const r of regressions) push(r);
  // Every pair of special values first (most mutants die here), then random structured operands.
  const specials = budget === 'full' ? F16_SPECIALS : F16_SPECIALS.filter((_, i) => i % 2 === 0 || i < 8);
  for (const a of specials) for (const b of specials) push(accumulator ? [a, b, randomAcc(rng, a, b)] : [a, b]);
  const random = budget === 'full' ? 100_000 : 20_000;
  for (let i = 0; i < random; i++) {
    let a = randomF16(rng);
    let b = randomF16(rng);
    if (product && rng.chance(0.25)) [a, b] = underflowingPair(rng);
    else if (accumulator && rng.chance(0.15)) [a, b] = tinyPair(rng);
    else if (!product && rng.chance(0.25)) b = (a ^ (rng.chance(0.5) ? 0x8000 : 0)) + rng.range(-4, 4); // near-cancellation
    b &= 0xffff;
    push(accumulator ? [a, b, randomAcc(rng, a, b)] : [a, b]);
  }
  const names = accumulator ? ['a', 'b', 'acc'] : ['a', 'b'];
  const n = cols[0].length;
  const y: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) y[i] = BigInt(golden(cols.map((c) => c[i])));
  return { mode: 'comb', inputs: Object.fromEntries(names.map((nm, k) => [nm, cols[k].map(BigInt)])), expected: { y } };
}

// ---- PuzzleMoE decode: cycle-exact against a 2-entry FIFO protocol model -----------------------

/**
 * The decode unit with `outputRegister: true` is specified as the golden decode followed by a
 * full-throughput skid buffer, i.e. exactly a 2-entry FIFO whose flags are registered:
 * in_ready = (held < 2), out_valid = (held > 0), out data = the oldest held beat; a beat enters on
 * in_valid & in_ready and leaves on out_valid & out_ready, in the same cycle if both; reset empties it.
 * Data is checked only while out_valid is high.
 */
function decodeVectors(lanes: number, budget: VectorBudget, seed: number): VerificationVectors {
  const rng = rngFromSeed(seed);
  const inValid: bigint[] = [];
  const outReady: bigint[] = [];
  const rst: bigint[] = [];
  const words: bigint[] = [];
  const beat = (ws: number[]) => ws.reduceRight((acc, w) => (acc << 16n) | BigInt(w), 0n);
  const cycle = (v: boolean, r: boolean, ws: number[], reset = false) => {
    inValid.push(v ? 1n : 0n);
    outReady.push(r ? 1n : 0n);
    words.push(beat(ws));
    rst.push(reset ? 1n : 0n);
  };
  const randomWords = () => Array.from({ length: lanes }, () => rng.below(0x10000));
  // Every 16-bit word once at full throughput (sampled in CI), then random backpressure phases.
  const step = budget === 'full' ? 1 : 7;
  for (let base = 0; base < 0x10000; base += lanes * step) cycle(true, true, Array.from({ length: lanes }, (_, k) => (base + k * step) & 0xffff));
  for (const [pv, pr] of [
    [0.5, 0.5],
    [0.9, 0.2],
    [0.2, 0.9],
    [1, 0.5],
    [0.5, 1],
  ]) {
    for (let c = 0; c < (budget === 'full' ? 2000 : 400); c++) cycle(rng.chance(pv), rng.chance(pr), randomWords());
    cycle(rng.chance(0.5), rng.chance(0.5), randomWords(), true); // a reset in the middle of a stream
  }
  // Expected outputs: output i from the state before edge i, then the edge.
  const held: bigint[] = [];
  const n = inValid.length;
  const exp: Record<string, (bigint | undefined)[]> = { in_ready: [], out_valid: [], out_lane0: [], out_lane1: [] };
  const decodeBeat = (v: bigint) => {
    let l0 = 0n;
    let l1 = 0n;
    for (let k = lanes - 1; k >= 0; k--) {
      const [a, b] = decodeWord(Number((v >> BigInt(16 * k)) & 0xffffn));
      l0 = (l0 << 16n) | BigInt(a);
      l1 = (l1 << 16n) | BigInt(b);
    }
    return [l0, l1] as const;
  };
  for (let i = 0; i < n; i++) {
    const ready = held.length < 2;
    const valid = held.length > 0;
    exp.in_ready.push(ready ? 1n : 0n);
    exp.out_valid.push(valid ? 1n : 0n);
    const head = valid ? decodeBeat(held[0]) : undefined;
    exp.out_lane0.push(head?.[0]);
    exp.out_lane1.push(head?.[1]);
    if (rst[i]) {
      held.length = 0;
      continue;
    }
    if (valid && outReady[i]) held.shift();
    if (ready && inValid[i]) held.push(words[i]);
  }
  return { mode: 'clocked', reset: 2, inputs: { rst, in_valid: inValid, out_ready: outReady, in_words: words }, expected: exp };
}

/** A random f32 with a tiny magnitude: subnormal, or a normal exponent near the products of f16 subnormals (2^-48 .. 2^-20). */
function tinyF32(rng: SeededRandom): number {
  const sign = rng.chance(0.5) ? 0x80000000 : 0;
  const frac = rng.pick([rng.below(0x800000), rng.below(0x800000) >>> rng.below(23), 1 << rng.below(23), 0x7fffff, 0]);
  const exp = rng.chance(0.4) ? 0 : rng.pick([1, 2, rng.range(1, 30), rng.range(79, 107)]);
  return (sign | (exp << 23) | frac) >>> 0;
}

/** An f16 subnormal (or the smallest normals) with a fraction of random length: every leading-zero count. */
function tinyF16(rng: SeededRandom): number {
  return (rng.chance(0.5) ? 0x8000 : 0) | (rng.chance(0.2) ? 1 << 10 : 0) | (rng.below(0x400) >> rng.below(10));
}

/**
 * The reconfigurable SPEQ PE (shared datapath), cycle by cycle: verify steps (acc = mac_f16_f32(a0, w,
 * acc)), draft steps (four sequential draftMac roundings, lane 0 through the verify datapath with w =
 * the FP16 encoding of draft weight 0, as the weight feeder drives it), clears loading edge-case
 * accumulators, idle cycles, mode switches, resets in the middle of a stream. A fifth of the steps
 * work in the tiny range, where the leading-zero counters and the normalizer's exponent clamp are
 * exercised: f16 subnormal operands (every leading-zero count), draft exponents at the low end and
 * f32 subnormal or tiny accumulators (loaded by a clear), some with a zero product so the
 * accumulator passes through alone, some near one draft lane's product, some draft steps with any
 * lane-0 weight (the PE takes any w); 3% are signed zeros (+-0 accumulators, zero products of
 * every sign). The fp-mac hook's formal regressions run as verify steps.
 * Expected: the registered accumulator (sampled before each edge).
 */
function peVectors(seed: number, budget: VectorBudget): VerificationVectors {
  const rng = rngFromSeed(seed);
  const n = budget === 'full' ? 60_000 : 6_000;
  const cols: Record<string, bigint[]> = { rst: [], en: [], clear: [], draft: [], init: [], a: [], w: [], d: [] };
  const acc: bigint[] = [];
  const randomDraft = (): DraftValue => (rng.chance(0.1) ? { zero: true, sign: rng.below(2), exp: 0 } : { zero: false, sign: rng.below(2), exp: rng.range(-16, 15) });
  const lowDraft = (): DraftValue => (rng.chance(0.05) ? { zero: true, sign: rng.below(2), exp: 0 } : { zero: false, sign: rng.below(2), exp: rng.range(-16, -8) });
  const dBits = (d: DraftValue) => BigInt((d.zero ? 64 : 0) | (d.sign << 5) | (d.exp & 31));
  let q = 0; // the accumulator register (reset value 0)
  let draft = 0;
  const step = (s: { rst?: number; en: number; clear: number; a: number[]; w: number; d: DraftValue[]; init: number }) => {
    acc.push(BigInt(q)); // outputs are sampled before the cycle's clock edge
    const accIn = s.clear ? s.init : q;
    if (s.rst) q = 0;
    else if (s.en) {
      let x = mac_f16_f32(s.a[0], s.w, accIn).bits;
      if (draft) for (let j = 1; j < 4; j++) x = draftMac(x, s.a[j], s.d[j]).bits;
      q = x;
    }
    cols.rst.push(BigInt(s.rst ?? 0));
    cols.en.push(BigInt(s.en));
    cols.clear.push(BigInt(s.clear));
    cols.draft.push(BigInt(draft));
    cols.init.push(BigInt(s.init));
    cols.a.push(s.a.reduceRight((v, x) => (v << 16n) | BigInt(x), 0n));
    cols.w.push(BigInt(s.w));
    cols.d.push(s.d.reduceRight((v, x) => (v << 7n) | dBits(x), 0n));
  };
  // Directed: the MAC's formal regressions as verify steps from a loaded accumulator, then the PE's own from reset.
  for (const [a0, w, init] of FORMAL_REGRESSIONS.mac) step({ en: 1, clear: 1, a: [a0, 0, 0, 0], w, d: [randomDraft(), randomDraft(), randomDraft(), randomDraft()], init });
  const lanes = (x: bigint, bits: number) => Array.from({ length: 4 }, (_, j) => Number((x >> BigInt(bits * j)) & ((1n << BigInt(bits)) - 1n)));
  const draftOf = (b: number): DraftValue => ({ zero: (b & 64) !== 0, sign: (b >> 5) & 1, exp: b & 16 ? (b & 31) - 32 : b & 31 });
  for (const r of PE_FORMAL_REGRESSIONS) {
    const s = { a: lanes(r.a, 16), w: r.w, d: lanes(r.d, 7).map(draftOf), init: r.init };
    step({ ...s, rst: 1, en: 0, clear: 0 });
    draft = r.draft;
    step({ ...s, en: 1, clear: r.clear });
    step({ ...s, en: 0, clear: 0 });
  }
  draft = 0;
  while (acc.length < n) {
    if (rng.chance(0.1)) draft = 1 - draft;
    const en = rng.chance(0.9) ? 1 : 0;
    const rst = rng.chance(0.002) ? 1 : 0;
    if (rng.chance(0.03)) {
      // Signed zeros: +-0 accumulators and zero products of every sign (zero activations, zero draft
      // weights), so the sign of an exact zero sum is seen at the output.
      const zero = () => rng.pick([0, 0x8000]);
      const d = Array.from({ length: 4 }, (): DraftValue => (rng.chance(0.5) ? { zero: true, sign: rng.below(2), exp: 0 } : randomDraft()));
      const a = Array.from({ length: 4 }, () => (rng.chance(0.6) ? zero() : tinyF16(rng)));
      const w = draft && rng.chance(0.5) ? draftValueToFp16(d[0]) : rng.chance(0.7) ? zero() : tinyF16(rng);
      step({ rst, en, clear: rng.chance(0.8) ? 1 : 0, a, w, d, init: rng.chance(0.8) ? rng.pick([0, 0x80000000]) : tinyF32(rng) });
      continue;
    }
    if (rng.chance(0.2)) {
      // The tiny range; mostly from a loaded tiny accumulator, sometimes continuing from the register.
      // low draft exponents keep the products tiny; high ones let a subnormal activation dominate a tiny accumulator
      const d = Array.from({ length: 4 }, () => (draft && rng.chance(0.5) ? lowDraft() : randomDraft()));
      const a = Array.from({ length: 4 }, () => (rng.chance(0.7) ? tinyF16(rng) : randomF16(rng)));
      let w = draft && rng.chance(0.8) ? draftValueToFp16(d[0]) : rng.chance(0.7) ? tinyF16(rng) : randomF16(rng);
      if (rng.chance(0.15)) [a[0], w] = rng.chance(0.5) ? [rng.pick([0, 0x8000]), w] : [a[0], rng.pick([0, 0x8000])];
      let init = rng.chance(0.5) ? tinyF32(rng) : randomAcc(rng, a[0], w);
      if (draft && rng.chance(0.4)) {
        // near one draft lane's product a[j] * 2^e, so that lane's alignment and rounding matter
        const j = rng.range(1, 3);
        if (rng.chance(0.5)) {
          // and only that lane adds to it (zero products elsewhere), so nothing larger swamps it
          a[0] = rng.pick([0, 0x8000]);
          for (let k = 1; k < 4; k++) if (k !== j) d[k] = { zero: true, sign: rng.below(2), exp: 0 };
        }
        const p = f16Value(a[j]) * 2 ** d[j].exp * 2 ** rng.range(-4, 4);
        if (Number.isFinite(p) && p !== 0 && !d[j].zero) init = (f32Bits(rng.chance(0.5) ? -p : p) + rng.range(-64, 64)) >>> 0;
      }
      step({ rst, en, clear: rng.chance(0.8) ? 1 : 0, a, w, d, init });
      continue;
    }
    // Half the steps start from a loaded accumulator chosen like the fp-mac hook's (near -(a0*w):
    // cancellation of every depth, or near its exponent), so the PE sees the MAC's hard cases.
    const clear = rng.chance(0.5) ? 1 : 0;
    const a = Array.from({ length: 4 }, () => (rng.chance(0.15) ? rng.pick(F16_SPECIALS) : randomF16(rng)));
    const d = Array.from({ length: 4 }, randomDraft);
    const w = draft ? draftValueToFp16(d[0]) : rng.chance(0.15) ? rng.pick(F16_SPECIALS) : randomF16(rng);
    step({ rst, en, clear, a, w, d, init: randomAcc(rng, a[0], w) });
  }
  return { mode: 'clocked', reset: 0, inputs: cols, expected: { acc } };
}

export const MUTATION_HOOKS: readonly MutationHook[] = [
  {
    design: 'puzzlemoe-decode',
    generator: 'puzzlemoe-decode',
    params: { lanes: 4, outputRegister: true, exponentOffset: 112 },
    summary: 'every 16-bit word at full throughput, then random valid/ready backpressure and a mid-stream reset; cycle-exact vs golden decodeWord + 2-entry FIFO protocol model',
    vectors: (seed, budget) => decodeVectors(4, budget, seed),
  },
  {
    design: 'fp-mul-f16',
    generator: 'fp-mul',
    params: { format: 'f16', stages: 0 },
    summary: 'all pairs of f16 edge values, then random operands biased to extreme exponents and fraction patterns; vs golden f16_mul',
    vectors: (seed, budget) => fpVectors(2, budget, seed, ([a, b]) => f16_mul(a, b).bits, false, true, FORMAL_REGRESSIONS.mul),
  },
  {
    design: 'fp-add-f16',
    generator: 'fp-add',
    params: { format: 'f16', stages: 0 },
    summary: 'all pairs of f16 edge values, then random operands (a quarter near cancellation); vs golden f16_add',
    vectors: (seed, budget) => fpVectors(2, budget, seed, ([a, b]) => f16_add(a, b).bits),
  },
  {
    design: 'fp-mac-f16',
    generator: 'fp-mac',
    params: { inFormat: 'f16', stages: 0 },
    summary: 'f16 edge pairs and random operands with f32 accumulators near -(a*b) (cancellation) and near its exponent; vs golden mac_f16_f32',
    vectors: (seed, budget) => fpVectors(3, budget, seed, ([a, b, acc]) => mac_f16_f32(a, b, acc).bits, true, true, FORMAL_REGRESSIONS.mac),
  },
  {
    design: 'speq-pe',
    generator: 'speq-pe',
    params: { datapath: 'shared' },
    summary: 'random verify/draft steps with mode switches, clears loading edge-case accumulators, idle cycles, mid-stream resets, f16 specials, a fifth in the tiny range (f16 subnormals, low draft exponents, f32 subnormal accumulators or ones near a draft lane product), signed zeros, the fp-mac and PE formal regressions; cycle-exact vs mac_f16_f32 / four sequential draftMac roundings',
    vectors: (seed, budget) => peVectors(seed, budget),
  },
  {
    design: 'fp-convert-f16-f32',
    generator: 'fp-convert',
    params: { from: 'f16', to: 'f32', stages: 0 },
    summary: 'all 65,536 f16 inputs (exhaustive); vs golden f16_to_f32',
    vectors: () => {
      const a = Array.from({ length: 0x10000 }, (_, i) => BigInt(i));
      return { mode: 'comb', inputs: { a }, expected: { y: a.map((x) => BigInt(f16_to_f32(Number(x)).bits)) } };
    },
  },
];

export function findMutationHook(design: string): MutationHook | undefined {
  return MUTATION_HOOKS.find((h) => h.design === design);
}
