import { describe, expect, it } from 'vitest';
import { f16_mul, f32_mul } from '../../../../../hdl-gen/units/fp/golden/mul.ts';
import { referenceF16Mul } from '../../../../../verif/fp/independent-f16-mul.ts';
import { float32Bits, float32Value, hex, seededRandom } from './golden-test-support.ts';

const NX = 0x01;
const UF = 0x02;
const OF = 0x04;
const NV = 0x10;

describe('f16_mul corner cases', () => {
  const cases: [a: number, b: number, bits: number, flags: number, what: string][] = [
    [0x3c00, 0x3c00, 0x3c00, 0, '1 * 1'],
    [0x4000, 0xc200, 0xc600, 0, '2 * -3 = -6'],
    [0x0000, 0x3c00, 0x0000, 0, '+0 * 1'],
    [0x8000, 0x3c00, 0x8000, 0, '-0 * 1'],
    [0x0000, 0x8000, 0x8000, 0, '+0 * -0'],
    [0x8000, 0x8000, 0x0000, 0, '-0 * -0'],
    [0x0001, 0x3c00, 0x0001, 0, 'min subnormal * 1 (exact, no underflow)'],
    [0x03ff, 0x4000, 0x07fe, 0, 'max subnormal * 2 -> normal, exact'],
    [0x0400, 0x3800, 0x0200, 0, 'min normal / 2 -> subnormal, exact'],
    [0x0001, 0x3800, 0x0000, UF | NX, '2^-25: tie between 0 and min subnormal -> 0 (even)'],
    [0x0001, 0xb800, 0x8000, UF | NX, '-2^-25 -> -0'],
    [0x0003, 0x3800, 0x0002, UF | NX, '1.5 * 2^-24: tie -> 2 (even)'],
    [0x0001, 0x0001, 0x0000, UF | NX, '2^-48 underflows to +0'],
    [0x0001, 0x3a00, 0x0001, UF | NX, '0.75 * 2^-24 rounds up to min subnormal'],
    [0x3c01, 0x3e00, 0x3e02, NX, 'tie with odd lower neighbour rounds up to even'],
    [0x3c03, 0x3e00, 0x3e04, NX, 'tie with even lower neighbour rounds down'],
    [0x7bff, 0x3c00, 0x7bff, 0, 'largest normal * 1'],
    [0x7bff, 0x4000, 0x7c00, OF | NX, 'largest normal * 2 overflows to +Inf'],
    [0x7bff, 0xc000, 0xfc00, OF | NX, 'overflow to -Inf'],
    [0x7bff, 0x3c01, 0x7c00, OF | NX, '65504 * (1+2^-10) = 65567.97 >= 65520 -> Inf'],
    [0x5bff, 0x5c00, 0x7bff, 0, '255.875 * 256 = 65504 exact'],
    // Tininess after rounding: (2^-14 - 2^-24)(1 + 2^-10) = 2^-14 - 2^-34 rounds to 2^-14 both on the
    // subnormal grid and at 11-bit precision -> not tiny -> inexact only.
    [0x03ff, 0x3c01, 0x0400, NX, 'rounds up to min normal, not tiny after rounding'],
    // 19*2^-13 * 431*2^-14 = 8189*2^-27 rounds to 2^-14 on the subnormal grid but to 2^-14 - 2^-24 at
    // 11-bit precision with unbounded exponent -> tiny -> underflow.
    [0x18c0, 0x26bc, 0x0400, UF | NX, 'rounds up to min normal, but tiny after rounding'],
    [0x7c00, 0x3c00, 0x7c00, 0, 'Inf * 1'],
    [0x7c00, 0x8001, 0xfc00, 0, 'Inf * -subnormal = -Inf'],
    [0xfc00, 0xfc00, 0x7c00, 0, '-Inf * -Inf'],
    [0x7c00, 0x0000, 0x7e00, NV, 'Inf * 0 invalid'],
    [0x8000, 0xfc00, 0x7e00, NV, '-0 * -Inf invalid'],
    [0x7e00, 0x3c00, 0x7e00, 0, 'qNaN * 1 (no invalid)'],
    [0xfe55, 0x3c00, 0x7e00, 0, 'negative qNaN with payload -> canonical NaN'],
    [0x3c00, 0x7c01, 0x7e00, NV, 'sNaN operand raises invalid'],
    [0x7d55, 0x7e00, 0x7e00, NV, 'sNaN * qNaN'],
    [0x7e00, 0x0000, 0x7e00, 0, 'qNaN * 0 (NaN wins, no invalid)'],
    [0x7e00, 0x7c00, 0x7e00, 0, 'qNaN * Inf'],
  ];
  const named = cases.map(([a, b, bits, flags, what]) => ({ a, b, bits, flags, what }));
  it.each(named)('$what', ({ a, b, bits, flags }) => {
    expect(f16_mul(a, b)).toEqual({ bits, flags });
    expect(f16_mul(b, a)).toEqual({ bits, flags });
    expect(referenceF16Mul(a, b)).toEqual({ bits, flags }); // the independent model agrees too
  });
});

describe('f16_mul against an independent double-based model', () => {
  // 10M random pairs take ~1.5-2 s here; the exhaustive 2^32 run is scripts/bench-fp-exhaustive.ts.
  const PAIRS = Number(process.env.HDL_F16_MUL_PAIRS ?? 10_000_000);
  it(`${PAIRS} random operand pairs match bit for bit, flags included`, () => {
    const rng = seededRandom('f16_mul vs independent model');
    const mismatches: string[] = [];
    let resultMismatches = 0;
    let flagMismatches = 0;
    const t0 = performance.now();
    for (let i = 0; i < PAIRS; i++) {
      const r = rng.next32();
      const a = r >>> 16;
      const b = r & 0xffff;
      const got = f16_mul(a, b);
      const want = referenceF16Mul(a, b);
      if (got.bits !== want.bits) resultMismatches++;
      else if (got.flags !== want.flags) flagMismatches++;
      else continue;
      if (mismatches.length < 10) {
        mismatches.push(`${hex(a, 4)} * ${hex(b, 4)}: golden ${hex(got.bits, 4)}/${got.flags} independent ${hex(want.bits, 4)}/${want.flags}`);
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `[f16_mul vs independent model] ${PAIRS} pairs in ${seconds.toFixed(2)} s; ` +
        `result mismatches ${resultMismatches}, flag mismatches ${flagMismatches}`,
    );
    expect(mismatches).toEqual([]);
  });
});

describe('f32_mul', () => {
  it('corner cases', () => {
    expect(f32_mul(0x3f800000, 0x3f800000)).toEqual({ bits: 0x3f800000, flags: 0 });
    expect(f32_mul(0x7f7fffff, 0x40000000)).toEqual({ bits: 0x7f800000, flags: OF | NX });
    expect(f32_mul(0x00000001, 0x3f000000)).toEqual({ bits: 0x00000000, flags: UF | NX });
    expect(f32_mul(0x00000001, 0xbf400000)).toEqual({ bits: 0x80000001, flags: UF | NX });
    expect(f32_mul(0x00800000, 0x3f000000)).toEqual({ bits: 0x00400000, flags: 0 });
    expect(f32_mul(0xff800000, 0x00000000)).toEqual({ bits: 0x7fc00000, flags: NV });
    expect(f32_mul(0x7f800001, 0x3f800000)).toEqual({ bits: 0x7fc00000, flags: NV });
    expect(f32_mul(0xffc12345, 0x3f800000)).toEqual({ bits: 0x7fc00000, flags: 0 });
    expect(f32_mul(0x80000000, 0x7f7fffff)).toEqual({ bits: 0x80000000, flags: 0 });
  });
  it('matches Math.fround of the exact double product on random operands (bits)', () => {
    // A product of two binary32 values (<= 48 significant bits, exponent >= -298) is exact in a
    // double, so Math.fround performs the single correct RNE rounding.
    const rng = seededRandom('f32_mul vs Math.fround');
    const mismatches: string[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      const a = rng.next32();
      const b = i % 4 === 0 ? ((rng.next32() & 0x807fffff) | (((i >>> 2) % 0x30) << 23)) >>> 0 : rng.next32();
      const exact = float32Value(a) * float32Value(b);
      if (exact !== exact) continue; // NaN cases are covered by the corner tests and vectors
      const got = f32_mul(a, b);
      const want = float32Bits(exact);
      if (got.bits !== want && mismatches.length < 10) {
        mismatches.push(`${hex(a, 8)} * ${hex(b, 8)}: golden ${hex(got.bits, 8)} fround ${hex(want, 8)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
