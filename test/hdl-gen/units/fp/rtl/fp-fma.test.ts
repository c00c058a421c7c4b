import { describe, expect, it } from 'vitest';
import { elaborate } from '../../../../../hdl-gen/index.ts';
import { fpMulAdd } from '../../../../../hdl-gen/units/fp/golden/fma.ts';
import { BF16, FP32 } from '../../../../../hdl-gen/units/fp/golden/formats.ts';
import { FpFma } from '../../../../../hdl-gen/units/fp/rtl/fp-fma.ts';
import { fpOpSuite } from './fp-op-suite.ts';
import { cornerAndRandom, irMismatches, rng } from './fp-rtl-test-support.ts';

describe('FpFma f16 (f16_mulAdd, fused: one rounding)', () => {
  fpOpSuite('f16_mulAdd', {
    testfloat: true,
    random: 100_000,
    explicit: [
      { operands: [0x3c00, 0x3c00, 0x3c00], result: 0x4000, what: '1*1 + 1' },
      { operands: [0x3c00, 0x3c00, 0xbc00], result: 0x0000, what: '1*1 - 1 = +0' },
      { operands: [0x8000, 0x3c00, 0x8000], result: 0x8000, what: '-0*1 + -0 = -0' },
      { operands: [0x8000, 0x3c00, 0x0000], result: 0x0000, what: '-0*1 + +0 = +0' },
      { operands: [0x3c01, 0x3bff, 0xbc00], result: 0x0ffe, what: 'fused: (1+2^-10)(1-2^-11) - 1 = 2^-11 - 2^-21 exactly (unfused gives 0)' },
      { operands: [0x3c01, 0x3c01, 0xbc00], result: 0x1800, what: '2^-9 + 2^-20: tie to even' },
      { operands: [0x0001, 0x0001, 0x0000], result: 0x0000, what: '2^-48 rounds to +0' },
      { operands: [0x0001, 0x0001, 0x8000], result: 0x0000, what: '2^-48 + -0: a positive sum rounds to +0' },
      { operands: [0x8001, 0x0001, 0x0000], result: 0x8000, what: '-2^-48 rounds to -0' },
      { operands: [0x0001, 0x0001, 0x0001], result: 0x0001, what: 'min subnormal + 2^-48' },
      { operands: [0x0001, 0x3800, 0x8001], result: 0x8000, what: '2^-25 - 2^-24 = -2^-25: tie to even gives -0' },
      { operands: [0x7bff, 0x3c00, 0x5000], result: 0x7c00, what: '65504 + 32 overflows' },
      { operands: [0x7c00, 0x0000, 0x7e00], result: 0x7e00, what: 'Inf*0 + qNaN' },
      { operands: [0x7c00, 0x3c00, 0xfc00], result: 0x7e00, what: 'Inf - Inf' },
      { operands: [0x7c00, 0x3c00, 0x7c00], result: 0x7c00, what: 'Inf + Inf' },
      { operands: [0x3c00, 0x3c00, 0xfc00], result: 0xfc00, what: 'finite + -Inf' },
      { operands: [0x3c00, 0x3c00, 0xfd00], result: 0x7e00, what: 'sNaN c with sign and payload' },
    ],
  });
});

describe('FpFma f32 and bf16 (no TestFloat file: IR simulator against the golden fpMulAdd)', () => {
  it('f32: corner classes and random vectors are bit-exact', () => {
    const columns = cornerAndRandom(['f32', 'f32', 'f32'], 40_000, rng('f32_mulAdd random'));
    const bad = irMismatches(elaborate(FpFma, { format: 'f32', stages: 0 }), ['a', 'b', 'c'], columns, (v) => fpMulAdd(FP32, v[0], v[1], v[2]).bits, 32);
    expect(bad).toEqual([]);
  });
  it('bf16: corner classes and random vectors are bit-exact', () => {
    const columns = cornerAndRandom(['bf16', 'bf16', 'bf16'], 40_000, rng('bf16_mulAdd random'));
    const bad = irMismatches(elaborate(FpFma, { format: 'bf16', stages: 0 }), ['a', 'b', 'c'], columns, (v) => fpMulAdd(BF16, v[0], v[1], v[2]).bits, 16);
    expect(bad).toEqual([]);
  });
});
