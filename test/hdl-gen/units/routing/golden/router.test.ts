import { describe, expect, it } from 'vitest';
import { exp2Lut, orderKey, rankExperts, routeToken, toFixed, type RouterParams } from '../../../../../hdl-gen/units/routing/golden/router.ts';
import { seededRandom } from '../../../../../verif/random.ts';
import { bf16Bits, f32Bits, f32Value } from '../../../../../verif/routing/routing-testbench.ts';

/** Independent references written with JS floating point from the math in the golden model's comment. */
const softmax = (xs: readonly number[]) => {
  const mx = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - mx));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('router golden: building blocks vs independent references', () => {
  it('the exponential table is 2^W * 2^(-j/2^G) rounded to nearest', () => {
    for (const [W, G] of [
      [15, 6],
      [16, 8],
      [4, 1],
    ]) {
      const lut = exp2Lut(W, G);
      expect(lut).toHaveLength(1 << G);
      expect(lut[0]).toBe(1n << BigInt(W));
      lut.forEach((v, j) => expect(Math.abs(Number(v) - 2 ** W * 2 ** (-j / 2 ** G)), `W${W} G${G} j${j}`).toBeLessThanOrEqual(0.5 + 1e-9));
    }
  });

  it('order keys sort like numbers, -0 below +0, NaNs outside the infinities', () => {
    const vals = [-Infinity, -3.5, -1e-30, -0, 0, 1e-40, 2.25, Infinity];
    const keys = vals.map((v) => orderKey('fp32', f32Bits(v)));
    for (let i = 1; i < keys.length; i++) expect(keys[i] > keys[i - 1], `${vals[i - 1]} < ${vals[i]}`).toBe(true);
    expect(orderKey('fp32', 0x7fc00000) > orderKey('fp32', f32Bits(Infinity))).toBe(true);
    expect(orderKey('fp32', 0xffc00000) < orderKey('fp32', f32Bits(-Infinity))).toBe(true);
    expect(orderKey('bf16', 0x8000) < orderKey('bf16', 0x0000)).toBe(true);
  });

  it('ranking equals a stable sort by value (lower id first on ties), random tokens', () => {
    const rng = seededRandom('router golden ranking');
    for (let t = 0; t < 500; t++) {
      const n = rng.range(2, 40);
      const vals = Array.from({ length: n }, () => (rng.below(20) - 10) / 4 || 0.125); // many ties, no zeros
      const k = rng.range(1, n);
      const want = vals.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v || a.i - b.i).slice(0, k).map((x) => x.i);
      expect(rankExperts('bf16', vals.map(bf16Bits), k)).toEqual(want);
      expect(rankExperts('fp32', vals.map(f32Bits), k)).toEqual(want);
    }
  });

  it('fixed point: floor(|v| 2^F) with saturation, sign applied after', () => {
    expect(toFixed('fp32', f32Bits(1.5), 8, 8)).toBe(384n);
    expect(toFixed('fp32', f32Bits(-1.5), 8, 8)).toBe(-384n);
    expect(toFixed('fp32', f32Bits(0.00390625 * 1.99), 8, 8)).toBe(1n); // floor(1.99)
    expect(toFixed('fp32', f32Bits(-0.001), 8, 8)).toBe(0n);
    expect(toFixed('fp32', f32Bits(255.99), 8, 8)).toBe(65533n); // floor(255.99 * 256) in fp32
    expect(toFixed('fp32', f32Bits(256), 8, 8)).toBe(65535n);
    expect(toFixed('bf16', 0xff80, 4, 3)).toBe(-127n);
    expect(toFixed('bf16', 0x7fc0, 4, 3)).toBe(127n);
    expect(toFixed('bf16', 0x0001, 12, 12)).toBe(0n);
    const rng = seededRandom('router golden fixed');
    for (let i = 0; i < 2000; i++) {
      const v = f32Value(f32Bits((rng.below(1 << 20) - (1 << 19)) / 2 ** rng.range(0, 20)));
      const want = Math.sign(v) * Math.min(Math.floor(Math.abs(v) * 256), 65535);
      expect(Number(toFixed('fp32', f32Bits(v), 8, 8)), `${v}`).toBe(want === 0 ? 0 : want);
    }
  });
});

describe('router golden: weights and the big/little decision vs float math', () => {
  it('weights approximate the softmax over the used ranks (|error| <= 0.012 for F8/G6/W15) and sum to ~1', () => {
    const rng = seededRandom('router golden softmax');
    const p: RouterParams = { format: 'fp32', experts: 16, k: 6, importance: 'margin' };
    let worst = 0;
    for (let t = 0; t < 2000; t++) {
      const vals = Array.from({ length: 16 }, () => (rng.below(4000) - 2000) / 300);
      const r = routeToken(p, vals.map(f32Bits), 0n, rng.chance(0.5));
      const used = r.big ? 6 : 3;
      const want = softmax(r.ids.slice(0, used).map((i) => f32Value(f32Bits(vals[i]))));
      r.weights.forEach((w, j) => {
        const err = Math.abs(Number(w) / 2 ** 15 - (j < used ? want[j] : 0));
        worst = Math.max(worst, err);
      });
      const total = r.weights.reduce((a, b) => a + b, 0n);
      expect(Math.abs(Number(total) - 2 ** 15)).toBeLessThanOrEqual(used);
    }
    expect(worst).toBeLessThanOrEqual(0.012);
    expect(worst).toBeGreaterThan(0); // an approximation, not float softmax
  });

  it('little = the first floor(K/2) ranks; k = 2 little gives one weight of exactly 1.0', () => {
    const p: RouterParams = { format: 'bf16', experts: 4, k: 2, importance: 'margin' };
    const r = routeToken(p, [1, 3, 2, 0].map(bf16Bits), 0n, false);
    expect(r.big).toBe(false);
    expect(r.ids).toEqual([1, 2]);
    expect(r.weights).toEqual([1n << 15n, 0n]);
  });

  it('margin rule: big iff (x0 - x1) < threshold, in units of 2^-F', () => {
    const p: RouterParams = { format: 'fp32', experts: 4, k: 4, importance: 'margin' };
    const logits = [2.5, 1, 2, -1].map(f32Bits); // margin 0.5 = 128 units
    expect(routeToken(p, logits, 128n, false).big).toBe(false);
    expect(routeToken(p, logits, 129n, false).big).toBe(true);
    expect(routeToken(p, logits, 0n, true).big).toBe(true); // force (MoBiLE fallback re-run)
  });

  it('top-1 rule: big iff the big-set top-1 probability < threshold / 2^W', () => {
    const p: RouterParams = { format: 'fp32', experts: 4, k: 2, importance: 'top1' };
    const logits = [0, 0, -8, -8].map(f32Bits); // p1 = 0.5 exactly among the top 2
    const r = routeToken(p, logits, 1n << 14n, false);
    expect(r.sumBig).toBe(1n << 16n);
    expect(r.big).toBe(false); // 0.5 < 0.5 is false
    expect(routeToken(p, logits, (1n << 14n) + 1n, false).big).toBe(true);
    // float cross-check on random tokens
    const rng = seededRandom('router golden top1');
    for (let t = 0; t < 500; t++) {
      const vals = Array.from({ length: 4 }, () => (rng.below(2000) - 1000) / 200);
      const thr = BigInt(rng.below(1 << 15));
      const r2 = routeToken(p, vals.map(f32Bits), thr, false);
      const p1 = 2 ** 15 / Number(r2.sumBig);
      if (Math.abs(p1 - Number(thr) / 2 ** 15) > 1e-9) expect(r2.big).toBe(p1 < Number(thr) / 2 ** 15);
    }
  });
});
