import { describe, expect, it } from 'vitest';
import { fpOpSuite } from './fp-op-suite.ts';

describe('FpMac f16 x f16 + f32 (mac_f16_f32)', () => {
  fpOpSuite('mac_f16_f32', {
    testfloat: false,
    random: 200_000,
    verilatorStages: 2,
    // The hand-checked table of test/hdl-gen/units/fp/golden/mac.test.ts (operands a, b, acc).
    explicit: [
      { operands: [0x3c00, 0x3c00, 0x3f800000], result: 0x40000000, what: '1 + 1*1' },
      { operands: [0x3c00, 0x3c00, 0xbf800000], result: 0x00000000, what: '-1 + 1*1 = +0' },
      { operands: [0x8000, 0x3c00, 0x80000000], result: 0x80000000, what: '-0 + -0*1 = -0' },
      { operands: [0x8000, 0x3c00, 0x00000000], result: 0x00000000, what: '+0 + -0*1 = +0' },
      { operands: [0x3c01, 0x3c01, 0x00000000], result: 0x3f804008, what: 'exact 22-bit product' },
      { operands: [0x3c01, 0x3c01, 0x4b800000], result: 0x4b800001, what: 'one rounding of acc + exact product' },
      { operands: [0x3c00, 0x3c00, 0x4b800000], result: 0x4b800000, what: '2^24 + 1: tie -> even' },
      { operands: [0x0001, 0x0001, 0x00000000], result: 0x27800000, what: '2^-48 is a binary32 normal' },
      { operands: [0x7bff, 0x7bff, 0x7f7fffff], result: 0x7f7fffff, what: 'max binary32 + 65504^2 does not overflow' },
      { operands: [0x7bff, 0x7bff, 0x00000001], result: 0x4f7fc004, what: '65504^2 + min subnormal' },
      { operands: [0x0001, 0x0001, 0xa7800000], result: 0x00000000, what: '2^-48 - 2^-48 = +0' },
      { operands: [0x0001, 0x0001, 0x80000001], result: 0x27800000, what: 'subnormal acc next to 2^-48' },
      { operands: [0x0000, 0x3c00, 0x00000001], result: 0x00000001, what: 'subnormal acc kept' },
      { operands: [0x7c00, 0x3c00, 0x3f800000], result: 0x7f800000, what: 'Inf*1 + 1 = Inf' },
      { operands: [0x7c00, 0xbc00, 0xff800000], result: 0xff800000, what: '-Inf + -Inf' },
      { operands: [0x7c00, 0x3c00, 0xff800000], result: 0x7fc00000, what: 'Inf - Inf' },
      { operands: [0x3c00, 0x3c00, 0xff800000], result: 0xff800000, what: 'finite product + -Inf' },
      { operands: [0x7c00, 0x0000, 0x3f800000], result: 0x7fc00000, what: 'Inf*0' },
      { operands: [0x7c00, 0x0000, 0x7fc00000], result: 0x7fc00000, what: 'Inf*0 + qNaN' },
      { operands: [0x7e00, 0x3c00, 0x3f800000], result: 0x7fc00000, what: 'qNaN a' },
      { operands: [0x7d00, 0x3c00, 0x3f800000], result: 0x7fc00000, what: 'sNaN a' },
      { operands: [0x3c00, 0x3c00, 0x7f800001], result: 0x7fc00000, what: 'sNaN acc' },
      { operands: [0x3c00, 0x3c00, 0xffc00001], result: 0x7fc00000, what: 'qNaN acc payload does not leak' },
    ],
  });
});

describe('FpMac bf16 x bf16 + f32 (mac_bf16_f32)', () => {
  fpOpSuite('mac_bf16_f32', {
    testfloat: false,
    random: 200_000,
    explicit: [
      { operands: [0x3f80, 0x3f80, 0x3f800000], result: 0x40000000, what: '1 + 1*1' },
      { operands: [0x3f80, 0x3f80, 0xbf800000], result: 0x00000000, what: '-1 + 1*1 = +0' },
      { operands: [0x8000, 0x3f80, 0x80000000], result: 0x80000000, what: '-0 + -0*1 = -0' },
      { operands: [0x3f81, 0x3f81, 0x00000000], result: 0x3f820200, what: '(1 + 2^-7)^2 = 1 + 2^-6 + 2^-14 exactly' },
      { operands: [0x0001, 0x0001, 0x00000000], result: 0x00000000, what: '2^-266 underflows to +0' },
      { operands: [0x8001, 0x0001, 0x00000000], result: 0x80000000, what: '-2^-266 underflows to -0' },
      { operands: [0x0001, 0x0001, 0x00000001], result: 0x00000001, what: 'a vanishing product next to a subnormal acc' },
      { operands: [0x0001, 0x0001, 0x80000001], result: 0x80000001, what: '-2^-149 + 2^-266 rounds back to -2^-149' },
      { operands: [0x7f7f, 0x7f7f, 0x00000000], result: 0x7f800000, what: 'max bf16 squared overflows' },
      { operands: [0x4b80, 0x3f80, 0x3f800000], result: 0x4b800000, what: '2^24 + 1: tie -> even' },
      { operands: [0x4b80, 0x3f80, 0x40000000], result: 0x4b800001, what: '2^24 + 2' },
      { operands: [0x7f80, 0x0000, 0x3f800000], result: 0x7fc00000, what: 'Inf*0' },
      { operands: [0x7fc1, 0x3f80, 0x3f800000], result: 0x7fc00000, what: 'NaN payload does not leak' },
      { operands: [0x3f80, 0x3f80, 0x7f800001], result: 0x7fc00000, what: 'sNaN acc' },
      { operands: [0xff80, 0x3f80, 0x7f800000], result: 0x7fc00000, what: '-Inf + Inf' },
      { operands: [0x3f80, 0x3f80, 0xff800000], result: 0xff800000, what: 'finite product + -Inf' },
    ],
  });
});
