import { describe, expect, it } from 'vitest';
import { elaborate } from '../../../../../hdl-gen/index.ts';
import { fpAdd } from '../../../../../hdl-gen/units/fp/golden/add.ts';
import { BF16 } from '../../../../../hdl-gen/units/fp/golden/formats.ts';
import { FpAdd } from '../../../../../hdl-gen/units/fp/rtl/fp-add.ts';
import { fpOpSuite } from './fp-op-suite.ts';
import { cornerAndRandom, irMismatches, rng } from './fp-rtl-test-support.ts';

const sweep16 = (bs: number[]) => {
  const a: number[] = [];
  const b: number[] = [];
  for (const y of bs) for (let x = 0; x < 0x10000; x++) a.push(x), b.push(y);
  return [a, b];
};

describe('FpAdd f16 (f16_add)', () => {
  fpOpSuite('f16_add', {
    testfloat: true,
    random: 100_000,
    extra: () => [{ label: 'every a + {-1, 2^-11, -min subnormal, 65504}', columns: sweep16([0xbc00, 0x1000, 0x8001, 0x7bff]) }],
    explicit: [
      { operands: [0x3c00, 0xbc00], result: 0x0000, what: 'x - x = +0' },
      { operands: [0x8000, 0x8000], result: 0x8000, what: '-0 + -0 = -0' },
      { operands: [0x0000, 0x8000], result: 0x0000, what: '+0 + -0 = +0' },
      { operands: [0x7c00, 0xfc00], result: 0x7e00, what: 'Inf - Inf is NaN' },
      { operands: [0x7c00, 0x7c00], result: 0x7c00, what: 'Inf + Inf' },
      { operands: [0xfc00, 0x3c00], result: 0xfc00, what: '-Inf + 1' },
      { operands: [0x7bff, 0x7bff], result: 0x7c00, what: 'overflow' },
      { operands: [0x7bff, 0x4c00], result: 0x7c00, what: '65504 + 16: tie to even rounds up to 2^16, overflow' },
      { operands: [0x7bff, 0x4bff], result: 0x7bff, what: '65504 + 15.99 stays finite' },
      { operands: [0x0001, 0x0001], result: 0x0002, what: 'subnormal + subnormal' },
      { operands: [0x03ff, 0x0001], result: 0x0400, what: 'max subnormal + min subnormal = min normal' },
      { operands: [0x0400, 0x8001], result: 0x03ff, what: 'min normal - min subnormal' },
      { operands: [0x3c00, 0x1000], result: 0x3c00, what: '1 + 2^-11: tie to even stays' },
      { operands: [0x3c01, 0x1000], result: 0x3c02, what: '(1 + 2^-10) + 2^-11: tie to even rounds up' },
      { operands: [0x3c00, 0x9000], result: 0x3bff, what: '1 - 2^-11 is exact' },
      { operands: [0x3c00, 0x8c00], result: 0x3c00, what: '1 - 2^-12: tie to even rounds back to 1' },
      { operands: [0x4400, 0xc3ff], result: 0x1800, what: 'massive cancellation: 4 - 3.998 = 2^-9' },
      { operands: [0xfe00, 0x3c00], result: 0x7e00, what: 'NaN sign never leaks' },
    ],
  });
});

describe('FpAdd f32 (f32_add)', () => {
  fpOpSuite('f32_add', {
    testfloat: true,
    random: 100_000,
    explicit: [
      { operands: [0x3f800000, 0x33800000], result: 0x3f800000, what: '1 + 2^-24: tie to even stays' },
      { operands: [0x3f800001, 0x33800000], result: 0x3f800002, what: 'tie to even rounds up' },
      { operands: [0x7f7fffff, 0x73000000], result: 0x7f800000, what: 'max + half an ulp: tie rounds to 2^128, overflow' },
      { operands: [0x00000001, 0x80000001], result: 0x00000000, what: 'x - x = +0 (subnormal)' },
      { operands: [0x00800000, 0x80000001], result: 0x007fffff, what: 'min normal - min subnormal' },
      { operands: [0x7f800000, 0xff800000], result: 0x7fc00000, what: 'Inf - Inf' },
      { operands: [0x4b800000, 0x3f800000], result: 0x4b800000, what: '2^24 + 1: tie to even' },
      { operands: [0x4b800001, 0x3f800000], result: 0x4b800002, what: '2^24 + 2 + 1: tie to even rounds up' },
      { operands: [0x7f000000, 0x00000001], result: 0x7f000000, what: 'exponent gap beyond the frame: sticky only' },
      { operands: [0x7f000000, 0x80000001], result: 0x7f000000, what: '... also when subtracting' },
    ],
  });
});

describe('FpAdd bf16 (no TestFloat file: IR simulator against the golden fpAdd(BF16))', () => {
  it('corner classes and random vectors are bit-exact', () => {
    const columns = cornerAndRandom(['bf16', 'bf16'], 50_000, rng('bf16_add random'));
    const bad = irMismatches(elaborate(FpAdd, { format: 'bf16', stages: 0 }), ['a', 'b'], columns, (v) => fpAdd(BF16, v[0], v[1]).bits, 16);
    expect(bad).toEqual([]);
  });
});
