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
 * Fused a * b + c with a single rounding: a, b in `mulFmt`, c and the result in `addFmt` (for
 * formats with fracBits <= 25; `fpMulAdd` is the same-format case, the MACs mix f16/bf16 with f32).
 *
 * Special cases follow SoftFloat's mulAdd with RISC-V NaN handling:
 * - any NaN operand -> canonical NaN; invalid if any operand is a signaling NaN, or if a*b is
 *   Inf*0 (so Inf*0 + qNaN raises invalid);
 * - Inf * 0 -> canonical NaN + invalid; Inf product + Inf of the other sign -> canonical NaN + invalid;
 * - Inf product (+ finite or same-signed Inf) -> Inf; finite product + Inf c -> c.
 * Rounding path: product sigA*sigB * 2^(expA+expB) is exact (Number); it is added to c exactly
 * (`addExact`: Number or BigInt alignment with sticky jamming, so a product far outside `addFmt`'s
 * range stays exact); the exact sum is rounded once by `roundPack` (RNE).
 * An exact zero result is +0 unless product and c are both negative (e.g. -0*x + -0 = -0).
 */
export function fusedMulAdd(mulFmt: FpFormat, addFmt: FpFormat, a: number, b: number, c: number): FpResult {
  const expA = expFieldOf(mulFmt, a);
  const expB = expFieldOf(mulFmt, b);
  const expC = expFieldOf(addFmt, c);
  const signProd = signOf(mulFmt, a) ^ signOf(mulFmt, b);
  const signC = signOf(addFmt, c);
  const nan = addFmt.canonicalNaN;

  if (expA === mulFmt.expMax || expB === mulFmt.expMax || expC === addFmt.expMax) {
    const nanA = expA === mulFmt.expMax && fracFieldOf(mulFmt, a) !== 0;
    const nanB = expB === mulFmt.expMax && fracFieldOf(mulFmt, b) !== 0;
    const nanC = expC === addFmt.expMax && fracFieldOf(addFmt, c) !== 0;
    const signaling = isSignalingNaN(mulFmt, a) || isSignalingNaN(mulFmt, b) || isSignalingNaN(addFmt, c);
    if (nanA || nanB) return { bits: nan, flags: signaling ? FLAG_INVALID : 0 };
    if (expA === mulFmt.expMax || expB === mulFmt.expMax) {
      const zeroA = expA === 0 && fracFieldOf(mulFmt, a) === 0;
      const zeroB = expB === 0 && fracFieldOf(mulFmt, b) === 0;
      if (zeroA || zeroB) return { bits: nan, flags: FLAG_INVALID };
      if (nanC) return { bits: nan, flags: signaling ? FLAG_INVALID : 0 };
      if (expC === addFmt.expMax && signC !== signProd) return { bits: nan, flags: FLAG_INVALID };
      return { bits: (signProd ? addFmt.signBit : 0) + addFmt.infBits, flags: 0 };
    }
    // Finite product, c is Inf or NaN.
    if (nanC) return { bits: nan, flags: signaling ? FLAG_INVALID : 0 };
    return { bits: c, flags: 0 };
  }

  const x = decodeFinite(mulFmt, a);
  const y = decodeFinite(mulFmt, b);
  const z = decodeFinite(addFmt, c);
  const sum = addExact(signProd, x.sig * y.sig, x.exp + y.exp, signC, z.sig, z.exp);
  return roundPack(addFmt, sum.sign, sum.sig, sum.exp);
}

/** Fused a * b + c, all in `fmt`, one rounding (see `fusedMulAdd`). */
export function fpMulAdd(fmt: FpFormat, a: number, b: number, c: number): FpResult {
  return fusedMulAdd(fmt, fmt, a, b, c);
}

/** binary16 fused a*b + c: exact 22-bit product, exact add, one RNE rounding (see `fpMulAdd`). */
export function f16_mulAdd(a: number, b: number, c: number): FpResult {
  return fpMulAdd(FP16, a, b, c);
}
