import {
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
import { bitLength, roundPack } from './round.ts';

/** An exact real value (-1)^sign * sig * 2^exp; sig is a Number when it fits 53 bits. */
export interface ExactValue {
  sign: number;
  sig: number | bigint;
  exp: number;
}

/**
 * Exact sum of two values given as (sign, integer significand < 2^52, exponent). No rounding:
 * both are aligned to the smaller exponent, in Number arithmetic when the aligned sum fits in
 * 53 bits, otherwise in BigInt.
 *
 * An exact zero sum is +0 unless both addends are negative (x + -x = +0, -0 + -0 = -0), which is
 * the IEEE rule for round-to-nearest.
 */
export function addExact(
  signA: number,
  sigA: number,
  expA: number,
  signB: number,
  sigB: number,
  expB: number,
): ExactValue {
  // Arrange for A to have the larger exponent.
  if (expA < expB) {
    return addExact(signB, sigB, expB, signA, sigA, expA);
  }
  const diff = expA - expB;
  if (bitLength(sigA) + diff <= 52) {
    const alignedA = sigA * 2 ** diff; // < 2^52, exact
    const sum = (signA ? -alignedA : alignedA) + (signB ? -sigB : sigB); // |sum| < 2^53, exact
    if (sum === 0) return { sign: signA & signB, sig: 0, exp: expB };
    return sum < 0 ? { sign: 1, sig: -sum, exp: expB } : { sign: 0, sig: sum, exp: expB };
  }
  const alignedA = BigInt(sigA) << BigInt(diff);
  const sum = (signA ? -alignedA : alignedA) + BigInt(signB ? -sigB : sigB);
  if (sum === 0n) return { sign: signA & signB, sig: 0, exp: expB };
  return sum < 0n ? { sign: 1, sig: -sum, exp: expB } : { sign: 0, sig: sum, exp: expB };
}

/**
 * a + b in `fmt`. NaN operand -> canonical NaN (invalid if either is signaling); Inf + -Inf ->
 * canonical NaN + invalid; Inf + x -> that Inf. Finite: the exact sum (`addExact`) is rounded once
 * by `roundPack` (RNE); an exact zero sum is +0 unless both addends are negative.
 */
export function fpAdd(fmt: FpFormat, a: number, b: number): FpResult {
  const expA = expFieldOf(fmt, a);
  const expB = expFieldOf(fmt, b);
  if (expA === fmt.expMax || expB === fmt.expMax) {
    const nanA = expA === fmt.expMax && fracFieldOf(fmt, a) !== 0;
    const nanB = expB === fmt.expMax && fracFieldOf(fmt, b) !== 0;
    if (nanA || nanB) {
      const invalid = isSignalingNaN(fmt, a) || isSignalingNaN(fmt, b);
      return { bits: fmt.canonicalNaN, flags: invalid ? FLAG_INVALID : 0 };
    }
    if (expA === fmt.expMax && expB === fmt.expMax && signOf(fmt, a) !== signOf(fmt, b)) {
      return { bits: fmt.canonicalNaN, flags: FLAG_INVALID };
    }
    return { bits: expA === fmt.expMax ? a : b, flags: 0 };
  }
  const x = decodeFinite(fmt, a);
  const y = decodeFinite(fmt, b);
  const sum = addExact(x.sign, x.sig, x.exp, y.sign, y.sig, y.exp);
  return roundPack(fmt, sum.sign, sum.sig, sum.exp);
}

/** binary16 a + b: exact sum, one RNE rounding to binary16 (see `fpAdd`). */
export function f16_add(a: number, b: number): FpResult {
  return fpAdd(FP16, a, b);
}

/** binary32 a + b: exact sum (BigInt when the exponent gap is wide), one RNE rounding to binary32. */
export function f32_add(a: number, b: number): FpResult {
  return fpAdd(FP32, a, b);
}
