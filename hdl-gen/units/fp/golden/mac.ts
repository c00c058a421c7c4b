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
import { addExact } from './add.ts';
import { roundPack } from './round.ts';

/**
 * Mixed-precision multiply-accumulate: acc' = round_fp32(acc + a*b), with a, b in `inFmt` (binary16
 * or bfloat16) and acc, acc' binary32. Operand order everywhere (ops table, vector files): a, b, acc.
 *
 * Rounding path: the product sigA*sigB * 2^(expA+expB) (<= 22 bits for binary16, <= 16 for
 * bfloat16, exact in a Number) is formed exactly, added exactly to acc (`addExact`, BigInt
 * alignment with sticky jamming, so a bfloat16 product far outside binary32's range is still
 * exact), and the sum is rounded ONCE to binary32 by `roundPack` (RNE). For binary16 the product
 * is always representable in binary32, so this equals f32_add(acc, exact product).
 *
 * Special cases mirror a fused multiply-add (SoftFloat/RISC-V conventions): any NaN -> 0x7FC00000,
 * invalid if any operand is a signaling NaN (input-format sNaN for a/b, binary32 sNaN for acc) or if
 * a*b is Inf*0 (even when acc is a quiet NaN); Inf product + Inf acc of the other sign -> NaN +
 * invalid; Inf product otherwise -> that Inf; finite product + Inf acc -> acc. An exact zero result
 * is +0 unless product and acc are both negative.
 */
export function macToF32(inFmt: FpFormat, a: number, b: number, acc: number): FpResult {
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

/** acc' = round_fp32(acc + a*b) with binary16 a, b: the PE's verify-mode MAC. */
export function mac_f16_f32(a: number, b: number, acc: number): FpResult {
  return macToF32(FP16, a, b, acc);
}

/** acc' = round_fp32(acc + a*b) with bfloat16 a, b. */
export function mac_bf16_f32(a: number, b: number, acc: number): FpResult {
  return macToF32(BF16, a, b, acc);
}
