import { FP16 } from '../../../../../hdl-gen/units/fp/golden/formats.ts';
import { roundPack } from '../../../../../hdl-gen/units/fp/golden/round.ts';
import type { SeededRandom } from '../../../../../verif/random.ts';

export { rngFromSeed, seededRandom, type SeededRandom } from '../../../../../verif/random.ts';

/** FP16 encoding of a double, rounded once to nearest-even (via the FP golden's roundPack). */
export function doubleToF16(x: number): number {
  if (Number.isNaN(x)) return FP16.canonicalNaN;
  if (x === 0) return Object.is(x, -0) ? 0x8000 : 0;
  const s = x < 0 ? 1 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return (s ? 0x8000 : 0) + FP16.infBits;
  let e = Math.floor(Math.log2(a));
  while (2 ** e > a) e--;
  while (2 ** (e + 1) <= a) e++;
  return roundPack(FP16, s, a / 2 ** (e - 52), e - 52).bits;
}

/** Uniform double in (0, 1). */
export function uniform(rng: SeededRandom): number {
  return (rng.next32() + 0.5) / 2 ** 32;
}

/** Standard normal (Box-Muller, one draw per call). */
export function gaussian(rng: SeededRandom): number {
  return Math.sqrt(-2 * Math.log(uniform(rng))) * Math.cos(2 * Math.PI * uniform(rng));
}

/**
 * A synthetic LLM-like FP16 tensor: n weights N(0, sigma^2) rounded to FP16, then `outliers` weights
 * at random positions replaced by ±U[outMin, outMax).
 */
export function syntheticTensor(rng: SeededRandom, n: number, sigma: number, outliers: number, outMin: number, outMax: number): Uint16Array {
  const w = new Uint16Array(n);
  for (let i = 0; i < n; i++) w[i] = doubleToF16(sigma * gaussian(rng));
  for (let j = 0; j < outliers; j++) {
    const i = rng.below(n);
    const m = outMin + (outMax - outMin) * uniform(rng);
    w[i] = doubleToF16(rng.chance(0.5) ? -m : m);
  }
  return w;
}

export const hex4 = (x: number): string => `0x${x.toString(16).toUpperCase().padStart(4, '0')}`;
