import { describe, expect, it } from 'vitest';
import { f16_mulAdd } from '../../../../../hdl-gen/units/fp/golden/fma.ts';
import { f16_add } from '../../../../../hdl-gen/units/fp/golden/add.ts';
import { f16_mul } from '../../../../../hdl-gen/units/fp/golden/mul.ts';
import { referenceF16FromDouble, referenceF16ToDouble } from '../../../../../verif/fp/independent-f16-mul.ts';
import { hex, seededRandom } from './golden-test-support.ts';

const NX = 0x01;
const UF = 0x02;
const OF = 0x04;
const NV = 0x10;

describe('f16_mulAdd corner cases', () => {
  const cases: [a: number, b: number, c: number, bits: number, flags: number, what: string][] = [
    [0x3c00, 0x3c00, 0x3c00, 0x4000, 0, '1*1 + 1'],
    [0x3c00, 0x3c00, 0xbc00, 0x0000, 0, '1*1 - 1 = +0 (exact cancellation)'],
    [0xbc00, 0x3c00, 0x3c00, 0x0000, 0, '-1*1 + 1 = +0'],
    [0x8000, 0x3c00, 0x8000, 0x8000, 0, '-0*1 + -0 = -0'],
    [0x0000, 0xbc00, 0x0000, 0x0000, 0, '0*-1 + 0 = +0'],
    [0x0000, 0x3c00, 0x8000, 0x0000, 0, '0*1 + -0 = +0'],
    [0x0000, 0x3c00, 0x8001, 0x8001, 0, '0*1 + -subnormal = -subnormal'],
    // (1+2^-10)^2 = 1 + 2^-9 + 2^-20; minus (1 + 2^-9) leaves 2^-20 exactly. Rounding the product
    // first would give 0: this is the single-rounding signature.
    [0x3c01, 0x3c01, 0xbc02, 0x0010, 0, 'fused: no intermediate rounding of the product'],
    [0x3c01, 0x3c01, 0x0000, 0x3c02, NX, '(1+2^-10)^2 + 0 rounds like a multiply'],
    [0x7bff, 0x4000, 0xfbff, 0x7bff, 0, '65504*2 - 65504: no overflow inside a fused op'],
    [0x7bff, 0x4000, 0x0000, 0x7c00, OF | NX, '65504*2 + 0 overflows'],
    [0x0001, 0x3800, 0x0000, 0x0000, UF | NX, 'subnormal product underflows (tie to 0)'],
    [0x0001, 0x3800, 0x0001, 0x0002, UF | NX, '2^-25 + 2^-24: tie -> 2^-23 (even)'],
    [0x0001, 0x0001, 0x3c00, 0x3c00, NX, '1 + 2^-48 (wide alignment)'],
    [0x0001, 0x0001, 0xbc00, 0xbc00, NX, '-1 + 2^-48'],
    [0x0001, 0x0001, 0x8000, 0x0000, UF | NX, '2^-48 + -0 -> +0 (sign of the rounded product)'],
    [0x8001, 0x0001, 0x0000, 0x8000, UF | NX, '-2^-48 + 0 -> -0'],
    [0x7c00, 0x3c00, 0x3c00, 0x7c00, 0, 'Inf*1 + 1'],
    [0x7c00, 0x3c00, 0x7c00, 0x7c00, 0, 'Inf*1 + Inf'],
    [0x7c00, 0x3c00, 0xfc00, 0x7e00, NV, 'Inf*1 - Inf invalid'],
    [0x3c00, 0x3c00, 0xfc00, 0xfc00, 0, '1*1 - Inf'],
    [0x7c00, 0x0000, 0x3c00, 0x7e00, NV, 'Inf*0 + 1 invalid'],
    [0x0000, 0xfc00, 0x7c00, 0x7e00, NV, '0*-Inf + Inf invalid'],
    [0x7c00, 0x0000, 0x7e00, 0x7e00, NV, 'Inf*0 + qNaN invalid (SoftFloat)'],
    [0x7e00, 0x0000, 0x3c00, 0x7e00, 0, 'qNaN*0 + 1 (no invalid)'],
    [0x7e00, 0x7c00, 0xfc00, 0x7e00, 0, 'qNaN*Inf - Inf (NaN first, no invalid)'],
    [0x3c00, 0x3c00, 0x7e00, 0x7e00, 0, '1*1 + qNaN'],
    [0x3c00, 0x3c00, 0x7d00, 0x7e00, NV, '1*1 + sNaN invalid'],
    [0x7d00, 0x3c00, 0x3c00, 0x7e00, NV, 'sNaN*1 + 1 invalid'],
    [0x7e00, 0x3c00, 0xfc01, 0x7e00, NV, 'qNaN*1 + sNaN invalid'],
    [0xfe77, 0x3c00, 0x3c00, 0x7e00, 0, 'payload of a negative qNaN does not leak'],
  ];
  const named = cases.map(([a, b, c, bits, flags, what]) => ({ a, b, c, bits, flags, what }));
  it.each(named)('$what', ({ a, b, c, bits, flags }) => {
    expect(f16_mulAdd(a, b, c)).toEqual({ bits, flags });
    expect(f16_mulAdd(b, a, c)).toEqual({ bits, flags });
  });
});

describe('f16_mulAdd consistency', () => {
  it('a*b + -0 equals f16_mul and 1*b + c equals f16_add on random inputs', () => {
    const rng = seededRandom('f16_mulAdd vs mul/add');
    const problems: string[] = [];
    for (let i = 0; i < 300_000; i++) {
      const r = rng.next32();
      const a = r >>> 16;
      const b = r & 0xffff;
      const viaMul = f16_mulAdd(a, b, 0x8000);
      const mul = f16_mul(a, b);
      // x + -0 = x for every x (including +0); NaN/invalid behaviour is the same.
      if ((viaMul.bits !== mul.bits || viaMul.flags !== mul.flags) && problems.length < 10) {
        problems.push(`${hex(a, 4)}*${hex(b, 4)} + -0: ${JSON.stringify(viaMul)} vs mul ${JSON.stringify(mul)}`);
      }
      const viaAdd = f16_mulAdd(0x3c00, a, b);
      const add = f16_add(a, b);
      if ((viaAdd.bits !== add.bits || viaAdd.flags !== add.flags) && problems.length < 10) {
        problems.push(`1*${hex(a, 4)} + ${hex(b, 4)}: ${JSON.stringify(viaAdd)} vs add ${JSON.stringify(add)}`);
      }
    }
    expect(problems).toEqual([]);
  });
  it('matches the independent table rounding whenever the double a*b + c is exact', () => {
    const rng = seededRandom('f16_mulAdd vs independent rounding');
    const problems: string[] = [];
    let checked = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const r = rng.next32();
      const a = r >>> 16;
      const b = r & 0xffff;
      const c = rng.next32() >>> 16;
      const p = referenceF16ToDouble(a) * referenceF16ToDouble(b); // exact
      const z = referenceF16ToDouble(c);
      const s = p + z;
      const bb = s - p;
      const err = p - (s - bb) + (z - bb); // TwoSum: zero iff s is the exact sum
      if (s !== s || !Number.isFinite(s) || err !== 0) continue;
      checked++;
      const want = referenceF16FromDouble(s);
      const got = f16_mulAdd(a, b, c);
      if ((got.bits !== want.bits || got.flags !== want.flags) && problems.length < 10) {
        problems.push(`${hex(a, 4)}*${hex(b, 4)}+${hex(c, 4)}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
      }
    }
    expect(checked).toBeGreaterThan(500_000);
    expect(problems).toEqual([]);
  });
});
