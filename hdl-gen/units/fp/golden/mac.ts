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
} from './formats.ts';
import { addExact } from './add.ts';
import { roundPack } from './round.ts';

/**
 * Mixed-precision multiply-accumulate: acc' = round_fp32(acc + a*b), with a, b binary16 and acc,
 * acc' binary32. Operand order everywhere (ops table, vector files): a, b, acc.
 *
 * Rounding path: the binary16 product sigA*sigB * 2^(expA+expB) (<= 22 bits) is formed exactly,
 * added exactly to acc (`addExact`), and the sum is rounded ONCE to binary32 by `roundPack` (RNE).
 * (The product is always representable in binary32, so this equals f32_add(acc, exact product).)
 *
 * Special cases mirror a fused multiply-add (SoftFloat/RISC-V conventions): any NaN -> 0x7FC00000,
 * invalid if any operand is a signaling NaN (binary16 sNaN for a/b, binary32 sNaN for acc) or if
 * a*b is Inf*0 (even when acc is a quiet NaN); Inf product + Inf acc of the other sign -> NaN +
 * invalid; Inf product otherwise -> that Inf; finite product + Inf acc -> acc. An exact zero result
 * is +0 unless product and acc are both negative.
 */
export function mac_f16_f32(a: number, b: number, acc: number): FpResult {
  const expA = expFieldOf(FP16, a);
  const expB = expFieldOf(FP16, b);
  const expC = expFieldOf(FP32, acc);
  const signProd = signOf(FP16, a) ^ signOf(FP16, b);
  const signC = signOf(FP32, acc);
  const nan = FP32.canonicalNaN;

  if (expA === FP16.expMax || expB === FP16.expMax || expC === FP32.expMax) {
    const nanA = expA === FP16.expMax && fracFieldOf(FP16, a) !== 0;
    const nanB = expB === FP16.expMax && fracFieldOf(FP16, b) !== 0;
    const nanC = expC === FP32.expMax && fracFieldOf(FP32, acc) !== 0;
    const signaling =
      isSignalingNaN(FP16, a) || isSignalingNaN(FP16, b) || isSignalingNaN(FP32, acc);
    if (nanA || nanB) return { bits: nan, flags: signaling ? FLAG_INVALID : 0 };
    if (expA === FP16.expMax || expB === FP16.expMax) {
      const zeroA = expA === 0 && fracFieldOf(FP16, a) === 0;
      const zeroB = expB === 0 && fracFieldOf(FP16, b) === 0;
      if (zeroA || zeroB) return { bits: nan, flags: FLAG_INVALID };
      if (nanC) return { bits: nan, flags: signaling ? FLAG_INVALID : 0 };
      if (expC === FP32.expMax && signC !== signProd) return { bits: nan, flags: FLAG_INVALID };
      return { bits: (signProd ? FP32.signBit : 0) + FP32.infBits, flags: 0 };
    }
    if (nanC) return { bits: nan, flags: signaling ? FLAG_INVALID : 0 };
    return { bits: acc, flags: 0 };
  }

  const x = decodeFinite(FP16, a);
  const y = decodeFinite(FP16, b);
  const z = decodeFinite(FP32, acc);
  const sum = addExact(signProd, x.sig * y.sig, x.exp + y.exp, signC, z.sig, z.exp);
  return roundPack(FP32, sum.sign, sum.sig, sum.exp);
}
