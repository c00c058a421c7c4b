import { randomInt } from 'node:crypto';

/**
 * The project's seeded PRNG (mulberry32) for randomized tests and the fuzzer. The seed comes from
 * HDL_SEED (decimal or 0x-hex, 0..2^32-1) or is drawn at random, and is always printed so a
 * failure can be reproduced with `HDL_SEED=<seed> npx vitest run ...`.
 */
export interface SeededRandom {
  readonly seed: number;
  /** Uniform 32-bit unsigned integer. */
  next32(): number;
  /** Uniform integer in [0, n) for 1 <= n <= 2^32 (tiny modulo bias is fine for tests). */
  below(n: number): number;
  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number;
  /** Uniform `width`-bit pattern. */
  bits(width: number): bigint;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seedFromEnv(): number {
  const text = process.env.HDL_SEED?.trim();
  if (!text) return randomInt(0, 2 ** 32);
  const seed = /^(0x[0-9a-f]+|[0-9]+)$/i.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new Error(`HDL_SEED must be an integer in [0, 2^32) (decimal or 0x-hex), got '${text}'`);
  }
  return seed;
}

/** A generator with an explicit seed (nothing printed). */
export function rngFromSeed(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next32 = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let r = Math.imul(state ^ (state >>> 15), 1 | state);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return (r ^ (r >>> 14)) >>> 0;
  };
  const below = (n: number) => next32() % n;
  return {
    seed,
    next32,
    below,
    range: (lo, hi) => lo + below(hi - lo + 1),
    bits: (width) => {
      let v = 0n;
      for (let i = 0; i < width; i += 32) v = (v << 32n) | BigInt(next32());
      return v & ((1n << BigInt(width)) - 1n);
    },
    pick: (items) => items[below(items.length)],
    chance: (p) => next32() < p * 2 ** 32,
  };
}

/**
 * A `width`-bit value biased towards edge cases (each 1/16): zero, all ones, the sign bit alone, the
 * largest signed value; small numbers 0..7 (1/8); otherwise (5/8) uniform.
 */
export function interestingBits(rng: SeededRandom, width: number): bigint {
  const ones = (1n << BigInt(width)) - 1n;
  const r = rng.below(16);
  if (r === 0) return 0n;
  if (r === 1) return ones;
  if (r === 2) return 1n << BigInt(width - 1);
  if (r === 3) return ones >> 1n;
  if (r < 6) return BigInt(rng.below(8)) & ones;
  return rng.bits(width);
}

/** A generator seeded from HDL_SEED (or at random) that prints its seed under `label`. */
export function seededRandom(label: string, seed = seedFromEnv()): SeededRandom {
  console.log(`[${label}] seed ${seed} (reproduce with HDL_SEED=${seed})`);
  return rngFromSeed(seed);
}
