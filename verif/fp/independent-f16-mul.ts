/**
 * An independent binary16 multiply used only to cross-check the golden model
 * (hdl-gen/units/fp/golden/mul.ts). It deliberately shares no code with the golden models:
 *
 * - operands are decoded to JS doubles through a table of every finite binary16 magnitude
 *   (built with plain double arithmetic: (1024 + frac) * 2^(e - 25));
 * - the product of two binary16 values (<= 22 significant bits, exponent within [-48, 32]) is
 *   exact in a double, so `da * db` is the exact product;
 * - rounding to binary16 is a binary search in that sorted magnitude table followed by a
 *   comparison against the exact midpoint of the two neighbours (ties -> even encoding).
 *
 * Flags: inexact when the product is not in the table; overflow (+inexact) when the result is the
 * Inf encoding; underflow when inexact and the product is below 2^-14 - 2^-26 (tininess after
 * rounding: values at or above that midpoint round to 2^-14 at 11-bit precision); invalid for
 * Inf*0 or a signaling NaN operand. Every NaN result is 0x7E00.
 */

const INF = 0x7c00;

/** MAGNITUDES[i] = value of the positive binary16 encoding i, for i in [0, 0x7C00]; 0x7C00 -> 2^16. */
const MAGNITUDES: Float64Array = (() => {
  const table = new Float64Array(INF + 1);
  for (let i = 0; i < INF; i++) {
    const e = Math.floor(i / 1024);
    const frac = i % 1024;
    table[i] = e === 0 ? frac * 2 ** -24 : (1024 + frac) * 2 ** (e - 25);
  }
  table[INF] = 65536; // the next binade's first value: rounding to it means overflow
  return table;
})();

const TINY_LIMIT = 2 ** -14 - 2 ** -26;

export interface ReferenceResult {
  bits: number;
  flags: number;
}

function isNaN16(h: number): boolean {
  return h % 0x8000 > INF;
}

function isSignaling16(h: number): boolean {
  return isNaN16(h) && h % 0x8000 < INF + 0x200;
}

function toDouble(h: number): number {
  const mag = h % 0x8000;
  const value = mag === INF ? Infinity : MAGNITUDES[mag];
  return h >= 0x8000 ? -value : value;
}

/** Index of the largest table entry <= m (0 <= m); INF when m >= 2^16. */
function floorIndex(m: number): number {
  if (m >= MAGNITUDES[INF]) return INF;
  let lo = 0;
  let hi = INF - 1; // invariant: MAGNITUDES[lo] <= m; answer in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (MAGNITUDES[mid] <= m) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Value of a binary16 encoding as a double (exact); NaN encodings give NaN. */
export function referenceF16ToDouble(h: number): number {
  if (isNaN16(h)) return NaN;
  return toDouble(h);
}

/**
 * Rounds any non-NaN double to binary16 (RNE, tininess after rounding) by table search. `sign` is
 * taken from the double's sign (including -0). Flags as described at the top of this file.
 */
export function referenceF16FromDouble(x: number): ReferenceResult {
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const m = Math.abs(x);
  if (m === Infinity) return { bits: sign + INF, flags: 0 };
  const i = floorIndex(m);
  if (i === INF) return { bits: sign + INF, flags: 0x04 | 0x01 }; // >= 2^16: beyond every midpoint
  let index: number;
  let inexact: boolean;
  if (MAGNITUDES[i] === m) {
    index = i;
    inexact = false;
  } else {
    inexact = true;
    const midpoint = (MAGNITUDES[i] + MAGNITUDES[i + 1]) / 2; // exact in a double
    if (m < midpoint) index = i;
    else if (m > midpoint) index = i + 1;
    else index = i % 2 === 0 ? i : i + 1;
  }
  if (index >= INF) return { bits: sign + INF, flags: 0x04 | 0x01 };
  let flags = inexact ? 0x01 : 0;
  if (inexact && m < TINY_LIMIT) flags |= 0x02;
  return { bits: sign + index, flags };
}

/** binary16 a * b: exact double product, then `referenceF16FromDouble`. */
export function referenceF16Mul(a: number, b: number): ReferenceResult {
  if (isNaN16(a) || isNaN16(b)) {
    return { bits: 0x7e00, flags: isSignaling16(a) || isSignaling16(b) ? 0x10 : 0 };
  }
  const product = toDouble(a) * toDouble(b); // exact
  if (product !== product) return { bits: 0x7e00, flags: 0x10 }; // Inf * 0
  // The sign of a zero product is the XOR of the operand signs; the double product agrees
  // (-0 for a negative zero product), so rounding it carries the right sign.
  return referenceF16FromDouble(product);
}
