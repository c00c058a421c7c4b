import {
  BF16,
  FLAG_INVALID,
  FP16,
  FP32,
  type FpFormat,
  type FpResult,
  decodeFinite,
  expFieldOf,
  fracFieldOf,
  isSignalingNaN,
  signOf,
} from './formats.ts';
import { roundPack } from './round.ts';

/**
 * Converts an encoding of `from` to `to`. NaN -> canonical NaN of `to` (invalid if signaling);
 * ±Inf -> ±Inf; ±0 -> ±0. Rounding path: the finite value sig * 2^exp is passed unchanged to
 * `roundPack`, which is exact (no flags) when `to` can hold it and rounds once (RNE) otherwise.
 */
export function fpConvert(from: FpFormat, to: FpFormat, bits: number): FpResult {
  if (expFieldOf(from, bits) === from.expMax) {
    if (fracFieldOf(from, bits) !== 0) {
      return { bits: to.canonicalNaN, flags: isSignalingNaN(from, bits) ? FLAG_INVALID : 0 };
    }
    return { bits: (signOf(from, bits) ? to.signBit : 0) + to.infBits, flags: 0 };
  }
  const x = decodeFinite(from, bits);
  return roundPack(to, x.sign, x.sig, x.exp);
}

/** binary16 -> binary32, always exact (subnormals become normals); NaN -> 0x7FC00000. */
export function f16_to_f32(a: number): FpResult {
  return fpConvert(FP16, FP32, a);
}

/**
 * bfloat16 -> binary32, always exact: the encoding shifted left by 16 for every non-NaN input
 * (bf16 subnormals stay subnormal); NaN -> 0x7FC00000 (invalid if signaling).
 */
export function bf16_to_f32(a: number): FpResult {
  return fpConvert(BF16, FP32, a);
}

/** binary32 -> binary16, one RNE rounding (overflow to Inf, subnormal results, underflow flag). */
export function f32_to_f16(a: number): FpResult {
  return fpConvert(FP32, FP16, a);
}

/** binary32 -> bfloat16, one RNE rounding of the 24-bit significand to 8 bits; NaN -> 0x7FC0. */
export function f32_to_bf16(a: number): FpResult {
  return fpConvert(FP32, BF16, a);
}
