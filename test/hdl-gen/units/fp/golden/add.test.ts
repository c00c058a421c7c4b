import { describe, expect, it } from 'vitest';
import { addExact, f16_add, f32_add } from '../../../../../hdl-gen/units/fp/golden/add.ts';
import { referenceF16FromDouble, referenceF16ToDouble } from '../../../../../verif/fp/independent-f16-mul.ts';
import { float32Bits, float32Value, hex, seededRandom } from './golden-test-support.ts';

const NX = 0x01;
const OF = 0x04;
const NV = 0x10;

describe('addExact', () => {
  it('adds exactly with Number alignment', () => {
    expect(addExact(0, 3, 0, 1, 1, -1)).toEqual({ sign: 0, sig: 5, exp: -1 }); // 3 - 0.5
    expect(addExact(1, 3, 0, 0, 1, 2)).toEqual({ sign: 0, sig: 1, exp: 0 }); // -3 + 4
  });
  it('switches to BigInt when the aligned sum exceeds 53 bits', () => {
    const r = addExact(0, 1, 100, 0, 1, 0);
    expect(r.sig).toBe((1n << 100n) + 1n);
    expect(r.exp).toBe(0);
  });
  it('gives +0 for exact cancellation and -0 only when both addends are negative', () => {
    expect(addExact(0, 5, 0, 1, 5, 0).sign).toBe(0);
    expect(addExact(1, 5, 0, 0, 5, 0).sign).toBe(0);
    expect(addExact(1, 0, 0, 1, 0, 9).sign).toBe(1);
    expect(addExact(1, 0, 0, 0, 0, 9).sign).toBe(0);
    expect(addExact(1, 1, 200, 0, 2 ** 50, 150)).toEqual({ sign: 0, sig: 0, exp: 150 }); // BigInt path
  });
});

describe('f16_add corner cases', () => {
  const cases: [a: number, b: number, bits: number, flags: number, what: string][] = [
    [0x3c00, 0x3c00, 0x4000, 0, '1 + 1'],
    [0x3c00, 0xbc00, 0x0000, 0, 'x + -x = +0'],
    [0xbc00, 0x3c00, 0x0000, 0, '-x + x = +0'],
    [0x0000, 0x0000, 0x0000, 0, '+0 + +0'],
    [0x8000, 0x8000, 0x8000, 0, '-0 + -0 = -0'],
    [0x8000, 0x0000, 0x0000, 0, '-0 + +0 = +0'],
    [0x0000, 0x8000, 0x0000, 0, '+0 + -0 = +0'],
    [0x4248, 0x8000, 0x4248, 0, 'x + -0 = x'],
    [0x8001, 0x0000, 0x8001, 0, '-subnormal + +0 keeps the subnormal'],
    [0x0001, 0x0001, 0x0002, 0, 'subnormal + subnormal exact'],
    [0x03ff, 0x0001, 0x0400, 0, 'max subnormal + min subnormal = min normal, exact'],
    [0x0400, 0x8001, 0x03ff, 0, 'min normal - min subnormal = max subnormal, exact (no underflow)'],
    [0x3c00, 0x1000, 0x3c00, NX, '1 + 2^-11: tie -> 1 (even)'],
    [0x3c01, 0x1000, 0x3c02, NX, '(1 + 2^-10) + 2^-11: tie -> even, up'],
    [0x3c00, 0x0c00, 0x3c00, NX, '1 + 2^-12 rounds down'],
    [0x3c00, 0x8001, 0x3c00, NX, '1 - 2^-24 rounds back to 1'],
    [0x3c00, 0x8c00, 0x3c00, NX, '1 - 2^-12: tie -> 1 (even)'],
    [0x3c00, 0x8e00, 0x3bff, NX, '1 - 1.5*2^-12 rounds to the largest value below 1'],
    [0x7bff, 0x4800, 0x7bff, NX, '65504 + 8 rounds back'],
    [0x7bff, 0x4c00, 0x7c00, OF | NX, '65504 + 16 = 65520: tie -> Inf'],
    [0xfbff, 0xfbff, 0xfc00, OF | NX, 'negative overflow'],
    [0x7c00, 0x7c00, 0x7c00, 0, 'Inf + Inf'],
    [0x7c00, 0xfc00, 0x7e00, NV, 'Inf - Inf invalid'],
    [0xfc00, 0x7bff, 0xfc00, 0, '-Inf + finite'],
    [0x7e00, 0x7c00, 0x7e00, 0, 'qNaN + Inf'],
    [0xfe01, 0xfc00, 0x7e00, 0, 'negative qNaN payload -> canonical'],
    [0x7c01, 0x3c00, 0x7e00, NV, 'sNaN + 1 invalid'],
    [0x7c01, 0x7c00, 0x7e00, NV, 'sNaN + Inf invalid'],
  ];
  const named = cases.map(([a, b, bits, flags, what]) => ({ a, b, bits, flags, what }));
  it.each(named)('$what', ({ a, b, bits, flags }) => {
    expect(f16_add(a, b)).toEqual({ bits, flags });
    if (!(a === 0x8000 && b === 0x0000) && !(a === 0x0000 && b === 0x8000)) {
      expect(f16_add(b, a)).toEqual({ bits, flags });
    }
  });
});

describe('f16_add against the independent double-based rounding', () => {
  it('2M random pairs (the double sum of two binary16 values is exact)', () => {
    const rng = seededRandom('f16_add vs independent rounding');
    const mismatches: string[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      const r = rng.next32();
      const a = r >>> 16;
      // Every other case: b close in magnitude to a, to exercise cancellation.
      const b = i % 2 === 0 ? r & 0xffff : ((a ^ 0x8000) + ((r & 0xff) - 0x80)) & 0xffff;
      const x = referenceF16ToDouble(a);
      const y = referenceF16ToDouble(b);
      const sum = x + y;
      if (sum !== sum) continue; // NaN operands / Inf - Inf: covered by the corner cases
      const want = referenceF16FromDouble(sum);
      const got = f16_add(a, b);
      if ((got.bits !== want.bits || got.flags !== want.flags) && mismatches.length < 10) {
        mismatches.push(`${hex(a, 4)} + ${hex(b, 4)}: golden ${hex(got.bits, 4)}/${got.flags} independent ${hex(want.bits, 4)}/${want.flags}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('f32_add', () => {
  it('corner cases', () => {
    expect(f32_add(0x3f800000, 0xbf800000)).toEqual({ bits: 0x00000000, flags: 0 });
    expect(f32_add(0x80000000, 0x80000000)).toEqual({ bits: 0x80000000, flags: 0 });
    expect(f32_add(0x3f800000, 0x33800000)).toEqual({ bits: 0x3f800000, flags: NX }); // 1 + 2^-24 tie
    expect(f32_add(0x3f800001, 0x33800000)).toEqual({ bits: 0x3f800002, flags: NX });
    expect(f32_add(0x3f800000, 0x00000001)).toEqual({ bits: 0x3f800000, flags: NX }); // wide gap (BigInt)
    expect(f32_add(0x3f800000, 0x80000001)).toEqual({ bits: 0x3f800000, flags: NX });
    expect(f32_add(0x00800000, 0x80000001)).toEqual({ bits: 0x007fffff, flags: 0 });
    expect(f32_add(0x7f7fffff, 0x73000000)).toEqual({ bits: 0x7f800000, flags: OF | NX }); // + half ulp: tie -> Inf
    expect(f32_add(0x7f7fffff, 0x72ffffff)).toEqual({ bits: 0x7f7fffff, flags: NX }); // just below the tie
    expect(f32_add(0x7f800000, 0xff800000)).toEqual({ bits: 0x7fc00000, flags: NV });
    expect(f32_add(0xff800001, 0x00000000)).toEqual({ bits: 0x7fc00000, flags: NV });
  });
  it('matches Math.fround of the double sum when that sum is exact (bits)', () => {
    const rng = seededRandom('f32_add vs Math.fround');
    const mismatches: string[] = [];
    let checked = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const a = rng.next32();
      // b shares a's exponent give or take 31, so the double sum is usually exact.
      const expA = (a >>> 23) & 0xff;
      const expB = Math.min(254, Math.max(0, expA + (rng.below(63) - 31)));
      const b = ((rng.next32() & 0x807fffff) + expB * 0x800000) >>> 0;
      const x = float32Value(a);
      const y = float32Value(b);
      const sum = x + y;
      // Exactness test (Knuth TwoSum error term is zero).
      const bb = sum - x;
      const err = (x - (sum - bb)) + (y - bb);
      if (sum !== sum || !Number.isFinite(sum) || err !== 0) continue;
      checked++;
      const got = f32_add(a, b);
      const want = float32Bits(sum);
      if (got.bits !== want && mismatches.length < 10) {
        mismatches.push(`${hex(a, 8)} + ${hex(b, 8)}: golden ${hex(got.bits, 8)} fround ${hex(want, 8)}`);
      }
    }
    expect(checked).toBeGreaterThan(500_000);
    expect(mismatches).toEqual([]);
  });
});
