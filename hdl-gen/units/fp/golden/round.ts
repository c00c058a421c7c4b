import {
  FLAG_INEXACT,
  FLAG_OVERFLOW,
  FLAG_UNDERFLOW,
  type FpFormat,
  type FpResult,
} from './formats.ts';

/**
 * The one rounding routine of the golden models: every operation forms its result exactly as
 * sign * sig * 2^exp and calls `roundPack` once. Rounding is round-to-nearest, ties-to-even;
 * tininess is detected after rounding; the underflow flag is raised only for tiny AND inexact
 * results (IEEE default handling, as SoftFloat does); overflow rounds to Inf and raises
 * overflow + inexact.
 */

/** Exact powers of two 2^0 .. 2^64 as Numbers (exact in a double). */
const POW2: readonly number[] = Array.from({ length: 65 }, (_, i) => 2 ** i);

/** Largest significand kept as a Number; wider exact values are compressed with a sticky bit. */
const NUMBER_SIG_BITS = 53;

/** Number of significant bits of a non-negative integer Number < 2^53 (0 for 0). */
export function bitLength(x: number): number {
  if (x < 0x1_0000_0000) return 32 - Math.clz32(x);
  return 64 - Math.clz32(Math.floor(x / 0x1_0000_0000));
}

/** Number of significant bits of a non-negative BigInt (0 for 0n). */
export function bigBitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Set by `shiftRightRNE`: whether the bits shifted out were non-zero. Avoids an allocation. */
let shiftedOutNonZero = false;

/**
 * floor-or-ceil(sig / 2^shift) rounded to nearest, ties to even, for an integer 0 <= sig < 2^53
 * and shift >= 1. Records inexactness in `shiftedOutNonZero`.
 */
function shiftRightRNE(sig: number, shift: number): number {
  if (shift > NUMBER_SIG_BITS) {
    // sig < 2^53 <= 2^(shift-1) = half an ulp: rounds to 0.
    shiftedOutNonZero = sig !== 0;
    return 0;
  }
  const unit = POW2[shift];
  const kept = Math.floor(sig / unit); // exact: division by a power of two
  const rem = sig - kept * unit;
  const half = unit / 2;
  shiftedOutNonZero = rem !== 0;
  if (rem > half || (rem === half && kept % 2 === 1)) return kept + 1;
  return kept;
}

/**
 * Compresses an exact BigInt significand to at most 53 bits, OR-ing everything shifted out into
 * the least significant kept bit ("sticky jamming"). The rounding point of any supported format
 * (<= 24-bit precision, i.e. >= 29 bits above the kept LSB) sees the same round/sticky
 * information, so rounding the compressed value is identical to rounding the exact one.
 */
function jam(sig: bigint, exp: number): { sig: number; exp: number } {
  const n = bigBitLength(sig);
  if (n <= NUMBER_SIG_BITS) return { sig: Number(sig), exp };
  const drop = n - NUMBER_SIG_BITS;
  const dropBig = BigInt(drop);
  let kept = sig >> dropBig;
  if (kept << dropBig !== sig) kept |= 1n;
  return { sig: Number(kept), exp: exp + drop };
}

/**
 * Rounds the exact value (-1)^sign * sig * 2^exp to `fmt` (RNE) and packs it.
 *
 * Rounding path: the quantum is q = max(E - fracBits, emin - fracBits), where E is the exponent
 * of sig's leading bit; sig is shifted to that quantum with one RNE step; the encoding is then
 * (q - qmin) * 2^fracBits + m, so a carry out of the significand (including subnormal -> normal)
 * propagates into the exponent field by plain addition. An encoding reaching the Inf pattern is
 * overflow. Tininess (after rounding) re-rounds to precision fracBits+1 with unbounded exponent
 * only when the result is inexact and its leading bit lies below 2^emin.
 *
 * `sig` must be a non-negative integer (Number < 2^53, or any BigInt). sig = 0 gives a zero of
 * the given sign (the caller decides the sign of exact zeros) with no flags.
 */
export function roundPack(fmt: FpFormat, sign: number, sig: number | bigint, exp: number): FpResult {
  let s: number;
  if (typeof sig === 'bigint') {
    const jammed = jam(sig, exp);
    s = jammed.sig;
    exp = jammed.exp;
  } else {
    s = sig;
  }
  const signBits = sign ? fmt.signBit : 0;
  if (s === 0) return { bits: signBits, flags: 0 };

  const f = fmt.fracBits;
  const lead = exp + bitLength(s) - 1; // unbiased exponent of the leading bit
  const qMin = fmt.emin - f;
  const q = lead - f > qMin ? lead - f : qMin;
  const shift = q - exp;

  let m: number;
  let inexact: boolean;
  if (shift <= 0) {
    m = s * POW2[-shift];
    inexact = false;
  } else {
    m = shiftRightRNE(s, shift);
    inexact = shiftedOutNonZero;
  }

  const magnitude = (q - qMin) * fmt.hiddenBit + m;
  if (magnitude >= fmt.infBits) {
    return { bits: signBits + fmt.infBits, flags: FLAG_OVERFLOW | FLAG_INEXACT };
  }
  let flags = 0;
  if (inexact) {
    flags = FLAG_INEXACT;
    if (lead < fmt.emin && isTinyAfterRounding(fmt, s, exp, lead)) flags |= FLAG_UNDERFLOW;
  }
  return { bits: signBits + magnitude, flags };
}

/**
 * Tininess after rounding: would s * 2^exp, rounded to fracBits+1 significant bits with an
 * unbounded exponent range, still be below 2^emin? Only called when lead < emin.
 */
function isTinyAfterRounding(fmt: FpFormat, s: number, exp: number, lead: number): boolean {
  if (lead < fmt.emin - 1) return true; // even rounding up cannot reach 2^emin
  const shift = lead - fmt.fracBits - exp;
  if (shift <= 0) return true; // exact at full precision: stays below 2^emin
  return shiftRightRNE(s, shift) < 2 * fmt.hiddenBit;
}
