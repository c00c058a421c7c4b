import { addExact } from '../../fp/golden/add.ts';
import {
  FLAG_INVALID,
  FP16,
  FP32,
  type FpResult,
  decodeFinite,
  expFieldOf,
  fracFieldOf,
  isSignalingNaN,
  signOf,
} from '../../fp/golden/formats.ts';
import { mac_f16_f32 } from '../../fp/golden/mac.ts';
import { roundPack } from '../../fp/golden/round.ts';
import { DRAFT_FORMATS, type DraftFormat, type DraftTable, type DraftValue } from './draft-format.ts';
import { type ScaleK, feederWeight } from './scale.ts';

/**
 * Golden arithmetic of the SPEQ processing element (spec: "Arithmetic"), bit-exact.
 *
 * Verify mode: acc' = mac_f16_f32(a, w, acc) of the FP golden, w the original FP16 weight
 *   reassembled from the stored word (`feederWeight`).
 * Draft mode: four draft MACs per step, in the fixed order w0, w1, w2, w3, each
 *   acc' = round_fp32(acc + a * d), with d a signed power of two (or signed zero) from the draft
 *   table. `draftMac` forms the product a * d EXACTLY (the FP16 activation's significand, its exponent
 *   plus d's exponent; no intermediate range limit), adds it exactly to acc and rounds ONCE to FP32
 *   (RNE; overflow to Inf, gradual underflow), i.e. an FP32 fused multiply-add with the exact product.
 *   When d is representable in FP16 (always, for the built-in formats) this equals
 *   mac_f16_f32(a, fp16(d), acc) bit for bit, flags included.
 * Special values (same conventions as mac_f16_f32): any NaN -> 0x7FC00000, invalid if a is an FP16
 *   sNaN or acc an FP32 sNaN; a = ±Inf with d = ±0 -> NaN + invalid; Inf product + Inf acc of the
 *   other sign -> NaN + invalid; Inf product otherwise -> that Inf; finite product + Inf acc -> acc.
 *   d = ±0 is a real signed zero: a * d = ±0 with sign sa ^ sd, so acc = -0 plus +0 gives +0.
 */

/** acc' = round_fp32(acc + a * d): a FP16, d a signed power of two / zero, acc FP32. */
export function draftMac(acc: number, a: number, d: DraftValue): FpResult {
  const expA = expFieldOf(FP16, a);
  const expC = expFieldOf(FP32, acc);
  const signProd = signOf(FP16, a) ^ d.sign;
  const signC = signOf(FP32, acc);
  const nan = FP32.canonicalNaN;
  if (expA === FP16.expMax || expC === FP32.expMax) {
    const nanA = expA === FP16.expMax && fracFieldOf(FP16, a) !== 0;
    const nanC = expC === FP32.expMax && fracFieldOf(FP32, acc) !== 0;
    const signaling = isSignalingNaN(FP16, a) || isSignalingNaN(FP32, acc);
    if (nanA) return { bits: nan, flags: signaling ? FLAG_INVALID : 0 };
    if (expA === FP16.expMax) {
      if (d.zero) return { bits: nan, flags: FLAG_INVALID };
      if (nanC) return { bits: nan, flags: signaling ? FLAG_INVALID : 0 };
      if (expC === FP32.expMax && signC !== signProd) return { bits: nan, flags: FLAG_INVALID };
      return { bits: (signProd ? FP32.signBit : 0) + FP32.infBits, flags: 0 };
    }
    if (nanC) return { bits: nan, flags: signaling ? FLAG_INVALID : 0 };
    return { bits: acc, flags: 0 };
  }
  const x = decodeFinite(FP16, a);
  const z = decodeFinite(FP32, acc);
  const prodSig = d.zero ? 0 : x.sig;
  const prodExp = d.zero ? x.exp : x.exp + d.exp;
  const sum = addExact(signProd, prodSig, prodExp, signC, z.sig, z.exp);
  return roundPack(FP32, sum.sign, sum.sig, sum.exp);
}

/** Per-tensor configuration the PE array needs for one weight matrix. */
export interface SpeqTensorConfig {
  /** Applied scale exponent (0 for a fallback tensor). */
  readonly k: ScaleK;
  /** Verify-only tensor: stored words are raw FP16, the draft pass uses verify arithmetic. */
  readonly fallback: boolean;
  /** Draft format and its per-tensor table (unused when fallback). */
  readonly format: DraftFormat;
  readonly table: DraftTable;
}

/** Verify-mode MAC on a stored word: mac_f16_f32(a, reassembled weight, acc). */
export function verifyMac(acc: number, a: number, stored: number, cfg: Pick<SpeqTensorConfig, 'k' | 'fallback'>): FpResult {
  return mac_f16_f32(a, feederWeight(stored, cfg), acc);
}

/**
 * One draft-mode PE step: four draft MACs in the fixed order w0, w1, w2, w3:
 *   acc_{j+1} = round_fp32(acc_j + a[j] * decode(codes[j])), j = 0..3,
 * with `codes[j]` the 4-bit draft nibble of weight j (bits 4j+3:4j of the draft word) and a[j] the
 * FP16 activation it multiplies. Flags are the OR of the four MACs' flags. `format` defaults to the
 * built-in format the table names.
 */
export function draftMacStep(
  acc: number,
  a: readonly number[],
  draftCodes: readonly number[],
  table: DraftTable,
  format: DraftFormat = DRAFT_FORMATS[table.format],
): FpResult {
  if (a.length !== 4 || draftCodes.length !== 4) throw new RangeError('draftMacStep takes 4 activations and 4 draft codes');
  let bits = acc;
  let flags = 0;
  for (let j = 0; j < 4; j++) {
    const r = draftMac(bits, a[j], format.decode(draftCodes[j], table));
    bits = r.bits;
    flags |= r.flags;
  }
  return { bits, flags };
}

export type PeMode = 'draft' | 'verify';

/** FP16 -0: the activation fed to padding lanes (a * (+0) = -0, and acc + -0 = acc exactly). */
export const PAD_ACTIVATION = 0x8000;
/** Stored word of a padding weight (+0; draft code 0). */
export const PAD_STORED = 0x0000;

export interface TileResult {
  /** y[r][c]: FP32 encodings. */
  readonly y: number[][];
  /** IEEE flags per output (OR over its MACs). */
  readonly flags: number[][];
  /** PE steps per output: K in verify mode (and for a fallback tensor), ceil(K/4) in draft mode. */
  readonly steps: number;
}

/**
 * Golden model of an R x C output-stationary tile: Y[r][c] = sum_k X[r][k] * W[c][k].
 *
 * PE (r, c) owns the FP32 accumulator of Y[r][c] (initially `init`, default +0). Activations are
 * broadcast along rows (row r receives X[r]: R activation vectors, e.g. the gamma+1 positions of a
 * verify pass; R = 1 with C outputs is a GEMV), stored weights stream along columns (column c
 * receives W[c], the stored words of output c's weight row). Accumulation order, for every output:
 *   verify mode (and draft mode of a fallback tensor): k = 0, 1, ..., K-1, one verifyMac each;
 *   draft mode: steps g = 0, 1, ..., ceil(K/4)-1, each a `draftMacStep` over k = 4g .. 4g+3 (w0..w3),
 *     lanes k >= K being padding (activation -0, stored word 0x0000: code 0 = +0; the padded MAC adds
 *     -0, an exact identity for every accumulator value).
 */
export function gemmTile(
  mode: PeMode,
  x: readonly (readonly number[])[],
  w: readonly ArrayLike<number>[],
  cfg: SpeqTensorConfig,
  init = 0,
): TileResult {
  const R = x.length;
  const C = w.length;
  const K = R > 0 ? x[0].length : C > 0 ? w[0].length : 0;
  for (const row of x) if (row.length !== K) throw new RangeError(`every activation row needs K = ${K} entries`);
  for (const row of w) if (row.length !== K) throw new RangeError(`every weight row needs K = ${K} stored words`);
  const draft = mode === 'draft' && !cfg.fallback;
  const G = Math.ceil(K / 4);
  const y: number[][] = [];
  const flags: number[][] = [];
  for (let r = 0; r < R; r++) {
    const yr: number[] = [];
    const fr: number[] = [];
    for (let c = 0; c < C; c++) {
      let acc = init;
      let fl = 0;
      if (draft) {
        for (let g = 0; g < G; g++) {
          const a: number[] = [];
          const codes: number[] = [];
          for (let j = 0; j < 4; j++) {
            const k = 4 * g + j;
            a.push(k < K ? x[r][k] : PAD_ACTIVATION);
            codes.push(cfg.format.encodeStored(k < K ? w[c][k] : PAD_STORED));
          }
          const res = draftMacStep(acc, a, codes, cfg.table, cfg.format);
          acc = res.bits;
          fl |= res.flags;
        }
      } else {
        for (let k = 0; k < K; k++) {
          const res = verifyMac(acc, x[r][k], w[c][k], cfg);
          acc = res.bits;
          fl |= res.flags;
        }
      }
      yr.push(acc);
      fr.push(fl);
    }
    y.push(yr);
    flags.push(fr);
  }
  return { y, flags, steps: draft ? G : K };
}

/** GEMV: y[c] = sum_k x[k] * W[c][k] (a 1 x C tile). */
export function gemv(mode: PeMode, x: readonly number[], w: readonly ArrayLike<number>[], cfg: SpeqTensorConfig, init = 0): TileResult {
  return gemmTile(mode, [x], w, cfg, init);
}
