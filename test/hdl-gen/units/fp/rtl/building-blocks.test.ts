import { describe, expect, it } from 'vitest';
import { elaborate } from '../../../../../hdl-gen/index.ts';
import { signedWidth } from '../../../../../hdl-gen/units/fp/rtl/format.ts';
import { Lzc, lzcWidth } from '../../../../../hdl-gen/units/fp/rtl/lzc.ts';
import { StickyShiftRight } from '../../../../../hdl-gen/units/fp/rtl/sticky-shift.ts';
import { IrSimulator } from '../../../../../verif/sim/ir-simulator.ts';
import { rng } from './fp-rtl-test-support.ts';

const clz = (x: bigint, w: number) => {
  let n = 0;
  for (let i = w - 1; i >= 0 && ((x >> BigInt(i)) & 1n) === 0n; i--) n++;
  return n;
};

describe('Lzc', () => {
  it.each([1, 2, 3, 5, 8, 11, 12, 15, 16])('counts leading zeros of every %i-bit value (width for 0)', (w) => {
    const sim = new IrSimulator(elaborate(Lzc, { width: w }));
    expect(sim.flat.top.module.ports.find((p) => p.name === 'count')!.width).toBe(lzcWidth(w));
    for (let x = 0; x < 2 ** w; x++) {
      sim.poke('x', x);
      if (sim.peekNumber('count') !== clz(BigInt(x), w)) expect([w, x, sim.peekNumber('count')]).toEqual([w, x, clz(BigInt(x), w)]);
    }
  });
  it.each([22, 24, 28, 48, 63, 64])('counts leading zeros of one-hot and random %i-bit values', (w) => {
    const sim = new IrSimulator(elaborate(Lzc, { width: w }));
    const r = rng(`Lzc_w${w}`);
    const values = [0n, ...Array.from({ length: w }, (_, i) => 1n << BigInt(i)), ...Array.from({ length: 2000 }, () => r.bits(w) >> BigInt(r.below(w)))];
    for (const x of values) {
      sim.poke('x', x);
      if (sim.peekNumber('count') !== clz(x, w)) expect([w, x, sim.peekNumber('count')]).toEqual([w, x, clz(x, w)]);
    }
  });
});

describe('StickyShiftRight', () => {
  it.each([
    [8, 3],
    [8, 5],
    [6, 4],
  ])('width %i, amount width %i: y = x >> n and sticky = OR of the lost bits, for every x and n', (w, aw) => {
    const sim = new IrSimulator(elaborate(StickyShiftRight, { width: w, amountWidth: aw }));
    for (let x = 0; x < 2 ** w; x++) {
      for (let n = 0; n < 2 ** aw; n++) {
        sim.poke('x', x);
        sim.poke('amount', n);
        const y = n >= w ? 0 : x >> n;
        const sticky = n >= w ? (x !== 0 ? 1 : 0) : (x & (2 ** n - 1)) !== 0 ? 1 : 0;
        const got = [sim.peekNumber('y'), sim.peekNumber('sticky')];
        if (got[0] !== y || got[1] !== sticky) expect([x, n, ...got]).toEqual([x, n, y, sticky]);
      }
    }
  });
  it('width 27 with a 10-bit amount (the MAC alignment shifter), random', () => {
    const sim = new IrSimulator(elaborate(StickyShiftRight, { width: 27, amountWidth: 10 }));
    const r = rng('StickyShiftRight_w27_a10');
    for (let i = 0; i < 20_000; i++) {
      const x = r.below(2 ** 27);
      const n = r.chance(0.8) ? r.below(32) : r.below(1024);
      sim.poke('x', x);
      sim.poke('amount', n);
      const y = n >= 27 ? 0 : Math.floor(x / 2 ** n);
      const sticky = n >= 27 ? x !== 0 : x % 2 ** Math.min(n, 27) !== 0;
      expect([x, n, sim.peekNumber('y'), sim.peekNumber('sticky')]).toEqual([x, n, y, sticky ? 1 : 0]);
    }
  });
});

describe('signedWidth', () => {
  it('is the smallest two’s complement width holding the range', () => {
    expect(signedWidth(-1, 0)).toBe(2);
    expect(signedWidth(-64, 63)).toBe(7);
    expect(signedWidth(-65, 63)).toBe(8);
    expect(signedWidth(0, 64)).toBe(8);
  });
});
