export { seedFromEnv, seededRandom, type SeededRandom } from '../../../../../verif/random.ts';

/** Bit pattern of Math.fround(x) (x a finite or infinite double; not NaN). */
const scratch = new DataView(new ArrayBuffer(8));
export function float32Bits(x: number): number {
  scratch.setFloat32(0, x);
  return scratch.getUint32(0);
}

/** Exact double value of a binary32 bit pattern. */
export function float32Value(bits: number): number {
  scratch.setUint32(0, bits);
  return scratch.getFloat32(0);
}

export const hex = (x: number, digits: number): string => `0x${x.toString(16).toUpperCase().padStart(digits, '0')}`;
