/**
 * IEEE-754 style binary interchange formats used by the floating-point golden models, and the
 * field-level helpers (unpack, pack, classify) shared by every operation.
 *
 * Encodings are handled as unsigned JS Numbers in [0, 2^width). Bitwise operators are only
 * applied in ways that stay correct for 32-bit patterns (`>>>` for the sign, masks below bit 31).
 */

/** IEEE exception flag bits, in the layout used by the shared test vectors (TestFloat order). */
export const FLAG_INEXACT = 1 << 0;
export const FLAG_UNDERFLOW = 1 << 1;
export const FLAG_OVERFLOW = 1 << 2;
export const FLAG_DIVBYZERO = 1 << 3;
export const FLAG_INVALID = 1 << 4;

/** Result of every golden operation: the encoded result and the IEEE exception flags it raised. */
export interface FpResult {
  bits: number;
  flags: number;
}

export interface FpFormat {
  readonly name: 'fp16' | 'bf16' | 'fp32';
  /** Total width in bits (sign + exponent + fraction). */
  readonly width: number;
  readonly expBits: number;
  /** Stored fraction bits (the significand precision is fracBits + 1). */
  readonly fracBits: number;
  readonly bias: number;
  /** All-ones exponent field value (Inf / NaN). */
  readonly expMax: number;
  /** Smallest unbiased exponent of a normal number: 1 - bias. */
  readonly emin: number;
  /** Unbiased exponent of the largest finite number: expMax - 1 - bias. */
  readonly emax: number;
  /** Value of the sign bit (2^(width-1)); added, never OR-ed, so FP32 stays an unsigned Number. */
  readonly signBit: number;
  readonly fracMask: number;
  /** Hidden (implicit) significand bit: 2^fracBits. */
  readonly hiddenBit: number;
  /** Quiet bit of a NaN: the most significant fraction bit. */
  readonly quietBit: number;
  /** Encoding of +Infinity; -Infinity is signBit + infBits. */
  readonly infBits: number;
  /** Encoding of the largest finite positive number. */
  readonly maxFiniteBits: number;
  /** The single NaN every operation returns (RISC-V canonical quiet NaN, positive). */
  readonly canonicalNaN: number;
}

function makeFormat(name: FpFormat['name'], expBits: number, fracBits: number): FpFormat {
  const width = 1 + expBits + fracBits;
  const bias = 2 ** (expBits - 1) - 1;
  const expMax = 2 ** expBits - 1;
  const infBits = expMax * 2 ** fracBits;
  const quietBit = 2 ** (fracBits - 1);
  return Object.freeze({
    name,
    width,
    expBits,
    fracBits,
    bias,
    expMax,
    emin: 1 - bias,
    emax: expMax - 1 - bias,
    signBit: 2 ** (width - 1),
    fracMask: 2 ** fracBits - 1,
    hiddenBit: 2 ** fracBits,
    quietBit,
    infBits,
    maxFiniteBits: infBits - 1,
    canonicalNaN: infBits + quietBit,
  });
}

/** IEEE binary16: 1 sign, 5 exponent, 10 fraction bits; canonical NaN 0x7E00. */
export const FP16: FpFormat = makeFormat('fp16', 5, 10);
/** bfloat16: 1 sign, 8 exponent, 7 fraction bits (FP32's upper half); canonical NaN 0x7FC0. */
export const BF16: FpFormat = makeFormat('bf16', 8, 7);
/** IEEE binary32: 1 sign, 8 exponent, 23 fraction bits; canonical NaN 0x7FC00000. */
export const FP32: FpFormat = makeFormat('fp32', 8, 23);

export interface FpFields {
  /** 0 or 1. */
  sign: number;
  /** Biased exponent field. */
  exp: number;
  /** Fraction field. */
  frac: number;
}

export function signOf(fmt: FpFormat, bits: number): number {
  return bits >= fmt.signBit ? 1 : 0;
}

export function expFieldOf(fmt: FpFormat, bits: number): number {
  return Math.floor(bits / fmt.hiddenBit) % (fmt.expMax + 1);
}

export function fracFieldOf(fmt: FpFormat, bits: number): number {
  return bits % fmt.hiddenBit;
}

export function unpack(fmt: FpFormat, bits: number): FpFields {
  return { sign: signOf(fmt, bits), exp: expFieldOf(fmt, bits), frac: fracFieldOf(fmt, bits) };
}

export function pack(fmt: FpFormat, sign: number, exp: number, frac: number): number {
  return (sign ? fmt.signBit : 0) + exp * fmt.hiddenBit + frac;
}

/** True when `bits` is a valid encoding of `fmt` (an integer in [0, 2^width)). */
export function isEncoding(fmt: FpFormat, bits: number): boolean {
  return Number.isInteger(bits) && bits >= 0 && bits < 2 * fmt.signBit;
}

export function isNaNEncoding(fmt: FpFormat, bits: number): boolean {
  return expFieldOf(fmt, bits) === fmt.expMax && fracFieldOf(fmt, bits) !== 0;
}

/** A NaN whose quiet bit is clear (RISC-V / IEEE 2008 convention). */
export function isSignalingNaN(fmt: FpFormat, bits: number): boolean {
  const frac = fracFieldOf(fmt, bits);
  return expFieldOf(fmt, bits) === fmt.expMax && frac !== 0 && frac < fmt.quietBit;
}

export function isInfinity(fmt: FpFormat, bits: number): boolean {
  return bits % fmt.signBit === fmt.infBits;
}

export function isZero(fmt: FpFormat, bits: number): boolean {
  return bits % fmt.signBit === 0;
}

export function isSubnormal(fmt: FpFormat, bits: number): boolean {
  return expFieldOf(fmt, bits) === 0 && fracFieldOf(fmt, bits) !== 0;
}

export type FpClass = 'zero' | 'subnormal' | 'normal' | 'infinity' | 'quietNaN' | 'signalingNaN';

export function classify(fmt: FpFormat, bits: number): FpClass {
  const exp = expFieldOf(fmt, bits);
  const frac = fracFieldOf(fmt, bits);
  if (exp === 0) return frac === 0 ? 'zero' : 'subnormal';
  if (exp !== fmt.expMax) return 'normal';
  if (frac === 0) return 'infinity';
  return frac >= fmt.quietBit ? 'quietNaN' : 'signalingNaN';
}

/**
 * Exact value of a finite encoding as sign * sig * 2^exp with `sig` an integer significand
 * (hidden bit included for normals). Zero gives sig 0. Not meaningful for Inf/NaN.
 */
export interface ExactFinite {
  sign: number;
  sig: number;
  exp: number;
}

export function decodeFinite(fmt: FpFormat, bits: number): ExactFinite {
  const { sign, exp, frac } = unpack(fmt, bits);
  return exp === 0
    ? { sign, sig: frac, exp: fmt.emin - fmt.fracBits }
    : { sign, sig: frac + fmt.hiddenBit, exp: exp - fmt.bias - fmt.fracBits };
}

/** Encoding of ±Infinity / ±0 for a sign (0 or 1). */
export function infinityOf(fmt: FpFormat, sign: number): number {
  return (sign ? fmt.signBit : 0) + fmt.infBits;
}

export function zeroOf(fmt: FpFormat, sign: number): number {
  return sign ? fmt.signBit : 0;
}
