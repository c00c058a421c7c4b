import { UserError } from '../../../errors.ts';
import { FP16, decodeFinite } from '../../fp/golden/formats.ts';

/**
 * SPEQ per-tensor scaling and the lossless stored-word remapping (spec: "Storage: the remapped FP16
 * word").
 *
 * A tensor is scaled by 2^-k, with k the smallest integer >= 0 such that every scaled weight has a
 * biased exponent <= 15, i.e. top exponent bit e4 = 0, i.e. |w| * 2^-k < 2. Only k in {0, 1} is
 * lossless (k = 1 shifts one bit out of weights whose scaled value is subnormal; the spare bit r
 * keeps it), so a tensor needing k >= 2 (a weight with |w| >= 4) is not scaled: it falls back to
 * verify-only (see `analyzeTensor`).
 *
 * FP16 weight (unscaled):  w      = { s, e4, e3, e2, e1, e0, m9..m0 }
 * Scaled by 2^-k:          scaled = { s, 0,  e3, e2, e1, e0, m9..m0 }   (e4 = 0 by choice of k)
 * Stored word:             stored = { s, e3, e2, e1, e0, m9..m0, r }    (bit 15 .. bit 0)
 *
 * i.e. stored = s << 15 | (scaled & 0x3FFF) << 1 | r. With mag = w & 0x7FFF (the magnitude
 * encoding, monotone in |w|):
 *   k = 0: admissible iff mag < 0x4000 (|w| < 2); scaled = w, r = 0.
 *   k = 1: admissible iff mag < 0x4400 (|w| < 4);
 *          mag < 0x0800 (biased exponent 0 or 1: the scaled value is subnormal):
 *            scaledMag = mag >> 1, r = mag & 1 (the bit the halving shifted out);
 *          otherwise: scaledMag = mag - 0x0400 (exponent field - 1, exact), r = 0.
 * Back (the weight feeder; total on all 2^16 words, so it is also the hardware's definition):
 *   k = 0: w = s << 15 | scaledMag                       (r is ignored)
 *   k = 1: scaledMag < 0x0400: w = s << 15 | (2 * scaledMag + r)
 *          otherwise:          w = s << 15 | (scaledMag + 0x0400)   (r is ignored)
 * i.e. the exact multiplication of { s, 0, e3..e0, m9..m0 } (plus r as one extra fraction bit below
 * m0) by 2^k. A word is *canonical* for k when `fp16ToStored` can produce it: r = 0 unless k = 1
 * and the scaled value is subnormal. Canonical words and admissible weights are in bijection.
 */

/** The per-tensor scale exponents that are lossless: weights are stored scaled by 2^-k. */
export type ScaleK = 0 | 1;

/** Largest lossless k (the spare bit r holds exactly one shifted-out bit). */
export const MAX_LOSSLESS_K = 1;

/** Magnitude encodings (w & 0x7FFF) at or above this are not admissible for k: |w| >= 2^(k+1). */
export const ADMISSIBLE_MAG_LIMIT: Readonly<Record<ScaleK, number>> = Object.freeze({ 0: 0x4000, 1: 0x4400 });

function checkWord(w: number, what: string): void {
  if (!Number.isInteger(w) || w < 0 || w > 0xffff) throw new RangeError(`${what} must be a 16-bit integer, got ${w}`);
}

function checkK(k: number): asserts k is ScaleK {
  if (k !== 0 && k !== 1) throw new RangeError(`scale exponent k must be 0 or 1 (lossless), got ${k}`);
}

const hex4 = (x: number): string => `0x${x.toString(16).toUpperCase().padStart(4, '0')}`;

/** Whether FP16 weight `w` can be stored losslessly at scale 2^-k (finite and |w| < 2^(k+1)). */
export function isAdmissible(w: number, k: ScaleK): boolean {
  checkWord(w, 'FP16 weight');
  checkK(k);
  return (w & 0x7fff) < ADMISSIBLE_MAG_LIMIT[k];
}

/**
 * The stored word of FP16 weight `w` in a tensor scaled by 2^-k. Throws a RangeError naming the
 * weight when it is not admissible (NaN, Inf, or |w| >= 2^(k+1): its scaled top exponent bit e4
 * would be 1).
 */
export function fp16ToStored(w: number, k: ScaleK): number {
  checkWord(w, 'FP16 weight');
  checkK(k);
  const s = w >>> 15;
  const mag = w & 0x7fff;
  if (mag >= ADMISSIBLE_MAG_LIMIT[k]) {
    const what = mag > 0x7c00 ? 'NaN' : mag === 0x7c00 ? 'Inf' : `|w| >= ${2 ** (k + 1)}`;
    throw new RangeError(`FP16 weight ${hex4(w)} is not admissible at scale 2^-${k} (${what}): its scaled top exponent bit e4 would be 1`);
  }
  let scaledMag: number;
  let r: number;
  if (k === 0) {
    scaledMag = mag;
    r = 0;
  } else if (mag < 0x0800) {
    scaledMag = mag >>> 1;
    r = mag & 1;
  } else {
    scaledMag = mag - 0x0400;
    r = 0;
  }
  return ((s << 15) | (scaledMag << 1) | r) >>> 0;
}

/** The original FP16 weight of a stored word at scale 2^-k (total: defined on all 2^16 words). */
export function storedToFp16(stored: number, k: ScaleK): number {
  checkWord(stored, 'stored word');
  checkK(k);
  const s = stored >>> 15;
  const scaledMag = (stored >>> 1) & 0x3fff;
  const r = stored & 1;
  let mag: number;
  if (k === 0) mag = scaledMag;
  else if (scaledMag < 0x0400) mag = 2 * scaledMag + r;
  else mag = scaledMag + 0x0400;
  return ((s << 15) | mag) >>> 0;
}

/** Whether `stored` is a word `fp16ToStored(_, k)` produces (r = 0 unless k = 1 and the scaled value is subnormal). */
export function isCanonicalStored(stored: number, k: ScaleK): boolean {
  checkWord(stored, 'stored word');
  checkK(k);
  if ((stored & 1) === 0) return true;
  return k === 1 && ((stored >>> 1) & 0x3fff) < 0x0400;
}

/** The 4-bit draft nibble of a stored word: { s, e3, e2, e1 } = bits 15:12. */
export function draftNibble(stored: number): number {
  return (stored >>> 12) & 0xf;
}

let fp16Values: Float64Array | undefined;

/** Exact double value of a finite FP16 encoding (a lookup table built once from `decodeFinite`). */
export function fp16Value(w: number): number {
  if (!fp16Values) {
    fp16Values = new Float64Array(0x10000);
    for (let b = 0; b < 0x10000; b++) {
      const x = decodeFinite(FP16, b);
      const v = x.sig * 2 ** x.exp;
      fp16Values[b] = x.sign ? -v : v;
    }
  }
  checkWord(w, 'FP16 encoding');
  if ((w & 0x7c00) === 0x7c00) throw new RangeError(`fp16Value: ${hex4(w)} is not finite`);
  return fp16Values[w];
}

/** Per-tensor statistics reported by the offline tool. */
export interface TensorCounts {
  /** Number of weights. */
  readonly weights: number;
  /** ±0 weights. */
  readonly zeros: number;
  /** Weights with |w| >= 2 (biased exponent >= 16): the ones that need the scale. */
  readonly outliers: number;
  /** Non-zero weights whose scaled value is subnormal at the applied k = 1 (one bit moved into r); 0 when k = 0. */
  readonly shiftedSubnormals: number;
  /** Stored words with r = 1. */
  readonly rOnes: number;
  /** Weights per 3-bit draft code c = e[3:1] of the stored word (all zero for a fallback tensor). */
  readonly codes: readonly number[];
}

export interface TensorScaling {
  readonly name: string;
  /** Smallest k >= 0 with |w| * 2^-k < 2 for every weight. */
  readonly kRequired: number;
  /** Applied scale exponent: kRequired when lossless, 0 for a fallback tensor (stored unscaled). */
  readonly k: ScaleK;
  /** Verify-only: kRequired >= 2; the stored words are the raw FP16 words, there is no draft. */
  readonly fallback: boolean;
  /** Why the tensor fell back (undefined when it did not). */
  readonly reason?: string;
  /** Index (flat, row-major) and encoding of the first weight of largest magnitude. */
  readonly maxIndex: number;
  readonly maxBits: number;
  readonly counts: TensorCounts;
}

/** Formats a flat index, with its coordinates when a shape of rank >= 2 is given. */
export function describeIndex(index: number, shape?: readonly number[]): string {
  if (!shape || shape.length < 2) return `index ${index}`;
  const coords: number[] = new Array(shape.length);
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    coords[d] = rest % shape[d];
    rest = Math.floor(rest / shape[d]);
  }
  return `index ${index} [${coords.join(', ')}]`;
}

/**
 * Chooses the scale of one tensor and counts. Throws a UserError naming the tensor and the index of
 * the first NaN or Inf weight. Never throws for an unscalable tensor: it is returned with
 * fallback = true and the reason (callers that cannot fall back turn that into their own error).
 */
export function analyzeTensor(name: string, weights: ArrayLike<number>, shape?: readonly number[]): TensorScaling {
  let maxMag = -1;
  let maxIndex = -1;
  let zeros = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    checkWord(w, `tensor '${name}' weight ${i}`);
    const mag = w & 0x7fff;
    if (mag >= 0x7c00) {
      throw new UserError(`tensor '${name}': weight at ${describeIndex(i, shape)} is ${mag === 0x7c00 ? (w >>> 15 ? '-Inf' : '+Inf') : 'NaN'} (${hex4(w)}); SPEQ needs finite weights`);
    }
    if (mag === 0) zeros++;
    if (mag > maxMag) {
      maxMag = mag;
      maxIndex = i;
    }
  }
  const maxBits = maxIndex < 0 ? 0 : weights[maxIndex];
  const maxExp = maxMag < 0 ? 0 : maxMag >>> 10;
  const kRequired = Math.max(0, maxExp - 15);
  const fallback = kRequired > MAX_LOSSLESS_K;
  const k: ScaleK = fallback ? 0 : (kRequired as ScaleK);
  let outliers = 0;
  let shiftedSubnormals = 0;
  let rOnes = 0;
  const codes = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    const mag = w & 0x7fff;
    if (mag >= 0x4000) outliers++;
    if (fallback) continue;
    if (k === 1 && mag !== 0 && mag < 0x0800) shiftedSubnormals++;
    const stored = fp16ToStored(w, k);
    rOnes += stored & 1;
    codes[(stored >>> 12) & 7]++;
  }
  const reason = fallback
    ? `largest |w| = ${fp16Value(maxBits & 0x7fff)} (${hex4(maxBits)}) at ${describeIndex(maxIndex, shape)} needs scale 2^-${kRequired}; only k <= ${MAX_LOSSLESS_K} is lossless`
    : undefined;
  return {
    name,
    kRequired,
    k,
    fallback,
    reason,
    maxIndex,
    maxBits,
    counts: { weights: weights.length, zeros, outliers, shiftedSubnormals, rOnes, codes },
  };
}

/**
 * Stored words of a whole tensor: the remapped words for a scaled tensor, the raw FP16 words for a
 * fallback tensor (which the feeder passes through unchanged).
 */
export function storeTensor(weights: ArrayLike<number>, scaling: Pick<TensorScaling, 'k' | 'fallback'>): Uint16Array {
  const out = new Uint16Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    out[i] = scaling.fallback ? weights[i] : fp16ToStored(weights[i], scaling.k);
  }
  return out;
}

/** The FP16 weight the verify pass multiplies by: `storedToFp16`, or the raw word for a fallback tensor. */
export function feederWeight(stored: number, scaling: Pick<TensorScaling, 'k' | 'fallback'>): number {
  if (scaling.fallback) {
    checkWord(stored, 'stored word');
    return stored;
  }
  return storedToFp16(stored, scaling.k);
}
