import { describe } from 'vitest';
import { fpOpSuite } from './fp-op-suite.ts';

const all16 = () => [Array.from({ length: 0x10000 }, (_, i) => i)];

/** Every sign/exponent with fraction patterns around the f16 and bf16 rounding points. */
const f32Sweep = () => {
  const fracs = [0, 1, 0x1000, 0x1001, 0x0fff, 0x2000, 0x3000, 0x8000, 0x8001, 0x7fff, 0x18000, 0x400000, 0x7fffff, 0x7fe000, 0x7ff000, 0x7fefff, 0x7f8000, 0x7f7fff, 0x7fc000];
  const a: number[] = [];
  for (let s = 0; s < 2; s++) for (let e = 0; e < 256; e++) for (const f of fracs) a.push(s * 2 ** 31 + e * 2 ** 23 + f);
  return [a];
};

describe('FpConvert f16 -> f32 (exact)', () => {
  fpOpSuite('f16_to_f32', {
    testfloat: true,
    random: 20_000,
    extra: () => [{ label: 'every f16 encoding', columns: all16() }],
    explicit: [
      { operands: [0x0001], result: 0x33800000, what: 'min subnormal = 2^-24 becomes normal' },
      { operands: [0x03ff], result: 0x387fc000, what: 'max subnormal' },
      { operands: [0x0400], result: 0x38800000, what: 'min normal' },
      { operands: [0x3c00], result: 0x3f800000, what: '1' },
      { operands: [0x7bff], result: 0x477fe000, what: '65504' },
      { operands: [0xfc00], result: 0xff800000, what: '-Inf' },
      { operands: [0x7c01], result: 0x7fc00000, what: 'sNaN -> canonical NaN' },
      { operands: [0xffff], result: 0x7fc00000, what: 'negative NaN with payload -> canonical NaN' },
      { operands: [0x8000], result: 0x80000000, what: '-0' },
    ],
  });
});

describe('FpConvert bf16 -> f32 (exact)', () => {
  fpOpSuite('bf16_to_f32', {
    testfloat: false,
    random: 20_000,
    extra: () => [{ label: 'every bf16 encoding', columns: all16() }],
    explicit: [
      { operands: [0x3f80], result: 0x3f800000, what: '1' },
      { operands: [0x0001], result: 0x00010000, what: 'subnormals stay subnormal' },
      { operands: [0x807f], result: 0x807f0000, what: 'negative max subnormal' },
      { operands: [0x7f80], result: 0x7f800000, what: '+Inf' },
      { operands: [0xff80], result: 0xff800000, what: '-Inf' },
      { operands: [0x7f81], result: 0x7fc00000, what: 'sNaN -> canonical NaN' },
      { operands: [0xffc1], result: 0x7fc00000, what: 'payload and sign never leak' },
      { operands: [0x8000], result: 0x80000000, what: '-0' },
    ],
  });
});

describe('FpConvert f32 -> f16 (RNE)', () => {
  fpOpSuite('f32_to_f16', {
    testfloat: true,
    random: 100_000,
    verilatorStages: 2,
    extra: () => [{ label: 'every exponent x rounding-point fractions', columns: f32Sweep() }],
    explicit: [
      { operands: [0x477fe000], result: 0x7bff, what: '65504' },
      { operands: [0x477ff000], result: 0x7c00, what: '65520: tie to even overflows to Inf' },
      { operands: [0x477fefff], result: 0x7bff, what: 'just below the overflow midpoint' },
      { operands: [0x33000000], result: 0x0000, what: '2^-25: tie to even gives +0' },
      { operands: [0x33000001], result: 0x0001, what: 'just above 2^-25 rounds to the min subnormal' },
      { operands: [0x33c00000], result: 0x0002, what: '1.5 * 2^-24: tie to even gives 2 ulps' },
      { operands: [0x38800000], result: 0x0400, what: 'min normal' },
      { operands: [0x387fc000], result: 0x03ff, what: 'max subnormal' },
      { operands: [0x387ff000], result: 0x0400, what: 'rounds up from subnormal to the min normal' },
      { operands: [0x00000001], result: 0x0000, what: 'f32 subnormal -> +0' },
      { operands: [0x80000001], result: 0x8000, what: '... -0' },
      { operands: [0x3f802000], result: 0x3c01, what: '1 + 2^-10 exact' },
      { operands: [0x3f801000], result: 0x3c00, what: '1 + 2^-11: tie to even stays' },
      { operands: [0x3f803000], result: 0x3c02, what: '1 + 3*2^-11: tie to even rounds up' },
      { operands: [0x7f800001], result: 0x7e00, what: 'sNaN -> canonical NaN' },
      { operands: [0xff800000], result: 0xfc00, what: '-Inf' },
      { operands: [0x7f7fffff], result: 0x7c00, what: 'max f32 overflows' },
    ],
  });
});

describe('FpConvert f32 -> bf16 (RNE)', () => {
  fpOpSuite('f32_to_bf16', {
    testfloat: false,
    random: 100_000,
    extra: () => [{ label: 'every exponent x rounding-point fractions', columns: f32Sweep() }],
    explicit: [
      { operands: [0x3f808000], result: 0x3f80, what: '1 + 2^-8: tie to even stays' },
      { operands: [0x3f818000], result: 0x3f82, what: 'tie to even rounds up' },
      { operands: [0x3f808001], result: 0x3f81, what: 'just above the tie' },
      { operands: [0x7f7fffff], result: 0x7f80, what: 'max f32 rounds to Inf' },
      { operands: [0x7f7f7fff], result: 0x7f7f, what: 'below the overflow midpoint' },
      { operands: [0x007fffff], result: 0x0080, what: 'max subnormal rounds up to the min normal' },
      { operands: [0x00000001], result: 0x0000, what: 'min subnormal -> +0' },
      { operands: [0x80008000], result: 0x8000, what: 'negative tie to even -> -0' },
      { operands: [0x80018000], result: 0x8002, what: 'negative tie rounds up in magnitude' },
      { operands: [0x7fc00001], result: 0x7fc0, what: 'qNaN payload never leaks' },
      { operands: [0xff800001], result: 0x7fc0, what: 'negative sNaN -> canonical NaN' },
      { operands: [0xff800000], result: 0xff80, what: '-Inf' },
    ],
  });
});
