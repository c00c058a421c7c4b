import { describe, expect, it } from 'vitest';
import { f32_add } from '../../../../../hdl-gen/units/fp/golden/add.ts';
import { bf16_to_f32, f16_to_f32 } from '../../../../../hdl-gen/units/fp/golden/convert.ts';
import { mac_bf16_f32, mac_f16_f32 } from '../../../../../hdl-gen/units/fp/golden/mac.ts';
import { f32_mul } from '../../../../../hdl-gen/units/fp/golden/mul.ts';
import { referenceF16ToDouble } from '../../../../../verif/fp/independent-f16-mul.ts';
import { float32Bits, float32Value, hex, seededRandom } from './golden-test-support.ts';

const NX = 0x01;
const NV = 0x10;

describe('mac_f16_f32 corner cases (operands a, b: binary16; acc: binary32)', () => {
  const cases: [a: number, b: number, acc: number, bits: number, flags: number, what: string][] = [
    [0x3c00, 0x3c00, 0x3f800000, 0x40000000, 0, '1 + 1*1'],
    [0x3c00, 0x3c00, 0xbf800000, 0x00000000, 0, '-1 + 1*1 = +0'],
    [0x8000, 0x3c00, 0x80000000, 0x80000000, 0, '-0 + -0*1 = -0'],
    [0x8000, 0x3c00, 0x00000000, 0x00000000, 0, '+0 + -0*1 = +0'],
    // (1+2^-10)^2 = 1 + 2^-9 + 2^-20 is exact in binary32: no rounding at all.
    [0x3c01, 0x3c01, 0x00000000, 0x3f804008, 0, 'exact 22-bit product'],
    // 2^24 + (1 + 2^-10)^2: the sum needs rounding once: 2^24 + 1.00195... -> 2^24 + 2.
    [0x3c01, 0x3c01, 0x4b800000, 0x4b800001, NX, 'one rounding of acc + exact product'],
    [0x3c00, 0x3c00, 0x4b800000, 0x4b800000, NX, '2^24 + 1: tie -> even'],
    [0x0001, 0x0001, 0x00000000, 0x27800000, 0, '2^-48: product of two subnormals is a binary32 normal'],
    [0x7bff, 0x7bff, 0x7f7fffff, 0x7f7fffff, NX, 'max binary32 + 65504^2 does not overflow'],
    [0x7bff, 0x7bff, 0x7f7ff000, 0x7f7ff000, NX, '... nor here'],
    [0x7bff, 0x7bff, 0x00000001, 0x4f7fc004, NX, '65504^2 + min subnormal'],
    [0x7c00, 0x3c00, 0x3f800000, 0x7f800000, 0, 'Inf*1 + 1 = Inf'],
    [0x7c00, 0xbc00, 0xff800000, 0xff800000, 0, '-Inf + -Inf'],
    [0x7c00, 0x3c00, 0xff800000, 0x7fc00000, NV, 'Inf - Inf invalid'],
    [0x3c00, 0x3c00, 0xff800000, 0xff800000, 0, 'finite product + -Inf'],
    [0x7c00, 0x0000, 0x3f800000, 0x7fc00000, NV, 'Inf*0 invalid'],
    [0x7c00, 0x0000, 0x7fc00000, 0x7fc00000, NV, 'Inf*0 + qNaN invalid'],
    [0x7e00, 0x3c00, 0x3f800000, 0x7fc00000, 0, 'qNaN a'],
    [0x7d00, 0x3c00, 0x3f800000, 0x7fc00000, NV, 'sNaN a'],
    [0x3c00, 0x3c00, 0x7f800001, 0x7fc00000, NV, 'sNaN acc'],
    [0x3c00, 0x3c00, 0xffc00001, 0x7fc00000, 0, 'qNaN acc payload does not leak'],
    [0x7e00, 0x0000, 0x7f800001, 0x7fc00000, NV, 'qNaN a, sNaN acc'],
  ];
  const named = cases.map(([a, b, acc, bits, flags, what]) => ({ a, b, acc, bits, flags, what }));
  it.each(named)('$what', ({ a, b, acc, bits, flags }) => {
    expect(mac_f16_f32(a, b, acc)).toEqual({ bits, flags });
    expect(mac_f16_f32(b, a, acc)).toEqual({ bits, flags });
  });
  it('never underflows: a non-zero product is >= 2^-48, so any binary32-tiny sum is exact', () => {
    expect(mac_f16_f32(0x0000, 0x3c00, 0x00000001)).toEqual({ bits: 0x00000001, flags: 0 }); // subnormal acc kept
    expect(mac_f16_f32(0x0001, 0x0001, 0xa7800000)).toEqual({ bits: 0x00000000, flags: 0 }); // 2^-48 - 2^-48
    expect(mac_f16_f32(0x0001, 0x0001, 0x80000001)).toEqual({ bits: 0x27800000, flags: NX });
  });
});

/** acc + exact product built from the other golden ops; flags are the OR of every step. */
function macViaF32Ops(a: number, b: number, acc: number): { bits: number; flags: number } {
  const x = f16_to_f32(a);
  const y = f16_to_f32(b);
  const product = f32_mul(x.bits, y.bits); // exact: <= 22 significant bits, exponent in range
  const sum = f32_add(acc, product.bits);
  return { bits: sum.bits, flags: x.flags | y.flags | product.flags | sum.flags };
}

describe('mac_f16_f32 cross-checks', () => {
  it('equals f32_add(acc, exactly formed product) on random inputs, flags included', () => {
    const rng = seededRandom('mac_f16_f32 vs f32_add of the exact product');
    const problems: string[] = [];
    let productInexact = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const r = rng.next32();
      const a = r >>> 16;
      const b = r & 0xffff;
      let acc: number;
      const mode = i % 3;
      if (mode === 0) {
        acc = rng.next32();
      } else {
        // Near-cancellation: acc is -product with a perturbed low part, or exponent-close random.
        const p = f32_mul(f16_to_f32(a).bits, f16_to_f32(b).bits).bits;
        acc =
          mode === 1
            ? (p ^ 0x80000000) + (rng.below(64) - 32)
            : ((rng.next32() & 0x807fffff) + (((p >>> 23) & 0xff) + rng.below(40) - 20) * 0x800000);
        acc = acc >>> 0;
      }
      const x = f16_to_f32(a);
      const y = f16_to_f32(b);
      if (f32_mul(x.bits, y.bits).flags & NX) productInexact++;
      const got = mac_f16_f32(a, b, acc);
      const want = macViaF32Ops(a, b, acc);
      if ((got.bits !== want.bits || got.flags !== want.flags) && problems.length < 10) {
        problems.push(`${hex(a, 4)}*${hex(b, 4)} + ${hex(acc, 8)}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
      }
    }
    expect(productInexact).toBe(0); // the binary16 product really is exact in binary32
    expect(problems).toEqual([]);
  });
  it('matches Math.fround of acc + a*b whenever that double sum is exact (bits)', () => {
    const rng = seededRandom('mac_f16_f32 vs Math.fround');
    const problems: string[] = [];
    let checked = 0;
    for (let i = 0; i < 500_000; i++) {
      const r = rng.next32();
      const a = r >>> 16;
      const b = r & 0xffff;
      const acc = i % 2 ? rng.next32() : ((rng.next32() & 0x807fffff) + (100 + rng.below(60)) * 0x800000) >>> 0;
      const p = referenceF16ToDouble(a) * referenceF16ToDouble(b);
      const z = float32Value(acc);
      const s = p + z;
      const bb = s - p;
      const err = p - (s - bb) + (z - bb);
      if (s !== s || !Number.isFinite(s) || err !== 0) continue;
      checked++;
      const got = mac_f16_f32(a, b, acc);
      const want = float32Bits(s);
      if (got.bits !== want && problems.length < 10) {
        problems.push(`${hex(a, 4)}*${hex(b, 4)} + ${hex(acc, 8)}: ${hex(got.bits, 8)} vs ${hex(want, 8)}`);
      }
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(problems).toEqual([]);
  });
});

describe('mac_bf16_f32 cross-checks', () => {
  it('equals f32_add(acc, f32_mul(a, b)) whenever the bfloat16 product is exact in binary32', () => {
    // A bfloat16 product has <= 16 significant bits, so f32_mul is exact unless it leaves binary32's
    // exponent range (then the fused path must differ: that is what the exact-product case checks).
    const rng = seededRandom('mac_bf16_f32 vs f32 ops');
    const problems: string[] = [];
    let compared = 0;
    for (let i = 0; i < 500_000; i++) {
      const a = rng.next32() >>> 16;
      const b = rng.next32() >>> 16;
      const acc = rng.next32() >>> 0;
      const x = bf16_to_f32(a);
      const y = bf16_to_f32(b);
      const p = f32_mul(x.bits, y.bits);
      if (p.flags & NX) continue;
      compared++;
      const sum = f32_add(acc, p.bits);
      const want = { bits: sum.bits, flags: x.flags | y.flags | p.flags | sum.flags };
      const got = mac_bf16_f32(a, b, acc);
      if ((got.bits !== want.bits || got.flags !== want.flags) && problems.length < 10) {
        problems.push(`${hex(a, 4)}*${hex(b, 4)} + ${hex(acc, 8)}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
      }
    }
    expect(compared).toBeGreaterThan(200_000);
    expect(problems).toEqual([]);
  });
  it('keeps a product below binary32 range exact: one rounding, not two', () => {
    // 2^-100 * 2^-100 = 2^-200 flushes in f32_mul, but added to acc = 2^-149 (min subnormal) the
    // exact sum 2^-149 + 2^-200 rounds to 2^-149 (inexact), and -2^-200 + +0 rounds to -0 (sign kept).
    expect(mac_bf16_f32(0x0d80, 0x0d80, 0x00000001)).toEqual({ bits: 0x00000001, flags: NX | 0x02 });
  });
});
