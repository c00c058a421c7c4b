import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../../hdl-gen/errors.ts';
import {
  type ScaleK,
  analyzeTensor,
  describeIndex,
  draftNibble,
  feederWeight,
  fp16ToStored,
  fp16Value,
  isAdmissible,
  isCanonicalStored,
  storeTensor,
  storedToFp16,
} from '../../../../../hdl-gen/units/speq/golden/scale.ts';
import { hex4 } from './speq-test-support.ts';

describe('stored-word remapping, exhaustive over all 65,536 FP16 patterns', () => {
  for (const k of [0, 1] as ScaleK[]) {
    it(`k = ${k}: every admissible weight round-trips exactly; every other one is rejected`, () => {
      let admissible = 0;
      for (let w = 0; w < 0x10000; w++) {
        const mag = w & 0x7fff;
        const expected = mag < (k === 0 ? 0x4000 : 0x4400);
        if (isAdmissible(w, k) !== expected) throw new Error(`isAdmissible(${hex4(w)}, ${k})`);
        if (!expected) {
          let message = '';
          try {
            fp16ToStored(w, k);
          } catch (e) {
            message = (e as Error).message;
          }
          if (!message.startsWith(`FP16 weight ${hex4(w)} is not admissible at scale 2^-${k} (`)) throw new Error(`k=${k}: ${hex4(w)} not rejected: '${message}'`);
          continue;
        }
        admissible++;
        const stored = fp16ToStored(w, k);
        if (storedToFp16(stored, k) !== w) throw new Error(`k=${k}: ${hex4(w)} -> ${hex4(stored)} -> ${hex4(storedToFp16(stored, k))}`);
        if (!isCanonicalStored(stored, k)) throw new Error(`${hex4(stored)} not canonical`);
        // Independent check of the meaning of the stored word: sign, the scaled FP16 value
        // { s, 0, e3..e0, m9..m0 } and r (one bit of weight 2^-25 in the scaled domain, below m0 of
        // a subnormal) give back w exactly after multiplication by 2^k.
        const s = stored >>> 15;
        const scaled = (s << 15) | ((stored >>> 1) & 0x3fff);
        const r = stored & 1;
        if (k === 0 && r !== 0) throw new Error(`r set at k = 0 for ${hex4(w)}`);
        const v = (fp16Value(scaled) + (s ? -1 : 1) * r * 2 ** -25) * 2 ** k;
        if (!Object.is(v, fp16Value(w)) && !(v === 0 && fp16Value(w) === 0)) {
          throw new Error(`k=${k}: ${hex4(w)} stored ${hex4(stored)} means ${v}, not ${fp16Value(w)}`);
        }
        if (s !== w >>> 15) throw new Error(`sign of ${hex4(w)} lost`);
      }
      expect(admissible).toBe(k === 0 ? 32768 : 34816);
    });

    it(`k = ${k}: the canonical stored words are exactly the images of admissible weights`, () => {
      let canonical = 0;
      for (let word = 0; word < 0x10000; word++) {
        const w = storedToFp16(word, k); // total: defined on every word
        if (!isAdmissible(w, k)) throw new Error(`storedToFp16(${hex4(word)}) not admissible`);
        if (isCanonicalStored(word, k)) {
          canonical++;
          if (fp16ToStored(w, k) !== word) throw new Error(`k=${k}: canonical ${hex4(word)} does not round-trip`);
        } else {
          // r is ignored where it carries no information.
          if ((word & 1) !== 1 || fp16ToStored(w, k) !== word - 1) throw new Error(`non-canonical ${hex4(word)}`);
        }
      }
      expect(canonical).toBe(k === 0 ? 32768 : 34816);
    });
  }

  it('worked examples', () => {
    // k = 0: stored = { s, e3..e0, m, 0 }.
    expect(hex4(fp16ToStored(0x3c00, 0))).toBe('0x7800'); // 1.0: e = 01111 -> draft nibble 0111
    expect(hex4(fp16ToStored(0xbbff, 0))).toBe('0xF7FE'); // -0.99951
    // k = 1: normal weights lose one from the exponent; the two lowest binades become subnormal.
    expect(hex4(fp16ToStored(0x4000, 1))).toBe('0x7800'); // 2.0 -> scaled 1.0
    expect(hex4(fp16ToStored(0x43ff, 1))).toBe('0x7FFE'); // 3.998 -> scaled 1.999
    expect(hex4(fp16ToStored(0x0800, 1))).toBe('0x0800'); // 2^-13 -> scaled 2^-14 (normal, e = 1)
    expect(hex4(fp16ToStored(0x0401, 1))).toBe('0x0401'); // 2^-14(1+2^-10) -> subnormal 0x201, r = 1
    expect(hex4(fp16ToStored(0x0001, 1))).toBe('0x0001'); // 2^-24 -> scaled 0, r = 1
    expect(hex4(fp16ToStored(0x8003, 1))).toBe('0x8003'); // -3*2^-24 -> scaled -1*2^-24, r = 1
    expect(draftNibble(0xf7fe)).toBe(0xf);
    expect(() => fp16ToStored(0x7c00, 1)).toThrow('FP16 weight 0x7C00 is not admissible at scale 2^-1 (Inf)');
    expect(() => fp16ToStored(0x7e00, 0)).toThrow('(NaN)');
    expect(() => fp16ToStored(0x4400, 1)).toThrow('(|w| >= 4)');
    expect(() => fp16ToStored(0x10000, 1)).toThrow(RangeError);
    expect(() => fp16ToStored(0, 2 as ScaleK)).toThrow('k must be 0 or 1');
  });
});

describe('analyzeTensor: per-tensor scale, fallback, counts', () => {
  it('chooses the smallest lossless k', () => {
    expect(analyzeTensor('a', [0x3c00, 0xbbff, 0]).k).toBe(0);
    const b = analyzeTensor('b', [0x3c00, 0xc000, 0x0001, 0x0400]);
    expect(b).toMatchObject({ k: 1, kRequired: 1, fallback: false, maxIndex: 1, maxBits: 0xc000 });
    expect(b.counts).toEqual({ weights: 4, zeros: 0, outliers: 1, shiftedSubnormals: 2, rOnes: 1, codes: [2, 0, 0, 0, 0, 0, 0, 2] });
    expect(analyzeTensor('empty', []).k).toBe(0);
  });

  it('falls back (verify-only) when k >= 2 would be needed, with the reason', () => {
    const t = analyzeTensor('layers.0.w', [0x3c00, 0x4400, 0xc500, 0x0001], [2, 2]);
    expect(t).toMatchObject({ k: 0, kRequired: 2, fallback: true, maxIndex: 2, maxBits: 0xc500 });
    expect(t.reason).toBe('largest |w| = 5 (0xC500) at index 2 [1, 0] needs scale 2^-2; only k <= 1 is lossless');
    expect(t.counts.codes).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(t.counts.outliers).toBe(2);
    expect(analyzeTensor('big', [0x7bff]).kRequired).toBe(15);
    // Fallback tensors are stored unscaled (raw FP16) and pass through the feeder unchanged.
    expect([...storeTensor([0x4400, 0xc500], t)]).toEqual([0x4400, 0xc500]);
    expect(feederWeight(0xc500, t)).toBe(0xc500);
  });

  it('rejects NaN and Inf weights with a UserError naming the tensor and index', () => {
    expect(() => analyzeTensor('blk.3.ffn', [0, 0x7c01, 0x7c00])).toThrow(UserError);
    expect(() => analyzeTensor('blk.3.ffn', [0, 0x7c01])).toThrow("tensor 'blk.3.ffn': weight at index 1 is NaN (0x7C01); SPEQ needs finite weights");
    expect(() => analyzeTensor('w', [0, 0, 0, 0, 0, 0xfc00], [2, 3])).toThrow("tensor 'w': weight at index 5 [1, 2] is -Inf (0xFC00)");
  });

  it('describeIndex gives row-major coordinates', () => {
    expect(describeIndex(7, [2, 3, 4])).toBe('index 7 [0, 1, 3]');
    expect(describeIndex(7, [8])).toBe('index 7');
  });
});
