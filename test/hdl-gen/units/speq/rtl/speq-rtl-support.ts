export { haveVerilator } from '../../../../support/missing-tool.ts';
import type { PeMode, SpeqTensorConfig } from '../../../../../hdl-gen/units/speq/golden/arith.ts';
import { DRAFT_FORMATS, type DraftFormatName, type DraftTable } from '../../../../../hdl-gen/units/speq/golden/draft-format.ts';
import { type ScaleK, analyzeTensor, fp16ToStored } from '../../../../../hdl-gen/units/speq/golden/scale.ts';
import type { ArrayTile } from '../../../../../hdl-gen/units/speq/rtl/array-host.ts';
import type { SeededRandom } from '../../../../../verif/random.ts';

/** Random, corner-biased operands for the SPEQ RTL tests. */


export const hex = (v: number, digits: number): string => `0x${(v >>> 0).toString(16).padStart(digits, '0')}`;

const F16_CORNERS = [0x0000, 0x8000, 0x0001, 0x8001, 0x03ff, 0x0400, 0x3c00, 0xbc00, 0x3555, 0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7d00, 0xfe01];
const F32_CORNERS = [
  0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x00800000, 0x3f800000, 0xbf800000, 0x4b800000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000,
  0x7f800001, 0xffc00001, 0x27800000, 0x1f800000,
];

/** An FP16 activation: mostly finite values of moderate magnitude, sometimes a corner or subnormal. */
export function randomF16(rng: SeededRandom, cornerRate = 0.1): number {
  const u = rng.below(1000) / 1000;
  if (u < cornerRate) return rng.pick(F16_CORNERS);
  if (u < cornerRate + 0.05) return (rng.below(2) << 15) | rng.below(0x400); // subnormal / zero
  return (rng.below(2) << 15) | (rng.range(5, 25) << 10) | rng.below(0x400);
}

/** Any FP16 bit pattern (NaN and Inf included). */
export function anyF16(rng: SeededRandom): number {
  return rng.chance(0.3) ? rng.pick(F16_CORNERS) : rng.below(0x10000);
}

/** An FP32 accumulator value: corners (zeros, subnormals, max, Inf, NaN incl. signaling) or random. */
export function randomF32(rng: SeededRandom): number {
  if (rng.chance(0.4)) return rng.pick(F32_CORNERS);
  if (rng.chance(0.2)) return ((rng.below(2) << 31) | rng.below(0x800000)) >>> 0; // subnormal
  if (rng.chance(0.5)) return ((rng.below(2) << 31) | (rng.range(100, 150) << 23) | rng.below(0x800000)) >>> 0;
  return rng.next32();
}

/** A random 8-entry table of 5-bit exponents (any hardware-loadable table, beyond the formats' [-15, 2]). */
export function randomTable(rng: SeededRandom, format: DraftFormatName = 'table'): DraftTable {
  return { format, exps: Array.from({ length: 8 }, () => rng.range(-16, 15)) };
}

/** A stored word for a tensor at scale k: a canonical word of an admissible weight, or any 16-bit word. */
export function randomStored(rng: SeededRandom, k: ScaleK): number {
  if (rng.chance(0.3)) return rng.below(0x10000); // every word has a defined feeder weight
  const limit = k === 0 ? 0x4000 : 0x4400;
  const mag = rng.chance(0.15) ? rng.below(0x800) : rng.below(limit);
  return fp16ToStored((rng.below(2) << 15) | mag, k);
}

/**
 * A random tile: K in [1, kRange] or [kRange[0], kRange[1]], activations corner-biased, weights of one of three kinds:
 * a real tensor (FP16 weights scaled by the offline tool's rule, table from its format), random
 * stored words with a random table and k, or a fallback tensor (raw FP16 words, Inf/NaN included).
 */
export function randomTile(rng: SeededRandom, rows: number, cols: number, kRange: number | readonly [number, number], mode: PeMode = rng.chance(0.5) ? 'draft' : 'verify'): ArrayTile {
  const K = typeof kRange === 'number' ? rng.range(1, kRange) : rng.range(kRange[0], kRange[1]);
  const x = Array.from({ length: rows }, () => Array.from({ length: K }, () => randomF16(rng)));
  const kind = rng.below(3);
  const fmt = DRAFT_FORMATS[rng.chance(0.7) ? 'table' : 'plain'];
  let w: number[][];
  let cfg: SpeqTensorConfig;
  if (kind === 0) {
    // A real tensor: weights in (-4, 4), the offline tool's scale and table.
    const flat = Array.from({ length: cols * K }, () => (rng.below(2) << 15) | (rng.chance(0.1) ? rng.below(0x4400) : rng.below(0x3c00)));
    const sc = analyzeTensor('t', flat, [cols, K]);
    if (sc.fallback) throw new Error('unexpected fallback');
    const k = sc.k;
    w = Array.from({ length: cols }, (_, c) => flat.slice(c * K, (c + 1) * K).map((v) => fp16ToStored(v, k)));
    cfg = { k, fallback: false, format: fmt, table: fmt.computeTable(flat, k) };
  } else if (kind === 1) {
    const k = rng.below(2) as ScaleK;
    w = Array.from({ length: cols }, () => Array.from({ length: K }, () => randomStored(rng, k)));
    cfg = { k, fallback: false, format: DRAFT_FORMATS.table, table: randomTable(rng) };
  } else {
    w = Array.from({ length: cols }, () => Array.from({ length: K }, () => (rng.chance(0.05) ? anyF16(rng) : randomF16(rng, 0.02))));
    cfg = { k: 0, fallback: true, format: DRAFT_FORMATS.table, table: randomTable(rng) };
  }
  return { mode, x, w, cfg, init: rng.chance(0.5) ? 0 : randomF32(rng) };
}
