import { describe, expect, it } from 'vitest';
import { f32_to_bf16 } from '../../../../../hdl-gen/units/fp/golden/convert.ts';
import { BF16 } from '../../../../../hdl-gen/units/fp/golden/formats.ts';
import { roundPack } from '../../../../../hdl-gen/units/fp/golden/round.ts';
import { decodeWord } from '../../../../../hdl-gen/units/puzzlemoe/golden/format.ts';
import { PuzzleMoeError, bf16Average, countShared, fp32Bits, isShared, mergeElement, mergeMatrix } from '../../../../../hdl-gen/units/puzzlemoe/golden/merge.ts';
import { seededRandom } from '../../../../../verif/random.ts';
import { REFERENCE_TABLE, ZERO_ROW_PACKED_PER_DECISION, bf16ToNumber, fp32Scaled, referenceDecode, referenceRoundToBf16 } from '../support.ts';

const hex4 = (x: number) => `0x${x.toString(16).padStart(4, '0')}`;

/** Decimal -> bf16 with ONE rounding of the double (the table's "Wi bf16" column). */
function doubleToBf16(x: number): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, Math.abs(x));
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const e = hi >>> 20;
  if (e === 0) return x < 0 ? 0x8000 : 0; // zero (no double subnormals in the table)
  const sig = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo) | (1n << 52n);
  return roundPack(BF16, x < 0 || Object.is(x, -0) ? 1 : 0, sig, e - 1075).bits;
}

describe('PuzzleMoE merge + pack (golden): the spec reference table', () => {
  for (const [k, r] of REFERENCE_TABLE.entries()) {
    const row = `row ${k + 1} (${r.wi}, ${r.wj})`;
    it(`${row}: bf16 conversions, packed word and lanes`, () => {
      // bf16 columns: one rounding of the decimal, and the same through fp32
      expect(hex4(doubleToBf16(r.wi))).toBe(hex4(r.wiBf16));
      expect(hex4(doubleToBf16(r.wj))).toBe(hex4(r.wjBf16));
      expect(hex4(f32_to_bf16(fp32Bits(Math.fround(r.wi))).bits)).toBe(hex4(r.wiBf16));
      expect(hex4(f32_to_bf16(fp32Bits(Math.fround(r.wj))).bits)).toBe(hex4(r.wjBf16));
      const zeroRow = r.wi === 0 && r.wj === 0;
      // the packed word, from fp32 weights and from the bf16 weights alike
      for (const [wi, wj] of [
        [Math.fround(r.wi), Math.fround(r.wj)],
        [bf16ToNumber(r.wiBf16), bf16ToNumber(r.wjBf16)],
      ]) {
        const opts = zeroRow ? { zeroPairShared: false } : {};
        const m = mergeElement(wi, wj, Math.fround(r.xi), Math.fround(r.xj), opts);
        expect(hex4(m.word)).toBe(hex4(r.packed));
        expect(decodeWord(m.word).map(hex4)).toEqual([hex4(r.lane0), hex4(r.lane1)]);
        if (zeroRow) {
          // The spec's DECISION (a + b == 0 is shared) gives masks 11, which the table's row 5 does not show.
          const d = mergeElement(wi, wj, 1, 1);
          expect(d.shared).toBe(true);
          expect(hex4(d.word)).toBe(hex4(ZERO_ROW_PACKED_PER_DECISION));
          expect(decodeWord(d.word).map(hex4)).toEqual(['0x3800', '0x3800']);
        }
      }
      expect(decodeWord(r.packed).map(hex4)).toEqual([hex4(r.lane0), hex4(r.lane1)]);
    });
  }
});

/** Exact similarity test with rationals (independent of the golden's fast path). */
function referenceShared(a: number, b: number, tau: number): boolean {
  const A = fp32Scaled(a);
  const B = fp32Scaled(b);
  if (A + B === 0n) return true;
  // tau = tn / 2^ts exactly
  let ts = 0;
  let t = tau;
  while (!Number.isInteger(t)) {
    t *= 2;
    ts++;
  }
  const tn = BigInt(t);
  const lhs = (A > B ? A - B : B - A) << BigInt(ts);
  return lhs <= tn * (A + B);
}

/** Random fp32 magnitudes over many binades, with zeros, subnormals and near-equal pairs. */
function randomPair(rng: ReturnType<typeof seededRandom>): [number, number] {
  const mag = (): number => {
    const kind = rng.below(10);
    if (kind === 0) return 0;
    if (kind === 1) return Math.fround(rng.below(1 << 23) * 2 ** -149); // subnormal fp32
    const e = rng.range(-30, 20);
    return Math.fround((1 + rng.below(1 << 23) / 2 ** 23) * 2 ** e);
  };
  const a = mag();
  let b: number;
  switch (rng.below(4)) {
    case 0:
      b = mag();
      break;
    case 1: // close to the tau boundary: b = a * (1 - tau) / (1 + tau) (+- a few ulps)
      b = Math.fround((a * 0.6) / 1.4 + (rng.below(5) - 2) * 2 ** -149);
      break;
    case 2:
      b = Math.fround(a * (1 + (rng.below(2001) - 1000) / 1000));
      break;
    default:
      b = a;
  }
  const sa = rng.chance(0.5) ? -1 : 1;
  const sb = rng.chance(0.5) ? -1 : 1;
  return [sa * a, sb * Math.abs(b)];
}

describe('PuzzleMoE merge + pack (golden): properties', () => {
  it('mask pair is never 00, decisions and magnitude match an independent exact model (random)', () => {
    const rng = seededRandom('puzzlemoe merge');
    const normChoices = [0, 1, 0.5, 2, Math.fround(0.2), 3, Math.fround(1.7)];
    let rejected = 0;
    const counts = [0, 0, 0];
    for (let n = 0; n < 20000; n++) {
      const [wi, wj] = randomPair(rng);
      const xi = rng.pick(normChoices);
      const xj = rng.pick(normChoices);
      const tau = rng.pick([0.4, 0, 0.1, 0.75, 1, 2]);
      const a = Math.abs(wi);
      const b = Math.abs(wj);
      const where = `(${wi}, ${wj}, ${xi}, ${xj}, tau ${tau})`;
      const shared = referenceShared(a, b, tau);
      const iWins = a * xi >= b * xj; // exact: fp32 x fp32 fits a double
      const magnitude = shared ? referenceRoundToBf16(fp32Scaled(a) + fp32Scaled(b), 150) : referenceRoundToBf16(fp32Scaled(iWins ? a : b), 149);
      if (magnitude >> 7 > 143) {
        expect(() => mergeElement(wi, wj, xi, xj, { tau }), where).toThrow(/>= 2\^17 and cannot be packed/);
        rejected++;
        continue;
      }
      const m = mergeElement(wi, wj, xi, xj, { tau });
      expect(m.maskI | m.maskJ, where).toBe(1);
      expect(m.shared, where).toBe(shared);
      expect([m.maskI, m.maskJ], where).toEqual(shared ? [1, 1] : iWins ? [1, 0] : [0, 1]);
      counts[shared ? 0 : iWins ? 1 : 2]++;
      expect(hex4(m.magnitude), where).toBe(hex4(magnitude));
      expect([m.signI, m.signJ], where).toEqual([wi < 0 ? 1 : 0, wj < 0 ? 1 : 0]);
      // the word: exponent raised to 112 with the mantissa kept; decode = (-1)^Sp * Mp * W_merged
      const E = Math.max(magnitude >> 7, 112);
      expect(m.word, where).toBe((m.signI << 15) | (m.signJ << 14) | (m.maskI << 13) | (m.maskJ << 12) | ((E - 112) << 7) | (magnitude & 0x7f));
      for (const p of [0, 1] as const) {
        const mp = p === 0 ? m.maskI : m.maskJ;
        const sp = p === 0 ? m.signI : m.signJ;
        expect(referenceDecode(m.word, p), where).toBe(mp ? (sp << 15) | (E << 7) | (magnitude & 0x7f) : 0);
      }
    }
    // every branch was exercised
    expect(Math.min(rejected, ...counts)).toBeGreaterThan(100);
  });

  it('expert i wins saliency ties (Ai == Aj)', () => {
    // a = 4b: d = 0.6 > 0.4, not shared; xi = 1, xj = 4 -> Ai == Aj
    const t = mergeElement(4, -1, 1, 4);
    expect([t.shared, t.maskI, t.maskJ]).toEqual([false, 1, 0]);
    expect(t.magnitude).toBe(0x4080);
    const u = mergeElement(1, -4, 4, 1);
    expect([u.maskI, u.maskJ, u.magnitude]).toEqual([1, 0, 0x3f80]);
    // both norms 0: Ai == Aj == 0, i wins even though b > a
    expect([mergeElement(1, 10, 0, 0).maskI, mergeElement(1, 10, 0, 0).maskJ]).toEqual([1, 0]);
    // one ulp of saliency more for j flips it
    const v = mergeElement(4, 1, 1, Math.fround(4 * (1 + 2 ** -23)));
    expect([v.maskI, v.maskJ]).toEqual([0, 1]);
  });

  it('a + b == 0 is shared (masks 11), whatever the signs of the zeros', () => {
    for (const [wi, wj] of [
      [0, 0],
      [-0, 0],
      [0, -0],
      [-0, -0],
    ]) {
      const m = mergeElement(wi, wj, 0.5, 3);
      expect(m.shared).toBe(true);
      // Si = (Wi < 0): a negative zero is not < 0, so the sign bits stay 0
      expect(hex4(m.word)).toBe('0x3000');
    }
    expect(isShared(0, 0, 0)).toBe(true);
    expect(isShared(0, 0, 0.4, false)).toBe(false);
  });

  it('the similarity threshold is exact at the boundary d == tau', () => {
    // a = 1.4, b = 0.6 would be exact d = 0.4 in reals; with fp32 inputs and tau = 0.4 (double)
    // the decision must follow the exact rational comparison.
    const cases: [number, number, number][] = [
      [7, 3, 0.4], // d = 0.4 exactly vs the double 0.4000000000000000222: shared
      [7, 3, Math.fround(0.4)], // fp32 0.4 = 0.4000000059604645: shared
      [7, 3, 0.39999999999999997], // just below 0.4: not shared
      [3, 1, 0.5], // d = 0.5 == tau exactly (binary): shared
      [Math.fround(3 + 2 ** -22), 1, 0.5], // a hair over: not shared
      [1, 1, 0], // tau 0: only equal magnitudes are shared
      [Math.fround(1 + 2 ** -23), 1, 0],
    ];
    for (const [a, b, tau] of cases) expect(isShared(a, b, tau), `${a} ${b} ${tau}`).toBe(referenceShared(a, b, tau));
    expect(isShared(7, 3, 0.4)).toBe(true);
    expect(isShared(7, 3, 0.39999999999999997)).toBe(false);
    expect(isShared(3, 1, 0.5)).toBe(true);
    expect(isShared(Math.fround(3 + 2 ** -22), 1, 0.5)).toBe(false);
    // far apart magnitudes (the double difference is inexact) still decide correctly
    expect(isShared(2 ** 100, 2 ** -100, 0.99999)).toBe(false);
    expect(isShared(2 ** 100, 2 ** -100, 1)).toBe(true);
  });

  it('rounds the average once (no double rounding through fp32)', () => {
    // exact average 1 + 2^-8 + 2^-24: just above the bf16 halfway point -> rounds up to 0x3F81;
    // rounding to fp32 first gives the tie 1 + 2^-8, which then rounds to even 0x3F80.
    const a = Math.fround(1 + 2 ** -7);
    const b = Math.fround(1 + 2 ** -23);
    expect(hex4(bf16Average(a, b))).toBe('0x3f81');
    const viaFloat = f32_to_bf16(fp32Bits(Math.fround((a + b) / 2))).bits;
    expect(hex4(viaFloat)).toBe('0x3f80');
    expect(hex4(mergeElement(a, b).magnitude)).toBe('0x3f81');
    // sums whose alignment exceeds 53 bits (tau >= 1 shares everything) are exact too
    expect(hex4(bf16Average(2 ** 20, 2 ** -140))).toBe(hex4(referenceRoundToBf16(fp32Scaled(2 ** 20) + fp32Scaled(2 ** -140), 150)));
    expect(hex4(bf16Average(Math.fround(1 + 2 ** -8), 2 ** -140))).toBe(hex4(referenceRoundToBf16(fp32Scaled(Math.fround(1 + 2 ** -8)) + fp32Scaled(2 ** -140), 150)));
    // 0.5 + 2^-9 is a bf16 tie (0x3F00 / 0x3F01, even is 0x3F00); the exact 2^-141 breaks it upward
    expect(hex4(bf16Average(Math.fround(1 + 2 ** -8), 2 ** -140))).toBe('0x3f01');
  });

  it('raises small exponents to the offset with the mantissa kept', () => {
    const m = mergeElement(Math.fround(1.5 * 2 ** -20), 0, 1, 1); // not shared, i wins
    expect(hex4(m.magnitude)).toBe('0x35c0');
    expect(hex4(m.word)).toBe('0x2040'); // e5 0, mantissa 0x40
    expect(decodeWord(m.word)).toEqual([0x3840, 0]); // 1.5 * 2^-15
    const sub = mergeElement(2 ** -140, 0); // fp32 subnormal -> bf16 subnormal 0x0000.. E = 0
    expect(sub.magnitude >> 7).toBe(0);
    expect((sub.word >> 7) & 31).toBe(0);
  });

  it('accepts the largest packable magnitude and rejects >= 2^17 (also after rounding up)', () => {
    const max = 130560; // 1.1111111b x 2^16: bf16 0x47FF, E = 143
    expect(hex4(mergeElement(max, 0).word)).toBe('0x2fff');
    expect(() => mergeElement(2 ** 17, 0)).toThrow(/>= 2\^17 and cannot be packed/);
    expect(() => mergeElement(131000, 1)).toThrow(/bf16 0x4800, exponent 144/); // rounds up to 2^17
    expect(() => mergeElement(Math.fround(3.4e38), 1)).toThrow(/overflows bf16/);
    // shared average: (2^17 + 2^17) / 2
    expect(() => mergeElement(2 ** 17, -(2 ** 17))).toThrow(/>= 2\^17/);
    // another offset moves the window: offset 100 -> magnitudes up to < 2^5
    expect(hex4(mergeElement(31, 0, 1, 1, { exponentOffset: 100 }).word)).toBe(hex4(0x2000 | ((131 - 100) << 7) | 0x78));
    expect(() => mergeElement(32, 0, 1, 1, { exponentOffset: 100 })).toThrow(/>= 2\^5 and cannot be packed: with exponent offset 100 the largest exponent is 131/);
    expect(() => mergeElement(1, 1, 1, 1, { exponentOffset: 0 })).toThrow(/exponent offset must be an integer from 1 to 223/);
    expect(() => mergeElement(1, 1, 1, 1, { tau: -1 })).toThrow(/tau must be a finite number >= 0/);
  });
});

describe('PuzzleMoE mergeMatrix (golden)', () => {
  const named = (name: string, values: number[]) => ({ name, values });
  const base = () => ({
    wi: named('experts.0.w1.weight', [0.5, -1, 2, 0]),
    wj: named('experts.1.w1.weight', [0.5, 1, -0.25, 0]),
    xi: named('experts.0.w1.input_norm', [1, 1]),
    xj: named('experts.1.w1.input_norm', [1, 2]),
    rows: 2,
    cols: 2,
  });

  it('packs row-major, each column using its channel norms', () => {
    const words = mergeMatrix(base());
    expect([...words].map(hex4)).toEqual(['0x3700', '0xb780', '0x6800', '0x3000']);
    for (let k = 0; k < 4; k++) {
      const b = base();
      expect(words[k]).toBe(mergeElement(b.wi.values[k], b.wj.values[k], b.xi.values[k % 2], b.xj.values[k % 2]).word);
    }
  });

  it('names the tensor and index of an unpackable magnitude', () => {
    const b = base();
    b.wj.values[3] = 2 ** 20;
    expect(() => mergeMatrix(b)).toThrow(PuzzleMoeError);
    expect(() => mergeMatrix(b)).toThrow(/^experts\.1\.w1\.weight\[1, 1\]: merged magnitude 1\.04858e\+6 \(bf16 0x4980, exponent 147\) is >= 2\^17/);
    const c = base();
    c.wi.values[2] = 2 ** 17;
    c.wj.values[2] = 2 ** 17;
    expect(() => mergeMatrix(c)).toThrow(/^experts\.0\.w1\.weight \/ experts\.1\.w1\.weight\[1, 0\]: merged magnitude/);
  });

  it('names the tensor and index of NaN / Inf / non-fp32 weights and bad norms', () => {
    const cases: [(b: ReturnType<typeof base>) => void, RegExp][] = [
      [(b) => (b.wi.values[1] = NaN), /^experts\.0\.w1\.weight\[0, 1\]: weight is NaN$/],
      [(b) => (b.wj.values[2] = -Infinity), /^experts\.1\.w1\.weight\[1, 0\]: weight is -Infinity$/],
      [(b) => (b.wj.values[0] = 0.1), /^experts\.1\.w1\.weight\[0, 0\]: weight 0\.1 is not exactly representable in fp32$/],
      [(b) => (b.xj.values[1] = -1), /^experts\.1\.w1\.input_norm\[1\]: a channel norm must be >= 0, got -1$/],
      [(b) => (b.xi.values[0] = Infinity), /^experts\.0\.w1\.input_norm\[0\]: norm is \+Infinity$/],
      [(b) => b.wi.values.push(1), /^experts\.0\.w1\.weight: has 5 values, expected 4 \(shape \[2, 2\]\)$/],
      [(b) => b.xi.values.pop(), /^experts\.0\.w1\.input_norm: has 1 values, expected 2 \(shape \[2\]\)$/],
    ];
    for (const [mutate, re] of cases) {
      const b = base();
      mutate(b);
      let err: unknown;
      try {
        mergeMatrix(b);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PuzzleMoeError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).name).toBe('PuzzleMoeError');
    }
  });

  it('counts shared elements', () => {
    expect(countShared([1, 2, 0, 5], [1.2, -2, 0, 1])).toBe(3);
  });
});
