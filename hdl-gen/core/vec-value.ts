/**
 * Values of Vec ports and signals as host code sees them (testbenches, drivers, benchmarks): the
 * eDSL lays element i of a Vec of w-bit elements at bits [i*w +: w].
 */

/** The Vec value holding `elements` (element i at bits [i*width +: width]); booleans are 1 or 0. */
export function packVec(elements: readonly (number | bigint | boolean)[], width: number): bigint {
  let v = 0n;
  for (let i = elements.length - 1; i >= 0; i--) v = (v << BigInt(width)) | BigInt(elements[i]);
  return v;
}

/** The first `n` elements of a Vec value, as numbers (element widths up to 53 bits). */
export function unpackVec(v: bigint, n: number, width: number): number[] {
  const mask = (1n << BigInt(width)) - 1n;
  return Array.from({ length: n }, (_, i) => Number((v >> BigInt(i * width)) & mask));
}
