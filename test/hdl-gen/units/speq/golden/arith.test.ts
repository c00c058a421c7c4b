import { describe, expect, it } from 'vitest';
import { FLAG_INEXACT, FLAG_INVALID, FLAG_OVERFLOW, FLAG_UNDERFLOW } from '../../../../../hdl-gen/units/fp/golden/formats.ts';
import { mac_f16_f32 } from '../../../../../hdl-gen/units/fp/golden/mac.ts';
import {
  type SpeqTensorConfig,
  draftMac,
  draftMacStep,
  gemmTile,
  gemv,
  verifyMac,
} from '../../../../../hdl-gen/units/speq/golden/arith.ts';
import { type DraftValue, PLAIN_FORMAT, TABLE_FORMAT, draftValueToFp16 } from '../../../../../hdl-gen/units/speq/golden/draft-format.ts';
import { draftPlane, draftWordNibbles, matrixToNibblePlanes, packedLength } from '../../../../../hdl-gen/units/speq/golden/layout.ts';
import { analyzeTensor, storeTensor } from '../../../../../hdl-gen/units/speq/golden/scale.ts';
import { doubleToF16, gaussian, seededRandom } from './speq-test-support.ts';

const pow2 = (exp: number, sign = 0): DraftValue => ({ zero: false, sign, exp });
const zero = (sign = 0): DraftValue => ({ zero: true, sign, exp: 0 });
const f32 = (x: number): number => {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, x);
  return v.getUint32(0);
};

const F16_SPECIALS = [0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x3c00, 0xbc00, 0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7d00, 0xfe01];
const F32_SPECIALS = [
  0x00000000, 0x80000000, 0x00000001, 0x007fffff, 0x00800000, 0x3f800000, 0xbf800000, 0x7f7fffff, 0xff7fffff, 0x7f800000,
  0xff800000, 0x7fc00000, 0x7f800001, 0xffc00001, 0x4b800000, 0xcb800000,
];

describe('draftMac: round_fp32(acc + a * d) with the exact product', () => {
  it('equals mac_f16_f32(a, fp16(d), acc) whenever d is an FP16 number (special operands, all d)', () => {
    const ds: DraftValue[] = [zero(0), zero(1)];
    for (let e = -24; e <= 15; e++) ds.push(pow2(e, 0), pow2(e, 1));
    for (const a of F16_SPECIALS) {
      for (const acc of F32_SPECIALS) {
        for (const d of ds) {
          const want = mac_f16_f32(a, draftValueToFp16(d), acc);
          const got = draftMac(acc, a, d);
          if (got.bits !== want.bits || got.flags !== want.flags) {
            throw new Error(`a=${a.toString(16)} acc=${acc.toString(16)} d=${JSON.stringify(d)}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
          }
        }
      }
    }
  });

  it('equals mac_f16_f32 on random operands', () => {
    const rng = seededRandom('speq draftMac vs mac_f16_f32');
    for (let i = 0; i < 100000; i++) {
      const a = rng.below(0x10000);
      const acc = rng.chance(0.5) ? rng.next32() : f32((rng.chance(0.5) ? -1 : 1) * 2 ** rng.range(-40, 20) * (1 + rng.next32() / 2 ** 32));
      const d = rng.chance(0.05) ? zero(rng.below(2)) : pow2(rng.range(-24, 15), rng.below(2));
      const want = mac_f16_f32(a, draftValueToFp16(d), acc);
      const got = draftMac(acc, a, d);
      if (got.bits !== want.bits || got.flags !== want.flags) throw new Error(`seed ${rng.seed} case ${i}`);
    }
  });

  it('forms the product exactly beyond the FP16 and FP32 ranges (one rounding, IEEE overflow/underflow)', () => {
    // 1 * 2^127: exact. 1 * 2^128: overflows FP32 on its own -> +Inf, overflow + inexact.
    expect(draftMac(0, 0x3c00, pow2(127))).toEqual({ bits: 0x7f000000, flags: 0 });
    expect(draftMac(0, 0x3c00, pow2(128))).toEqual({ bits: 0x7f800000, flags: FLAG_OVERFLOW | FLAG_INEXACT });
    // 2^128 + (-(2^128 - 2^104)) = 2^104 exactly: the out-of-range product is not rounded first.
    expect(draftMac(0xff7fffff, 0x3c00, pow2(128))).toEqual({ bits: f32(2 ** 104), flags: 0 });
    // 2^-24 * 2^-125 = 2^-149 (min subnormal, exact); * 2^-126 = 2^-150 -> tie to even 0, underflow.
    expect(draftMac(0, 0x0001, pow2(-125))).toEqual({ bits: 0x00000001, flags: 0 });
    expect(draftMac(0, 0x0001, pow2(-126))).toEqual({ bits: 0x00000000, flags: FLAG_UNDERFLOW | FLAG_INEXACT });
    expect(draftMac(0, 0x0003, pow2(-126, 1))).toEqual({ bits: 0x80000002, flags: FLAG_UNDERFLOW | FLAG_INEXACT });
    // 1 + 2^-200: exact sum rounded once.
    expect(draftMac(0x3f800000, 0x3c00, pow2(-200))).toEqual({ bits: 0x3f800000, flags: FLAG_INEXACT });
    // Inf * 0 is invalid; -0 + +0 = +0; -0 + -0 = -0.
    expect(draftMac(0, 0x7c00, zero())).toEqual({ bits: 0x7fc00000, flags: FLAG_INVALID });
    expect(draftMac(0x80000000, 0x3c00, zero(0))).toEqual({ bits: 0, flags: 0 });
    expect(draftMac(0x80000000, 0x3c00, zero(1))).toEqual({ bits: 0x80000000, flags: 0 });
    expect(draftMac(0x80000000, 0x8000, zero(0))).toEqual({ bits: 0x80000000, flags: 0 });
  });
});

describe('draftMacStep: four draft MACs in the order w0, w1, w2, w3', () => {
  it('rounds after each MAC, in order', () => {
    // Activations 1, 1, 1, 1; draft weights 2^24, 1, 1, -2^24 (a table with those exponents):
    // 2^24 + 1 -> 2^24 (tie to even), + 1 -> 2^24, - 2^24 -> 0. (Any other order or a single
    // rounding would give 2.)
    const fmt = TABLE_FORMAT;
    const table = { format: 'table' as const, exps: [-15, 24, 0, 0, 0, 0, 0, 0] };
    const one = 0x3c00;
    const r = draftMacStep(0, [one, one, one, one], [0x1, 0x2, 0x2, 0x9], table, fmt);
    expect(r).toEqual({ bits: 0, flags: FLAG_INEXACT });
    const r2 = draftMacStep(0, [one, one, one, one], [0x2, 0x2, 0x1, 0x9], table); // format from table.format
    expect(r2).toEqual({ bits: 0x40000000, flags: 0 });
    expect(() => draftMacStep(0, [one], [1, 2, 3, 4], table, fmt)).toThrow('4 activations');
  });
});

function randomWeights(rng: ReturnType<typeof seededRandom>, n: number, scale: number): number[] {
  return Array.from({ length: n }, () => doubleToF16(scale * gaussian(rng)));
}

describe('gemmTile / gemv golden (output-stationary R x C tile)', () => {
  const rng = seededRandom('speq gemm tile');

  function config(weights: number[], format = TABLE_FORMAT): { cfg: SpeqTensorConfig; stored: Uint16Array } {
    const sc = analyzeTensor('W', weights);
    const table = format.computeTable(sc.fallback ? [] : weights, sc.k);
    return { cfg: { k: sc.k, fallback: sc.fallback, format, table }, stored: storeTensor(weights, sc) };
  }

  for (const [R, C, K, outlier] of [[4, 4, 16, 0], [4, 4, 13, 3.5], [2, 3, 1, 0], [1, 8, 30, 1.5], [3, 2, 9, 6]] as const) {
    it(`${R} x ${C}, K = ${K}, outlier ${outlier}: verify = exact FP16 MACs, draft = draft steps of 4`, () => {
      const W = randomWeights(rng, C * K, 0.05);
      if (outlier) W[rng.below(C * K)] = doubleToF16(outlier);
      const X = Array.from({ length: R }, () => randomWeights(rng, K, 1));
      for (const format of [TABLE_FORMAT, PLAIN_FORMAT]) {
        const { cfg, stored } = config(W, format);
        expect(cfg.fallback).toBe(outlier >= 4);
        expect(cfg.k).toBe(outlier >= 2 && outlier < 4 ? 1 : 0);
        const rowsW = Array.from({ length: C }, (_, c) => stored.slice(c * K, (c + 1) * K));
        // Verify mode: the original FP16 weights, k from 0 upward (lossless through the stored word).
        const v = gemmTile('verify', X, rowsW, cfg);
        expect(v.steps).toBe(K);
        for (let r = 0; r < R; r++) {
          for (let c = 0; c < C; c++) {
            let acc = 0;
            let fl = 0;
            for (let k = 0; k < K; k++) {
              const m = mac_f16_f32(X[r][k], W[c * K + k], acc);
              acc = m.bits;
              fl |= m.flags;
            }
            expect([v.y[r][c], v.flags[r][c]]).toEqual([acc, fl]);
          }
        }
        // Draft mode, recomputed from the packed draft plane only (what the draft pass reads).
        const d = gemmTile('draft', X, rowsW, cfg);
        if (cfg.fallback) {
          expect(d).toEqual(v); // a verify-only tensor runs verify arithmetic in the draft pass
          continue;
        }
        expect(d.steps).toBe(Math.ceil(K / 4));
        const packed = matrixToNibblePlanes(stored, C, K);
        const P = packedLength(K);
        for (let r = 0; r < R; r++) {
          for (let c = 0; c < C; c++) {
            const plane = draftPlane(packed.slice(c * P, (c + 1) * P), K);
            let acc = 0;
            for (let k = 0; k < K; k++) {
              const code = draftWordNibbles(plane[k >> 2])[k & 3];
              acc = draftMac(acc, X[r][k], format.decode(code, cfg.table)).bits; // unpadded: K MACs
            }
            expect(d.y[r][c]).toBe(acc);
          }
        }
        expect(gemv('draft', X[0], rowsW, cfg).y[0]).toEqual(d.y[0]);
      }
    });
  }

  it('padding lanes are exact identities, also for a -0 accumulator', () => {
    const { cfg, stored } = config([0x3c00]);
    // K = 1: one draft step whose lanes 1..3 are padding. With a = -0 the real MAC adds -0 * 1 = -0,
    // so the accumulator stays -0 only if the padded MACs are identities too.
    expect(gemmTile('draft', [[0x8000]], [stored], cfg, 0x80000000).y[0][0]).toBe(0x80000000);
    expect(gemmTile('verify', [[0x8000]], [stored], cfg, 0x80000000).y[0][0]).toBe(0x80000000);
    expect(gemmTile('draft', [[0x3c00]], [stored], cfg, 0x7f800001).y[0][0]).toBe(0x7fc00000);
  });

  it('verifyMac reassembles the weight (k = 1, r = 1) before the MAC', () => {
    // 0x0003 (3 * 2^-24) stored at k = 1 as 0x0003 (scaled 2^-24, r = 1); a = 2^15.
    expect(verifyMac(0, 0x7800, 0x0003, { k: 1, fallback: false })).toEqual(mac_f16_f32(0x7800, 0x0003, 0));
    expect(verifyMac(0, 0x7800, 0x0003, { k: 1, fallback: false }).bits).toBe(f32(3 * 2 ** -9));
  });

  it('rejects ragged inputs', () => {
    const { cfg } = config([0x3c00]);
    expect(() => gemmTile('verify', [[0, 0], [0]], [[0, 0]], cfg)).toThrow('K = 2');
    expect(() => gemmTile('verify', [[0, 0]], [[0]], cfg)).toThrow('K = 2 stored words');
  });
});
