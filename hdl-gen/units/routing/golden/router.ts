/**
 * Golden model of the big/little top-k router (MoBiLE big/little, spec
 * /work/shared/specs/routing_prefetch.md). Plain integer/BigInt arithmetic; the RTL
 * (hdl-gen/units/routing/rtl/topk-router.ts) must match it bit for bit.
 *
 * One token: N gate logits (FP32 or BF16 bit patterns), a threshold and a force-big flag in;
 * K ranked expert ids, K weights and the big/little decision out.
 *
 * 1. Ranking (softmax-free). Each logit gets the order key `sign ? ~bits : bits | signBit` (an
 *    unsigned compare of keys is the IEEE total order: -NaN < -Inf < ... < -0 < +0 < ... < +Inf <
 *    +NaN). Experts are ranked by key, descending; equal keys: the lower expert id ranks first.
 *    Ranks 0..K-1 are output (`ids[r]`), also when a slot's weight is 0 (spare ranks are prefetch hints).
 * 2. Fixed point. Each selected logit becomes x = sign ? -mag : mag with
 *    mag = min(floor(|v| * 2^F), 2^(I+F) - 1) (F = fracBits, I = intBits; Inf and NaN saturate,
 *    subnormals give 0). d_r = x_0 - x_r >= 0 (the key order is monotone in x).
 * 3. Exponential (base-2 with a log2(e) scale): t_r = floor(d_r * L / 2^16) with
 *    L = round(log2(e) * 2^16) = 94548, so t_r ~ d_r * log2(e) with F fraction bits;
 *    n = t_r >> F, f = t_r mod 2^F, e_r = LUT[f >> (F - G)] >> n, where
 *    LUT[j] = round(2^W * 2^(-j / 2^G)) (G = lutBits, W = weightBits; LUT[0] = 2^W, so e_0 = 2^W).
 *    e_r ~ 2^W * exp(l_r - l_0).
 * 4. Importance (a comparator on a threshold register; `important` tokens run big):
 *    - 'margin': important = d_1 < threshold (top-1 vs top-2 gap in units of 2^-F, I+F+1 bits);
 *    - 'top1':   important = p_1 < threshold / 2^W, where p_1 = 2^W / sBig is the top-1 probability
 *      renormalized over the big set; compared without a divider: 2^(2W) < threshold * sBig
 *      (threshold W+1 bits, Q1.W).
 *    big = forceBig || important; k = big ? K : floor(K/2) (the little set is a prefix of the big set).
 * 5. Renormalization over the k used ranks (softmax restricted to the selected set, which equals a
 *    full softmax renormalized over the top-k): s = sum_{r<k} e_r,
 *    w_r = r < k ? floor((e_r * 2^(W+1) + s) / (2 s)) : 0  (round half up of e_r * 2^W / s),
 *    weights are Q1.W (W+1 bits; 1.0 = 2^W, reached when k = 1).
 */
import { UserError } from '../../../errors.ts';

export type LogitFormat = 'fp32' | 'bf16';
export type ImportanceRule = 'margin' | 'top1';

export interface RouterParams {
  /** Encoding of the gate logits. */
  readonly format: LogitFormat;
  /** Number of experts N (2..128). */
  readonly experts: number;
  /** Big top-k K (2..16, <= N); little = floor(K/2). */
  readonly k: number;
  readonly importance: ImportanceRule;
  /** F: fraction bits of the fixed-point logits (1..12, default 8). */
  readonly fracBits?: number;
  /** I: integer bits of the fixed-point logits (1..12, default 8); |logit| >= 2^I saturates. */
  readonly intBits?: number;
  /** W: weight fraction bits (4..16, default 15); weights are Q1.W. */
  readonly weightBits?: number;
  /** G: the exponential's table has 2^G entries (1..F, default min(6, F)). */
  readonly lutBits?: number;
}

export type ResolvedRouterParams = Required<RouterParams>;

/** round(log2(e) * 2^16). */
export const LOG2E_Q16 = 94548;

function intIn(name: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new UserError(`TopKRouter: ${name} must be an integer from ${lo} to ${hi}, got ${String(v)}`);
  return v;
}

/** The parameters with defaults applied, validated (UserError naming the bad parameter). */
export function routerParams(p: RouterParams): ResolvedRouterParams {
  if (p.format !== 'fp32' && p.format !== 'bf16') throw new UserError(`TopKRouter: format must be 'fp32' or 'bf16', got ${String(p.format)}`);
  if (p.importance !== 'margin' && p.importance !== 'top1') throw new UserError(`TopKRouter: importance must be 'margin' or 'top1', got ${String(p.importance)}`);
  const experts = intIn('experts', p.experts, 2, 128);
  const k = intIn('k', p.k, 2, Math.min(16, experts));
  const fracBits = intIn('fracBits', p.fracBits ?? 8, 1, 12);
  const intBits = intIn('intBits', p.intBits ?? 8, 1, 12);
  const weightBits = intIn('weightBits', p.weightBits ?? 15, 4, 16);
  const lutBits = intIn('lutBits', p.lutBits ?? Math.min(6, fracBits), 1, fracBits);
  return { format: p.format, experts, k, importance: p.importance, fracBits, intBits, weightBits, lutBits };
}

export interface LogitLayout {
  readonly width: number;
  readonly expBits: number;
  readonly fracBits: number;
  readonly bias: number;
}

export function logitLayout(format: LogitFormat): LogitLayout {
  return format === 'fp32' ? { width: 32, expBits: 8, fracBits: 23, bias: 127 } : { width: 16, expBits: 8, fracBits: 7, bias: 127 };
}

/** Width of the threshold register for the rule. */
export function thresholdBits(p: ResolvedRouterParams): number {
  return p.importance === 'margin' ? p.intBits + p.fracBits + 1 : p.weightBits + 1;
}

/** Number of experts of the little set. */
export function littleK(p: ResolvedRouterParams): number {
  return Math.floor(p.k / 2);
}

/** The unsigned order key of a logit (see 1.). */
export function orderKey(format: LogitFormat, bits: number): bigint {
  const w = BigInt(logitLayout(format).width);
  const b = BigInt(bits);
  const sign = 1n << (w - 1n);
  return b & sign ? ~b & ((1n << w) - 1n) : b | sign;
}

/** Ranks 0..K-1: the expert ids, key descending, lower id first on equal keys. */
export function rankExperts(format: LogitFormat, logits: readonly number[], k: number): number[] {
  const keys = logits.map((b) => orderKey(format, b));
  const ids = logits.map((_, i) => i);
  ids.sort((a, b) => (keys[a] === keys[b] ? a - b : keys[a] > keys[b] ? -1 : 1));
  return ids.slice(0, k);
}

/** The fixed-point value x of a logit with F fraction bits, saturated to +-(2^(I+F) - 1) (see 2.). */
export function toFixed(format: LogitFormat, bits: number, fracBits: number, intBits: number): bigint {
  const L = logitLayout(format);
  const sat = (1n << BigInt(intBits + fracBits)) - 1n;
  const b = BigInt(bits);
  const sign = (b >> BigInt(L.width - 1)) & 1n;
  const e = Number((b >> BigInt(L.fracBits)) & ((1n << BigInt(L.expBits)) - 1n));
  const frac = b & ((1n << BigInt(L.fracBits)) - 1n);
  let mag: bigint;
  if (e === (1 << L.expBits) - 1) mag = sat;
  else {
    // |v| * 2^F = significand * 2^(scale)
    const significand = e === 0 ? frac : (1n << BigInt(L.fracBits)) + frac;
    const scale = (e === 0 ? 1 : e) - L.bias - L.fracBits + fracBits;
    mag = scale >= 0 ? significand << BigInt(scale) : significand >> BigInt(-scale);
    if (mag > sat) mag = sat;
  }
  return sign ? -mag : mag;
}

const lutCache = new Map<string, readonly bigint[]>();

/**
 * LUT[j] = round(2^W * 2^(-j/2^G)), j in [0, 2^G), computed exactly: with x = 2^(W - j/2^G),
 * v = floor(x) is the largest v with v^(2^G) <= 2^(W*2^G - j), and x rounds up iff
 * (2v + 1)^(2^G) <= 2^(W*2^G - j + 2^G) (ties cannot occur: x is irrational for j > 0).
 */
export function exp2Lut(weightBits: number, lutBits: number): readonly bigint[] {
  const key = `${weightBits}/${lutBits}`;
  const hit = lutCache.get(key);
  if (hit) return hit;
  const n = 1n << BigInt(lutBits);
  const out: bigint[] = [];
  for (let j = 0n; j < n; j++) {
    const target = 1n << (BigInt(weightBits) * n - j);
    let lo = 0n;
    let hi = 1n << BigInt(weightBits + 1);
    while (lo < hi) {
      const mid = (lo + hi + 1n) >> 1n;
      if (mid ** n <= target) lo = mid;
      else hi = mid - 1n;
    }
    out.push((2n * lo + 1n) ** n <= target << n ? lo + 1n : lo);
  }
  lutCache.set(key, out);
  return out;
}

export interface RouteResult {
  /** Ranks 0..K-1 (expert ids). */
  readonly ids: number[];
  /** Q1.W weights; 0 beyond the k used ranks. */
  readonly weights: bigint[];
  readonly big: boolean;
  /** Intermediate values, for tests and debugging. */
  readonly fixed: bigint[];
  readonly diffs: bigint[];
  readonly exps: bigint[];
  readonly sumBig: bigint;
  readonly sumLittle: bigint;
}

/** Routes one token (see the file comment for every step). */
export function routeToken(params: RouterParams, logits: readonly number[], threshold: bigint, forceBig: boolean): RouteResult {
  const p = routerParams(params);
  if (logits.length !== p.experts) throw new Error(`routeToken: ${logits.length} logits for ${p.experts} experts`);
  const F = p.fracBits;
  const W = BigInt(p.weightBits);
  const ids = rankExperts(p.format, logits, p.k);
  const fixed = ids.map((id) => toFixed(p.format, logits[id], F, p.intBits));
  const diffs = fixed.map((x) => fixed[0] - x);
  const lut = exp2Lut(p.weightBits, p.lutBits);
  const exps = diffs.map((d) => {
    const t = (d * BigInt(LOG2E_Q16)) >> 16n;
    const n = t >> BigInt(F);
    const f = t & ((1n << BigInt(F)) - 1n);
    return lut[Number(f >> BigInt(F - p.lutBits))] >> n;
  });
  const kl = littleK(p);
  const sum = (n: number) => exps.slice(0, n).reduce((a, b) => a + b, 0n);
  const sumBig = sum(p.k);
  const sumLittle = sum(kl);
  const important = p.importance === 'margin' ? diffs[1] < threshold : 1n << (2n * W) < threshold * sumBig;
  const big = forceBig || important;
  const used = big ? p.k : kl;
  const s = big ? sumBig : sumLittle;
  const weights = exps.map((e, r) => (r < used ? (e * (1n << (W + 1n)) + s) / (2n * s) : 0n));
  return { ids, weights, big, fixed, diffs, exps, sumBig, sumLittle };
}
