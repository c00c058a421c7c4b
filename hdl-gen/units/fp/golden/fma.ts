import {
  FLAG_INVALID,
  FP16,
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
 * Fused a * b + c in `fmt` with a single rounding (for formats with fracBits <= 25).
 *
 * Special cases follow SoftFloat's mulAdd with RISC-V NaN handling:
 * - any NaN operand -> canonical NaN; invalid if any operand is a signaling NaN, or if a*b is
 *   Inf*0 (so Inf*0 + qNaN raises invalid);
 * - Inf * 0 -> canonical NaN + invalid; Inf product + Inf of the other sign -> canonical NaN + invalid;
 * - Inf product (+ finite or same-signed Inf) -> Inf; finite product + Inf c -> c.
 * Rounding path: product sigA*sigB * 2^(expA+expB) is exact (Number); it is added to c exactly
 * (`addExact`: Number or BigInt alignment); the exact sum is rounded once by `roundPack` (RNE).
 * An exact zero result is +0 unless product and c are both negative (e.g. -0*x + -0 = -0).
 */
export function fpMulAdd(fmt: FpFormat, a: number, b: number, c: number): FpResult {
  const expA = expFieldOf(fmt, a);
  const expB = expFieldOf(fmt, b);
  const expC = expFieldOf(fmt, c);
  const signProd = signOf(fmt, a) ^ signOf(fmt, b);
  const signC = signOf(fmt, c);

  if (expA === fmt.expMax || expB === fmt.expMax || expC === fmt.expMax) {
    const nanA = expA === fmt.expMax && fracFieldOf(fmt, a) !== 0;
    const nanB = expB === fmt.expMax && fracFieldOf(fmt, b) !== 0;
    const nanC = expC === fmt.expMax && fracFieldOf(fmt, c) !== 0;
    const signaling = isSignalingNaN(fmt, a) || isSignalingNaN(fmt, b) || isSignalingNaN(fmt, c);
    if (nanA || nanB) {
      return { bits: fmt.canonicalNaN, flags: signaling ? FLAG_INVALID : 0 };
    }
    const infProd = expA === fmt.expMax || expB === fmt.expMax;
    if (infProd) {
      const zeroA = expA === 0 && fracFieldOf(fmt, a) === 0;
      const zeroB = expB === 0 && fracFieldOf(fmt, b) === 0;
      if (zeroA || zeroB) return { bits: fmt.canonicalNaN, flags: FLAG_INVALID };
      if (nanC) return { bits: fmt.canonicalNaN, flags: signaling ? FLAG_INVALID : 0 };
      if (expC === fmt.expMax && signC !== signProd) {
        return { bits: fmt.canonicalNaN, flags: FLAG_INVALID };
      }
      return { bits: (signProd ? fmt.signBit : 0) + fmt.infBits, flags: 0 };
    }
    // Finite product, c is Inf or NaN.
    if (nanC) return { bits: fmt.canonicalNaN, flags: signaling ? FLAG_INVALID : 0 };
    return { bits: c, flags: 0 };
  }

  const x = decodeFinite(fmt, a);
  const y = decodeFinite(fmt, b);
  const z = decodeFinite(fmt, c);
  const sum = addExact(signProd, x.sig * y.sig, x.exp + y.exp, signC, z.sig, z.exp);
  return roundPack(fmt, sum.sign, sum.sig, sum.exp);
}

/** binary16 fused a*b + c: exact 22-bit product, exact add, one RNE rounding (see `fpMulAdd`). */
export function f16_mulAdd(a: number, b: number, c: number): FpResult {
  return fpMulAdd(FP16, a, b, c);
}
