import { describe, expect, it } from 'vitest';
import { elaborate } from '../../../../../hdl-gen/index.ts';
import { BF16 } from '../../../../../hdl-gen/units/fp/golden/formats.ts';
import { fpMul } from '../../../../../hdl-gen/units/fp/golden/mul.ts';
import { FpMul } from '../../../../../hdl-gen/units/fp/rtl/fp-mul.ts';
import { fpOpSuite } from './fp-op-suite.ts';
import { cornerAndRandom, irMismatches, rng } from './fp-rtl-test-support.ts';

/** Every a against a few b: all classes of a, with exact, tie and overflow products. */
const sweep16 = (bs: number[]) => {
  const a: number[] = [];
  const b: number[] = [];
  for (const y of bs) for (let x = 0; x < 0x10000; x++) a.push(x), b.push(y);
  return [a, b];
};

describe('FpMul f16 (f16_mul)', () => {
  fpOpSuite('f16_mul', {
    testfloat: true,
    random: 100_000,
    verilatorStages: 3,
    extra: () => [{ label: 'every a x {1, 0.5, 2^-24, 0x3555, -65504}', columns: sweep16([0x3c00, 0x3800, 0x0001, 0x3555, 0xfbff]) }],
    explicit: [
      { operands: [0x3c00, 0x4000], result: 0x4000, what: '1 * 2' },
      { operands: [0x3e00, 0x3e00], result: 0x4080, what: '1.5 * 1.5 = 2.25' },
      { operands: [0x0001, 0x3800], result: 0x0000, what: 'min subnormal * 0.5: tie to even gives +0' },
      { operands: [0x0001, 0x3801], result: 0x0001, what: 'just above the tie rounds up' },
      { operands: [0x0001, 0x3e00], result: 0x0002, what: '1.5 ulp: tie to even gives 2 ulps' },
      { operands: [0x0400, 0x3800], result: 0x0200, what: 'min normal * 0.5 is subnormal' },
      { operands: [0x03ff, 0x4000], result: 0x07fe, what: 'max subnormal * 2 is normal' },
      { operands: [0x1400, 0x1400], result: 0x0010, what: '2^-10 * 2^-10 = 2^-20 (subnormal result)' },
      { operands: [0x0200, 0x0200], result: 0x0000, what: 'subnormal * subnormal underflows to +0' },
      { operands: [0x8200, 0x0200], result: 0x8000, what: '... or -0' },
      { operands: [0x7bff, 0x4000], result: 0x7c00, what: 'overflow to Inf' },
      { operands: [0x7bff, 0x3c01], result: 0x7c00, what: 'overflow past the rounding midpoint' },
      { operands: [0x7c00, 0x0000], result: 0x7e00, what: 'Inf * 0 is NaN' },
      { operands: [0xfc00, 0x8001], result: 0x7c00, what: '-Inf * -tiny = +Inf' },
      { operands: [0xfe00, 0x3c00], result: 0x7e00, what: 'a negative NaN gives the canonical NaN' },
      { operands: [0x7c01, 0x3c00], result: 0x7e00, what: 'signaling NaN' },
      { operands: [0x7fff, 0x0000], result: 0x7e00, what: 'NaN payload never leaks' },
      { operands: [0x8000, 0x3c00], result: 0x8000, what: '-0 * 1 = -0' },
      { operands: [0x8000, 0x7bff], result: 0x8000, what: '-0 * max = -0' },
    ],
  });
});

describe('FpMul f32 (f32_mul)', () => {
  fpOpSuite('f32_mul', {
    testfloat: true,
    random: 100_000,
    explicit: [
      { operands: [0x3f800000, 0x40000000], result: 0x40000000, what: '1 * 2' },
      { operands: [0x00000001, 0x3f000000], result: 0x00000000, what: 'min subnormal * 0.5: tie to even gives +0' },
      { operands: [0x00000001, 0x3fc00000], result: 0x00000002, what: '1.5 ulp: tie to even gives 2' },
      { operands: [0x00800000, 0x3f000000], result: 0x00400000, what: 'min normal * 0.5 is subnormal' },
      { operands: [0x3f800001, 0x3f800001], result: 0x3f800002, what: '(1 + 2^-23)^2 rounds down' },
      { operands: [0x3fffffff, 0x3fffffff], result: 0x407ffffe, what: '(2 - 2^-23)^2 rounds down below 4' },
      { operands: [0x7f7fffff, 0x40000000], result: 0x7f800000, what: 'overflow to Inf' },
      { operands: [0x7f800000, 0x80000000], result: 0x7fc00000, what: 'Inf * -0 is NaN' },
      { operands: [0xffc00001, 0x3f800000], result: 0x7fc00000, what: 'NaN payload and sign never leak' },
      { operands: [0x80000000, 0x00000000], result: 0x80000000, what: '-0 * +0 = -0' },
    ],
  });
});

describe('FpMul bf16 (no TestFloat file: IR simulator against the golden fpMul(BF16))', () => {
  it('corner classes and random vectors are bit-exact', () => {
    const columns = cornerAndRandom(['bf16', 'bf16'], 50_000, rng('bf16_mul random'));
    const bad = irMismatches(elaborate(FpMul, { format: 'bf16', stages: 0 }), ['a', 'b'], columns, (v) => fpMul(BF16, v[0], v[1]).bits, 16);
    expect(bad).toEqual([]);
  });
});
