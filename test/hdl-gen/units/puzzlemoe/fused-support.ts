/**
 * Test support for the PuzzleMoE fused two-expert GEMV: random stimulus (packed words, BF16
 * activations with specials and subnormals) and an independent reference MAC written with plain
 * double arithmetic (no code shared with the golden model).
 */
import type { SeededRandom } from '../../../../verif/random.ts';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function f32Value(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0];
}
function f32Bits(x: number): number {
  f32[0] = x;
  return u32[0];
}

/** The value of an fp32 encoding, with Inf read as +-2^128 (the next step past the largest finite). */
function virtualValue(bits: number): number {
  const v = f32Value(bits);
  return Number.isFinite(v) ? v : Math.sign(v) * 2 ** 128;
}

/**
 * Independent reference of one MAC step: round_fp32(acc + a*b) for BF16 a, b and FP32 acc, RNE,
 * canonical NaN. The BF16 product is exact in a double; the sum s = acc + p is exact up to its
 * TwoSum error e, and Math.fround(s) is the correct rounding of s + e unless s lies exactly halfway
 * between two fp32 values (then the sign of e decides).
 */
export function referenceMacF32(a: number, b: number, acc: number): number {
  const p = f32Value(a << 16) * f32Value(b << 16);
  const c = f32Value(acc);
  const s = c + p;
  if (Number.isNaN(s)) return 0x7fc00000;
  if (!Number.isFinite(s)) return f32Bits(s); // Inf + finite, or Inf + Inf of one sign
  const bv = s - c;
  const e = c - (s - bv) + (p - bv); // TwoSum: s + e = c + p exactly
  const f = Math.fround(s);
  if (e === 0 || f === s) return f32Bits(f);
  // the fp32 values bracketing s: f and its neighbour on s's side (sign-magnitude encodings)
  const fb = f32Bits(f);
  const F = virtualValue(fb);
  const G = virtualValue(Math.abs(s) > Math.abs(F) ? fb + 1 : fb - 1);
  if (s !== F / 2 + G / 2) return fb;
  const pick = e > 0 === G > F ? G : F;
  return f32Bits(Math.abs(pick) >= 2 ** 128 ? Math.sign(pick) * Infinity : pick);
}

/** A random BF16 activation: mostly normal values of moderate size, plus zeros, subnormals, extremes and specials. */
export function randomActivation(rng: SeededRandom): number {
  const sign = rng.below(2) << 15;
  const r = rng.below(100);
  if (r < 70) return sign | ((rng.range(112, 140) << 7) | rng.below(128)); // |x| in 2^-15 .. 2^14
  if (r < 76) return sign; // +-0
  if (r < 82) return sign | rng.range(1, 127); // subnormal
  if (r < 86) return sign | ((rng.pick([1, 2, 250, 253, 254]) << 7) | rng.below(128)); // extremes
  if (r < 89) return sign | 0x7f80; // Inf
  if (r < 91) return sign | 0x7f80 | rng.range(1, 127); // NaN (quiet or signalling)
  return rng.below(0x10000); // any encoding
}

/** A random activation that is finite (no Inf/NaN), so that a dot product rarely ends in NaN. */
export function randomFiniteActivation(rng: SeededRandom): number {
  for (;;) {
    const x = randomActivation(rng);
    if (((x >> 7) & 0xff) !== 0xff) return x;
  }
}

/** A random FP32 accumulator value with the same kind of mix. */
export function randomAccumulator(rng: SeededRandom): number {
  const sign = (rng.below(2) << 31) >>> 0;
  const r = rng.below(100);
  if (r < 70) return (sign | (rng.range(100, 150) << 23) | rng.below(1 << 23)) >>> 0;
  if (r < 76) return sign;
  if (r < 82) return (sign | rng.range(1, (1 << 23) - 1)) >>> 0;
  if (r < 86) return (sign | (rng.pick([1, 2, 253, 254]) << 23) | rng.below(1 << 23)) >>> 0;
  if (r < 89) return (sign | 0x7f800000) >>> 0;
  if (r < 91) return (sign | 0x7f800000 | rng.range(1, (1 << 23) - 1)) >>> 0;
  return rng.next32();
}

/** A random packed word: any 16-bit value (valid mask pairs mostly, the invalid 00 pair too). */
export function randomPackedWord(rng: SeededRandom): number {
  const w = rng.below(0x10000);
  // make the invalid mask pair 00 rare (1 in 16) instead of 1 in 4
  if (((w >> 12) & 3) === 0 && rng.below(4) !== 0) return w | (rng.range(1, 3) << 12);
  return w;
}

export const hex = (x: number, digits: number) => `0x${(x >>> 0).toString(16).padStart(digits, '0')}`;
