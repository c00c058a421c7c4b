import { describe, expect, it } from 'vitest';
import {
  bf16_to_f32,
  f16_to_f32,
  f32_to_bf16,
  f32_to_f16,
} from '../../../../../hdl-gen/units/fp/golden/convert.ts';
import { referenceF16FromDouble, referenceF16ToDouble } from '../../../../../verif/fp/independent-f16-mul.ts';
import { float32Value, hex, seededRandom } from './golden-test-support.ts';

const NX = 0x01;
const UF = 0x02;
const OF = 0x04;
const NV = 0x10;

const isNaN16 = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
const isNaNbf16 = (h: number) => (h & 0x7f80) === 0x7f80 && (h & 0x7f) !== 0;

describe('f16_to_f32', () => {
  it('corner cases', () => {
    expect(f16_to_f32(0x3c00)).toEqual({ bits: 0x3f800000, flags: 0 });
    expect(f16_to_f32(0x0000)).toEqual({ bits: 0x00000000, flags: 0 });
    expect(f16_to_f32(0x8000)).toEqual({ bits: 0x80000000, flags: 0 });
    expect(f16_to_f32(0x0001)).toEqual({ bits: 0x33800000, flags: 0 }); // 2^-24 becomes normal
    expect(f16_to_f32(0x83ff)).toEqual({ bits: 0xb87fc000, flags: 0 });
    expect(f16_to_f32(0x7bff)).toEqual({ bits: 0x477fe000, flags: 0 });
    expect(f16_to_f32(0x7c00)).toEqual({ bits: 0x7f800000, flags: 0 });
    expect(f16_to_f32(0xfc00)).toEqual({ bits: 0xff800000, flags: 0 });
    expect(f16_to_f32(0x7e00)).toEqual({ bits: 0x7fc00000, flags: 0 });
    expect(f16_to_f32(0xfe3f)).toEqual({ bits: 0x7fc00000, flags: 0 });
    expect(f16_to_f32(0x7c01)).toEqual({ bits: 0x7fc00000, flags: NV });
  });
  it('is exact for every binary16 encoding and round-trips through f32_to_f16', () => {
    const problems: string[] = [];
    for (let h = 0; h < 0x10000; h++) {
      const r = f16_to_f32(h);
      if (isNaN16(h)) {
        const signaling = (h & 0x200) === 0;
        if (r.bits !== 0x7fc00000 || r.flags !== (signaling ? NV : 0)) problems.push(`${hex(h, 4)}: ${JSON.stringify(r)}`);
        continue;
      }
      const value = float32Value(r.bits);
      if (!Object.is(value, referenceF16ToDouble(h)) || r.flags !== 0) problems.push(`${hex(h, 4)}: ${hex(r.bits, 8)}`);
      const back = f32_to_f16(r.bits);
      if (back.bits !== h || back.flags !== 0) problems.push(`${hex(h, 4)} round trip: ${JSON.stringify(back)}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});

describe('bf16_to_f32', () => {
  it('corner cases', () => {
    expect(bf16_to_f32(0x3f80)).toEqual({ bits: 0x3f800000, flags: 0 });
    expect(bf16_to_f32(0x0001)).toEqual({ bits: 0x00010000, flags: 0 }); // subnormal stays subnormal
    expect(bf16_to_f32(0x8000)).toEqual({ bits: 0x80000000, flags: 0 });
    expect(bf16_to_f32(0xff80)).toEqual({ bits: 0xff800000, flags: 0 });
    expect(bf16_to_f32(0x7fc1)).toEqual({ bits: 0x7fc00000, flags: 0 });
    expect(bf16_to_f32(0x7f81)).toEqual({ bits: 0x7fc00000, flags: NV });
  });
  it('is the encoding shifted left by 16 for every non-NaN bfloat16, and round-trips', () => {
    const problems: string[] = [];
    for (let h = 0; h < 0x10000; h++) {
      const r = bf16_to_f32(h);
      if (isNaNbf16(h)) {
        const signaling = (h & 0x40) === 0;
        if (r.bits !== 0x7fc00000 || r.flags !== (signaling ? NV : 0)) problems.push(`${hex(h, 4)}: ${JSON.stringify(r)}`);
        continue;
      }
      if (r.bits !== h * 0x10000 || r.flags !== 0) problems.push(`${hex(h, 4)}: ${JSON.stringify(r)}`);
      const back = f32_to_bf16(r.bits);
      if (back.bits !== h || back.flags !== 0) problems.push(`${hex(h, 4)} round trip: ${JSON.stringify(back)}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});

describe('f32_to_f16', () => {
  const cases: [a: number, bits: number, flags: number, what: string][] = [
    [0x3f800000, 0x3c00, 0, '1'],
    [0x80000000, 0x8000, 0, '-0'],
    [0x477fe000, 0x7bff, 0, 'largest binary16'],
    [0x477fefff, 0x7bff, NX, 'just below the overflow threshold'],
    [0x477ff000, 0x7c00, OF | NX, '65520: tie -> Inf'],
    [0xc77ff000, 0xfc00, OF | NX, '-65520 -> -Inf'],
    [0x7f7fffff, 0x7c00, OF | NX, 'largest binary32'],
    [0x3f801000, 0x3c00, NX, '1 + 2^-11: tie -> even (down)'],
    [0x3f803000, 0x3c02, NX, '1 + 3*2^-11: tie -> even (up)'],
    [0x33800000, 0x0001, 0, '2^-24 -> min subnormal, exact'],
    [0x33000000, 0x0000, UF | NX, '2^-25: tie -> +0'],
    [0xb3000000, 0x8000, UF | NX, '-2^-25 -> -0'],
    [0x33000001, 0x0001, UF | NX, 'just above 2^-25 -> min subnormal'],
    [0x00000001, 0x0000, UF | NX, 'binary32 min subnormal -> +0'],
    [0x387fc000, 0x03ff, 0, 'largest binary16 subnormal, exact'],
    [0x387fe000, 0x0400, UF | NX, '2^-14 - 2^-25 -> min normal, but tiny after rounding'],
    [0x387ff000, 0x0400, NX, '2^-14 - 2^-26 -> min normal, not tiny after rounding'],
    [0x7f800000, 0x7c00, 0, '+Inf'],
    [0xff800000, 0xfc00, 0, '-Inf'],
    [0x7fc00000, 0x7e00, 0, 'canonical qNaN'],
    [0xffc12345, 0x7e00, 0, 'negative qNaN with payload'],
    [0x7f800001, 0x7e00, NV, 'sNaN raises invalid'],
  ];
  const named = cases.map(([a, bits, flags, what]) => ({ a, bits, flags, what }));
  it.each(named)('$what', ({ a, bits, flags }) => {
    expect(f32_to_f16(a)).toEqual({ bits, flags });
  });
  it('matches the independent table rounding on random binary32 inputs (bits and flags)', () => {
    const rng = seededRandom('f32_to_f16 vs independent rounding');
    const problems: string[] = [];
    for (let i = 0; i < 500_000; i++) {
      // Half the cases with exponents near the binary16 range (incl. subnormal and overflow edges).
      const a =
        i % 2 === 0 ? rng.next32() : ((rng.next32() & 0x807fffff) + (97 + rng.below(50)) * 0x800000) >>> 0;
      const x = float32Value(a);
      if (x !== x) continue;
      const want = referenceF16FromDouble(x);
      const got = f32_to_f16(a);
      if ((got.bits !== want.bits || got.flags !== want.flags) && problems.length < 10) {
        problems.push(`${hex(a, 8)}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('f32_to_bf16', () => {
  const cases: [a: number, bits: number, flags: number, what: string][] = [
    [0x3f800000, 0x3f80, 0, '1'],
    [0x3f808000, 0x3f80, NX, 'tie -> even (down)'],
    [0x3f818000, 0x3f82, NX, 'tie -> even (up)'],
    [0x3f808001, 0x3f81, NX, 'above the tie'],
    [0x3f807fff, 0x3f80, NX, 'below the tie'],
    [0x7f7fffff, 0x7f80, OF | NX, 'largest binary32 overflows'],
    [0x7f7f7fff, 0x7f7f, NX, 'largest bfloat16 below the threshold'],
    [0xff7f8000, 0xff80, OF | NX, 'negative tie at the top -> -Inf'],
    [0x00010000, 0x0001, 0, 'subnormal, exact'],
    [0x00008000, 0x0000, UF | NX, 'half of the min subnormal: tie -> 0'],
    [0x00018000, 0x0002, UF | NX, 'subnormal tie -> even'],
    [0x007fffff, 0x0080, NX, 'rounds to min normal, not tiny after rounding'],
    [0x007f8000, 0x0080, UF | NX, 'rounds to min normal, tiny after rounding'],
    [0x7f800000, 0x7f80, 0, '+Inf'],
    [0xffc00001, 0x7fc0, 0, 'qNaN payload does not leak'],
    [0x7f800001, 0x7fc0, NV, 'sNaN raises invalid'],
  ];
  const named = cases.map(([a, bits, flags, what]) => ({ a, bits, flags, what }));
  it.each(named)('$what', ({ a, bits, flags }) => {
    expect(f32_to_bf16(a)).toEqual({ bits, flags });
  });
  it('matches add-and-truncate rounding on random binary32 inputs (bits, inexact, overflow)', () => {
    const rng = seededRandom('f32_to_bf16 vs bit trick');
    const problems: string[] = [];
    for (let i = 0; i < 500_000; i++) {
      const a = rng.next32();
      if ((a & 0x7f800000) === 0x7f800000) continue; // Inf/NaN: corner cases
      const want = (a + 0x7fff + ((a >>> 16) & 1)) >>> 16;
      const wantFlags = (want & 0x7fff) === 0x7f80 ? OF | NX : (a & 0xffff) !== 0 ? NX : 0;
      const got = f32_to_bf16(a);
      if ((got.bits !== want || (got.flags & ~UF) !== wantFlags) && problems.length < 10) {
        problems.push(`${hex(a, 8)}: ${JSON.stringify(got)} vs ${hex(want, 4)}/${wantFlags}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
