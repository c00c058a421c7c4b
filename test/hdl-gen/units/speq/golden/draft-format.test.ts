import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DRAFT_FORMAT,
  DRAFT_EXP_MAX,
  DRAFT_EXP_MIN,
  PLAIN_FORMAT,
  TABLE_FORMAT,
  draftValueNumber,
  draftValueToFp16,
  roundLog2,
} from '../../../../../hdl-gen/units/speq/golden/draft-format.ts';
import { type ScaleK, analyzeTensor, fp16ToStored, fp16Value } from '../../../../../hdl-gen/units/speq/golden/scale.ts';
import { doubleToF16, seededRandom } from './speq-test-support.ts';

describe('roundLog2 (exact: rounds up iff the significand is >= sqrt(2))', () => {
  it('powers of two and the sqrt(2) boundary', () => {
    expect(roundLog2(1)).toBe(0);
    expect(roundLog2(2 ** -30)).toBe(-30);
    expect(roundLog2(2 ** 40)).toBe(40);
    const below = Math.SQRT2 - 2 ** -52; // largest double < sqrt(2)
    expect(below < Math.SQRT2).toBe(true);
    expect(roundLog2(Math.SQRT2)).toBe(1); // Math.SQRT2 = 1.41421356237309514... > sqrt(2)
    expect(roundLog2(below)).toBe(0); // 1.41421356237309492... < sqrt(2)
    expect(roundLog2(Math.SQRT2 * 2 ** -7)).toBe(-6);
    expect(roundLog2(below * 2 ** -7)).toBe(-7);
    expect(roundLog2(2 - 2 ** -52)).toBe(1);
    expect(roundLog2(0.3125)).toBe(-2);
    expect(roundLog2(Number.MIN_VALUE)).toBe(-1074);
    expect(() => roundLog2(0)).toThrow(RangeError);
    expect(() => roundLog2(-1)).toThrow(RangeError);
  });

  it('agrees with an independent BigInt rational check on random doubles', () => {
    const rng = seededRandom('speq roundLog2');
    for (let i = 0; i < 20000; i++) {
      const x = (1 + rng.next32() / 2 ** 32) * 2 ** rng.range(-40, 10);
      const e = Math.floor(Math.log2(x));
      const lo = 2 ** e <= x ? e : e - 1;
      // x >= 2^(lo + 1/2)  <=>  x^2 >= 2^(2 lo + 1); x = M * 2^(lo - 52) with M an integer.
      const M = BigInt(x / 2 ** (lo - 52));
      const up = M * M >= 2n ** 105n;
      expect(roundLog2(x)).toBe(up ? lo + 1 : lo);
    }
  });
});

describe('table draft format (default)', () => {
  it('is the default and uses 4-bit codes (the top nibble of the stored word)', () => {
    expect(DEFAULT_DRAFT_FORMAT).toBe(TABLE_FORMAT);
    expect(TABLE_FORMAT.bitsPerWeight).toBe(4);
    expect(TABLE_FORMAT.encodeStored(0xb7fe)).toBe(0xb);
    expect(TABLE_FORMAT.encodeFp16(0xc000, 1)).toBe(0xf); // -2.0 at k = 1: scaled -1.0, code 7
  });

  it('worked example: means per code, unused codes, code 0', () => {
    // k = 0. Code 7 (scaled exponents 14, 15: [0.5, 2)): 1.0, 1.0 -> mean 1 -> 0.
    // Code 6 ([2^-3, 2^-1)): 0.25, -0.375 -> mean 0.3125 = 1.25 * 2^-2 -> -2.
    // Code 5 ([2^-5, 2^-3)): 0.1 (FP16 0.0999755859375 = 1.5996 * 2^-4) -> -3.
    // Codes 1..4 unused -> 2c - 15; entry 0 fixed at k - 15; a code-0 weight (2^-14) is ignored.
    const w = [0x3c00, 0x3400, 0xb600, 0x2e66, 0x3c00, 0x0400];
    const t = TABLE_FORMAT.computeTable(w, 0);
    expect(t).toEqual({ format: 'table', exps: [-15, -13, -11, -9, -7, -3, -2, 0] });
    expect(TABLE_FORMAT.decode(0x7, t)).toEqual({ zero: false, sign: 0, exp: 0 });
    expect(TABLE_FORMAT.decode(0xe, t)).toEqual({ zero: false, sign: 1, exp: -2 });
    expect(TABLE_FORMAT.decode(0x0, t)).toEqual({ zero: true, sign: 0, exp: 0 });
    expect(TABLE_FORMAT.decode(0x8, t)).toEqual({ zero: true, sign: 1, exp: 0 });
    expect(Object.is(draftValueNumber(TABLE_FORMAT.decode(0x8, t)), -0)).toBe(true);
    expect(() => TABLE_FORMAT.decode(16, t)).toThrow('4-bit');
    expect(() => PLAIN_FORMAT.decode(1, t)).toThrow("format 'table' used with format 'plain'");
  });

  it('folds the tensor scale into the exponents: table(2T) at k = 1 is table(T) at k = 0, plus one', () => {
    const rng = seededRandom('speq table scale folding');
    for (let trial = 0; trial < 50; trial++) {
      const n = rng.range(1, 300);
      const sigma = 2 ** rng.range(-12, -1);
      const t = Array.from({ length: n }, () => doubleToF16(sigma * (rng.next32() / 2 ** 31 - 1)));
      t[rng.below(n)] = doubleToF16(1 + rng.next32() / 2 ** 33); // max in [1, 2): k(T) = 0, k(2T) = 1
      const t2 = t.map((w) => doubleToF16(2 * fp16Value(w)));
      expect(analyzeTensor('T', t).k).toBe(0);
      expect(analyzeTensor('2T', t2).k).toBe(1);
      const a = TABLE_FORMAT.computeTable(t, 0).exps;
      const b = TABLE_FORMAT.computeTable(t2, 1).exps;
      expect(b).toEqual(a.map((e) => e + 1));
    }
  });

  it('matches an independent recomputation, and every exponent lies in [-15, 2]', () => {
    const rng = seededRandom('speq table recompute');
    for (let trial = 0; trial < 40; trial++) {
      const n = rng.range(1, 2000);
      const sigma = 2 ** rng.range(-20, 1);
      const w = Array.from({ length: n }, () => doubleToF16(sigma * (rng.next32() / 2 ** 31 - 1)));
      const sc = analyzeTensor('w', w);
      if (sc.fallback) continue;
      const k = sc.k;
      const exps = TABLE_FORMAT.computeTable(w, k).exps;
      for (let c = 1; c < 8; c++) {
        const members = w.filter((x) => ((fp16ToStored(x, k) >>> 12) & 7) === c);
        let sum = 0;
        for (const x of members) sum += Math.abs(fp16Value(x));
        // Rounded log2 of the mean of the UNSCALED magnitudes is the folded exponent.
        const want = members.length === 0 ? 2 * c - 15 + k : roundLog2(sum / members.length);
        expect(exps[c]).toBe(want);
        expect(exps[c]).toBeGreaterThanOrEqual(2 * c - 15 + k);
        expect(exps[c]).toBeLessThanOrEqual(2 * c - 13 + k);
      }
      for (const e of exps) {
        expect(e).toBeGreaterThanOrEqual(DRAFT_EXP_MIN);
        expect(e).toBeLessThanOrEqual(DRAFT_EXP_MAX);
      }
    }
    // The extremes: code 7 at the top of k = 1's range, and code 1 at the bottom of k = 0's.
    expect(TABLE_FORMAT.computeTable([0x43ff, 0xc3ff], 1).exps[7]).toBe(2);
    expect(TABLE_FORMAT.computeTable([0x0800], 0).exps[1]).toBe(-13);
  });
});

describe('plain draft format 2^(2c-15)', () => {
  it('depends on k only', () => {
    for (const k of [0, 1] as ScaleK[]) {
      const t = PLAIN_FORMAT.computeTable([0x3c00, 0x1234], k);
      expect(t.exps).toEqual([-15, -13, -11, -9, -7, -5, -3, -1].map((e) => e + k));
      expect(PLAIN_FORMAT.decode(0xf, t)).toEqual({ zero: false, sign: 1, exp: -1 + k });
      expect(PLAIN_FORMAT.decode(0x0, t).zero).toBe(true);
    }
    // The plain draft of a weight is its scaled value truncated to the even binade below, times 2^k.
    const w = 0x3e00; // 1.5, code 7 at k = 0 -> 2^-1
    expect(draftValueNumber(PLAIN_FORMAT.decode(PLAIN_FORMAT.encodeFp16(w, 0), PLAIN_FORMAT.computeTable([w], 0)))).toBe(0.5);
  });
});

describe('draft values as FP16', () => {
  it('are exact', () => {
    expect(draftValueToFp16({ zero: false, sign: 0, exp: 2 })).toBe(0x4400);
    expect(draftValueToFp16({ zero: false, sign: 1, exp: -14 })).toBe(0x8400);
    expect(draftValueToFp16({ zero: false, sign: 0, exp: -15 })).toBe(0x0200);
    expect(draftValueToFp16({ zero: false, sign: 0, exp: -24 })).toBe(0x0001);
    expect(draftValueToFp16({ zero: false, sign: 0, exp: 15 })).toBe(0x7800);
    expect(draftValueToFp16({ zero: true, sign: 1, exp: 0 })).toBe(0x8000);
    expect(() => draftValueToFp16({ zero: false, sign: 0, exp: 16 })).toThrow('not representable');
    expect(() => draftValueToFp16({ zero: false, sign: 0, exp: -25 })).toThrow('not representable');
    for (let e = -24; e <= 15; e++) expect(fp16Value(draftValueToFp16({ zero: false, sign: 0, exp: e }))).toBe(2 ** e);
  });
});
