import { addExact } from '../../hdl-gen/units/fp/golden/add.ts';
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
} from '../../hdl-gen/units/fp/golden/formats.ts';
import { roundPack } from '../../hdl-gen/units/fp/golden/round.ts';

/**
 * Golden multiply-accumulate for any multiplicand format: acc' = round_fp32(acc + a*b), a and b in
 * `inFmt`, acc in binary32, one rounding. It is the golden `mac_f16_f32` (hdl-gen/units/fp/golden/
 * mac.ts) with the input format as a parameter, built from the same golden primitives (exact
 * product, `addExact`, one `roundPack`), so that `mac_bf16_f32` has a model too. The product of
 * two bf16 significands (<= 16 bits) is exact in a Number; its exponent may lie far below binary32's
 * range, which `addExact` / `roundPack` handle exactly (BigInt alignment, sticky jamming).
 * Tests check that fpMacGolden(FP16, ...) equals the golden mac_f16_f32 bit for bit, flags included.
 */
export function fpMacGolden(inFmt: FpFormat, a: number, b: number, acc: number): FpResult {
  const expA = expFieldOf(inFmt, a);
  const expB = expFieldOf(inFmt, b);
  const expC = expFieldOf(FP32, acc);
  const signProd = signOf(inFmt, a) ^ signOf(inFmt, b);
  const signC = signOf(FP32, acc);
  const nan = FP32.canonicalNaN;

  if (expA === inFmt.expMax || expB === inFmt.expMax || expC === FP32.expMax) {
    const nanA = expA === inFmt.expMax && fracFieldOf(inFmt, a) !== 0;
    const nanB = expB === inFmt.expMax && fracFieldOf(inFmt, b) !== 0;
    const nanC = expC === FP32.expMax && fracFieldOf(FP32, acc) !== 0;
    const signaling = isSignalingNaN(inFmt, a) || isSignalingNaN(inFmt, b) || isSignalingNaN(FP32, acc);
    if (nanA || nanB) return { bits: nan, flags: signaling ? FLAG_INVALID : 0 };
    if (expA === inFmt.expMax || expB === inFmt.expMax) {
      const zeroA = expA === 0 && fracFieldOf(inFmt, a) === 0;
      const zeroB = expB === 0 && fracFieldOf(inFmt, b) === 0;
      if (zeroA || zeroB) return { bits: nan, flags: FLAG_INVALID };
      if (nanC) return { bits: nan, flags: signaling ? FLAG_INVALID : 0 };
      if (expC === FP32.expMax && signC !== signProd) return { bits: nan, flags: FLAG_INVALID };
      return { bits: (signProd ? FP32.signBit : 0) + FP32.infBits, flags: 0 };
    }
    if (nanC) return { bits: nan, flags: signaling ? FLAG_INVALID : 0 };
    return { bits: acc, flags: 0 };
  }

  const x = decodeFinite(inFmt, a);
  const y = decodeFinite(inFmt, b);
  const z = decodeFinite(FP32, acc);
  const sum = addExact(signProd, x.sig * y.sig, x.exp + y.exp, signC, z.sig, z.exp);
  return roundPack(FP32, sum.sign, sum.sig, sum.exp);
}

/** acc' = round_fp32(acc + a*b) with bfloat16 a, b (operand order a, b, acc). */
export function mac_bf16_f32(a: number, b: number, acc: number): FpResult {
  return fpMacGolden(BF16, a, b, acc);
}

/** The same model for binary16 inputs (must equal the golden mac_f16_f32). */
export function mac_f16_f32_generic(a: number, b: number, acc: number): FpResult {
  return fpMacGolden(FP16, a, b, acc);
}
