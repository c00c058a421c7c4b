/**
 * Test support for PuzzleMoE: the spec's reference table and independent reference
 * implementations written from the spec's prose with plain arithmetic (no bit tricks shared with
 * the golden model).
 */

/** One row of the spec's reference table (tau 0.4). */
export interface ReferenceRow {
  readonly wi: number;
  readonly wj: number;
  readonly xi: number;
  readonly xj: number;
  readonly wiBf16: number;
  readonly wjBf16: number;
  readonly packed: number;
  readonly lane0: number;
  readonly lane1: number;
}

/** /work/shared/specs/puzzlemoe.md, "Reference cases", all seven rows verbatim. */
export const REFERENCE_TABLE: readonly ReferenceRow[] = [
  { wi: 0.0123, wj: -0.0131, xi: 1, xj: 1, wiBf16: 0x3c4a, wjBf16: 0xbc57, packed: 0x7450, lane0: 0x3c50, lane1: 0xbc50 },
  { wi: 0.0123, wj: -0.04, xi: 1, xj: 1, wiBf16: 0x3c4a, wjBf16: 0xbd24, packed: 0x5524, lane0: 0x0000, lane1: 0xbd24 },
  { wi: -0.05, wj: 0.01, xi: 0.2, xj: 3.0, wiBf16: 0xbd4d, wjBf16: 0x3c24, packed: 0x9424, lane0: 0x0000, lane1: 0x3c24 },
  { wi: 1e-6, wj: 2e-6, xi: 1, xj: 1, wiBf16: 0x3586, wjBf16: 0x3606, packed: 0x3049, lane0: 0x3849, lane1: 0x3849 },
  { wi: 0, wj: 0, xi: 1, xj: 1, wiBf16: 0x0000, wjBf16: 0x0000, packed: 0x2000, lane0: 0x3800, lane1: 0x0000 },
  { wi: -2.5, wj: 2.25, xi: 1, xj: 1, wiBf16: 0xc020, wjBf16: 0x4010, packed: 0xb818, lane0: 0xc018, lane1: 0x4018 },
  { wi: 3.0, wj: 0.25, xi: 1, xj: 1, wiBf16: 0x4040, wjBf16: 0x3e80, packed: 0x2840, lane0: 0x4040, lane1: 0x0000 },
];

/**
 * The spec's row 5 (0, 0) conflicts with its own DECISION "a + b == 0 counts as shared": shared
 * means masks 11, i.e. packed 0x3000 (lanes 0x3800, 0x3800); the table's 0x2000 is masks 10
 * ("not shared, i wins the tie"). The golden default follows the DECISION; `zeroPairShared: false`
 * reproduces the table.
 */
export const ZERO_ROW_PACKED_PER_DECISION = 0x3000;

const dv = new DataView(new ArrayBuffer(4));

/** bf16 encoding of a value that bf16 represents exactly (asserts it). */
export function exactBf16(v: number): number {
  dv.setFloat32(0, v);
  const bits = dv.getUint32(0);
  if (dv.getFloat32(0) !== v || (bits & 0xffff) !== 0) throw new Error(`${v} is not a bf16 value`);
  return bits >>> 16;
}

/** Value of a bf16 encoding (finite). */
export function bf16ToNumber(h: number): number {
  dv.setUint32(0, h * 65536);
  return dv.getFloat32(0);
}

/**
 * Independent decode, from the spec's prose: position p's mask is bit 13 - p; if clear the result
 * is +0; else the value (-1)^s * 2^(e5 + offset - 127) * (1 + mantissa / 128), re-encoded.
 */
export function referenceDecode(word: number, p: 0 | 1, offset = 112): number {
  const bit = (i: number) => Math.floor(word / 2 ** i) % 2;
  if (bit(13 - p) === 0) return 0;
  const sign = bit(15 - p);
  const e5 = Math.floor(word / 128) % 32;
  const mantissa = word % 128;
  const value = (sign ? -1 : 1) * 2 ** (e5 + offset - 127) * (1 + mantissa / 128);
  return exactBf16(value);
}

/** Round-to-nearest-even of an exact positive rational num / 2^shift to bf16 (independent, BigInt). */
export function referenceRoundToBf16(num: bigint, shift: number): number {
  if (num === 0n) return 0;
  // value = num * 2^-shift; find the exponent t with 2^t <= value < 2^(t+1).
  const len = num.toString(2).length;
  const t = len - 1 - shift;
  // quantum: 2^(t-7) for normals, 2^(-133) for subnormals (emin -126, 7 fraction bits).
  const q = Math.max(t - 7, -133);
  // kept = round(value / 2^q) = round(num / 2^(shift + q))
  const s = shift + q;
  let kept: bigint;
  if (s <= 0) kept = num << BigInt(-s);
  else {
    const unit = 1n << BigInt(s);
    kept = num / unit;
    const rem = num - kept * unit;
    if (rem * 2n > unit || (rem * 2n === unit && kept % 2n === 1n)) kept += 1n;
  }
  const value = Number(kept) * 2 ** q;
  if (value >= 2 ** 128) return 0x7f80;
  return exactBf16(value);
}

/** Exact magnitude of an fp32 value x as an integer times 2^-149. */
export function fp32Scaled(x: number): bigint {
  let v = Math.abs(x);
  // v = k * 2^-149 exactly for every fp32 value; scale in exact power-of-two steps.
  let k = 0n;
  let scale = 149;
  while (scale > 0 && !Number.isInteger(v)) {
    v *= 2;
    scale--;
  }
  k = BigInt(v) << BigInt(scale);
  return k;
}
