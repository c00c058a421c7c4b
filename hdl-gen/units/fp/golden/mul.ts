import { FLAG_INVALID, FP16, FP32, type FpFormat, type FpResult } from './formats.ts';
import { roundPack } from './round.ts';

/**
 * a * b in `fmt` (any format with fracBits <= 25, so the exact significand product fits in a
 * Number's 53 bits: 22 bits for binary16, 48 for binary32).
 *
 * NaN operand -> canonical NaN (invalid if either is signaling); Inf * 0 -> canonical NaN +
 * invalid; Inf * x -> Inf; 0 * x -> zero; sign is always sign(a) XOR sign(b) for non-NaN results.
 * Rounding path: the exact product sigA*sigB * 2^(expA+expB) is rounded once by `roundPack` (RNE).
 *
 * Field extraction is inlined (no allocation) because this is the hottest golden operation.
 */
export function fpMul(fmt: FpFormat, a: number, b: number): FpResult {
  const f = fmt.fracBits;
  const expMax = fmt.expMax;
  const fracMask = fmt.fracMask;
  const signShift = fmt.width - 1;
  const sign = ((a >>> signShift) ^ (b >>> signShift)) & 1;
  const expA = (a >>> f) & expMax;
  const expB = (b >>> f) & expMax;
  const fracA = a & fracMask;
  const fracB = b & fracMask;

  if (expA === expMax || expB === expMax) {
    const nanA = expA === expMax && fracA !== 0;
    const nanB = expB === expMax && fracB !== 0;
    if (nanA || nanB) {
      const signaling = (nanA && fracA < fmt.quietBit) || (nanB && fracB < fmt.quietBit);
      return { bits: fmt.canonicalNaN, flags: signaling ? FLAG_INVALID : 0 };
    }
    // At least one infinity, no NaN.
    if ((expA === 0 && fracA === 0) || (expB === 0 && fracB === 0)) {
      return { bits: fmt.canonicalNaN, flags: FLAG_INVALID };
    }
    return { bits: (sign ? fmt.signBit : 0) + fmt.infBits, flags: 0 };
  }

  const sigA = expA === 0 ? fracA : fracA + fmt.hiddenBit;
  const sigB = expB === 0 ? fracB : fracB + fmt.hiddenBit;
  const lsbExp = fmt.emin - f; // exponent of the fraction LSB for exponent field 0 and 1
  const eA = expA === 0 ? lsbExp : lsbExp + expA - 1;
  const eB = expB === 0 ? lsbExp : lsbExp + expB - 1;
  return roundPack(fmt, sign, sigA * sigB, eA + eB);
}

/** binary16 a * b: exact 22-bit product, one RNE rounding to binary16 (see `fpMul`). */
export function f16_mul(a: number, b: number): FpResult {
  return fpMul(FP16, a, b);
}

/** binary32 a * b: exact 48-bit product (Number), one RNE rounding to binary32 (see `fpMul`). */
export function f32_mul(a: number, b: number): FpResult {
  return fpMul(FP32, a, b);
}
