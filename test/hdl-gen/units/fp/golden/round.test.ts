import { describe, expect, it } from 'vitest';
import { BF16, FP16, FP32 } from '../../../../../hdl-gen/units/fp/golden/formats.ts';
import { bigBitLength, bitLength, roundPack } from '../../../../../hdl-gen/units/fp/golden/round.ts';
import { referenceF16FromDouble } from '../../../../../verif/fp/independent-f16-mul.ts';
import { float32Bits, seededRandom } from './golden-test-support.ts';

const NX = 0x01;
const UF = 0x02;
const OF = 0x04;

describe('bit lengths', () => {
  it('bitLength covers the full 53-bit Number range', () => {
    expect(bitLength(0)).toBe(0);
    expect(bitLength(1)).toBe(1);
    expect(bitLength(0xffffffff)).toBe(32);
    expect(bitLength(0x100000000)).toBe(33);
    expect(bitLength(2 ** 53 - 1)).toBe(53);
    expect(bigBitLength(0n)).toBe(0);
    expect(bigBitLength(1n << 300n)).toBe(301);
  });
});

describe('roundPack (FP16)', () => {
  const cases: [sign: number, sig: number, exp: number, bits: number, flags: number, what: string][] = [
    [0, 0, 0, 0x0000, 0, '+0'],
    [1, 0, 99, 0x8000, 0, '-0 (sign chosen by the caller)'],
    [0, 1, 0, 0x3c00, 0, '1'],
    [1, 3, 0, 0xc200, 0, '-3'],
    [0, 2049, -11, 0x3c00, NX, '1 + 2^-11: tie, down to even'],
    [0, 2051, -11, 0x3c02, NX, '1 + 3*2^-11: tie, up to even'],
    [0, 4097, -12, 0x3c00, NX, 'below the tie'],
    [0, 4099, -12, 0x3c01, NX, 'above the tie'],
    [0, 4095, -11, 0x4000, NX, 'carry out of the significand bumps the exponent'],
    [0, 65504, 0, 0x7bff, 0, 'largest normal'],
    [0, 65519, 0, 0x7bff, NX, 'just below the overflow threshold'],
    [0, 65520, 0, 0x7c00, OF | NX, 'overflow threshold (tie) -> Inf'],
    [1, 1, 16, 0xfc00, OF | NX, '-2^16 -> -Inf'],
    [0, 1, 1000, 0x7c00, OF | NX, 'huge exponent -> Inf'],
    [0, 1, -24, 0x0001, 0, 'min subnormal, exact: no underflow'],
    [0, 1, -25, 0x0000, UF | NX, 'half of min subnormal: tie -> 0'],
    [1, 1, -25, 0x8000, UF | NX, '... negative -> -0'],
    [0, 3, -25, 0x0002, UF | NX, '1.5 ulp subnormal tie -> even'],
    [0, 1, -400, 0x0000, UF | NX, 'far below the subnormal range'],
    [0, 2 ** 52 + 1, -52, 0x3c00, NX, '53-bit significand'],
    // 2^-14 - 2^-25 (11 significant bits) rounds to 2^-14 on the subnormal grid, but is exact at
    // 11-bit precision and below 2^-14 -> tiny after rounding -> underflow.
    [0, 2047, -25, 0x0400, UF | NX, 'rounds to min normal, tiny after rounding'],
    // 2^-14 - 2^-26 rounds to 2^-14 even at 11-bit precision (tie to even) -> not tiny.
    [0, 4095, -26, 0x0400, NX, 'rounds to min normal, not tiny after rounding'],
  ];
  const named = cases.map(([sign, sig, exp, bits, flags, what]) => ({ sign, sig, exp, bits, flags, what }));
  it.each(named)('$what', ({ sign, sig, exp, bits, flags }) => {
    expect(roundPack(FP16, sign, sig, exp)).toEqual({ bits, flags });
    // The BigInt entry point (with sticky jamming) must agree.
    expect(roundPack(FP16, sign, BigInt(sig) << 70n, exp - 70)).toEqual({ bits, flags });
  });
});

describe('roundPack with BigInt significands', () => {
  it('keeps exact ties exact and sticky bits sticky', () => {
    expect(roundPack(FP32, 0, (1n << 200n) + 1n, -200)).toEqual({ bits: 0x3f800000, flags: NX });
    expect(roundPack(FP32, 0, (1n << 200n) + (1n << 176n), -200)).toEqual({ bits: 0x3f800000, flags: NX });
    expect(roundPack(FP32, 0, (1n << 200n) + (1n << 176n) + 1n, -200)).toEqual({ bits: 0x3f800001, flags: NX });
    expect(roundPack(FP32, 1, (3n << 300n) + (1n << 200n), -301)).toEqual({ bits: 0xbfc00000, flags: NX });
  });
});

describe('roundPack against independent roundings', () => {
  it('FP16: random sig * 2^exp agrees with the table-search rounding (bits and flags)', () => {
    const rng = seededRandom('roundPack FP16 vs table search');
    const problems: string[] = [];
    for (let i = 0; i < 300_000; i++) {
      const bits = 1 + rng.below(40);
      const sig = (rng.next32() * 2 ** 8 + rng.below(256)) % 2 ** bits || 1;
      const exp = rng.below(70) - 45 - bitLength(sig);
      const sign = rng.below(2);
      const want = referenceF16FromDouble((sign ? -1 : 1) * sig * 2 ** exp); // exact double
      const got = roundPack(FP16, sign, sig, exp);
      if ((got.bits !== want.bits || got.flags !== want.flags) && problems.length < 10) {
        problems.push(`${sign ? '-' : ''}${sig}*2^${exp}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
      }
    }
    expect(problems).toEqual([]);
  });
  it('FP32: random sig * 2^exp agrees with Math.fround (bits)', () => {
    const rng = seededRandom('roundPack FP32 vs Math.fround');
    const problems: string[] = [];
    for (let i = 0; i < 300_000; i++) {
      const sig = (rng.next32() * 2 ** 21 + rng.below(2 ** 21)) % 2 ** (1 + rng.below(53)) || 1;
      const exp = rng.below(400) - 200 - bitLength(sig);
      const got = roundPack(FP32, 0, sig, exp);
      const want = float32Bits(sig * 2 ** exp); // exact double, one rounding by fround
      if (got.bits !== want && problems.length < 10) problems.push(`${sig}*2^${exp}: ${got.bits} vs ${want}`);
    }
    expect(problems).toEqual([]);
  });
  it('BF16: agrees with rounding FP32 bit patterns by the classic add-and-truncate trick', () => {
    const rng = seededRandom('roundPack BF16 vs bit trick');
    const problems: string[] = [];
    for (let i = 0; i < 300_000; i++) {
      const f32 = rng.next32() % 0x7f800000; // finite, positive
      const sig = (f32 & 0x7fffff) + ((f32 >>> 23) === 0 ? 0 : 0x800000);
      const exp = Math.max(1, f32 >>> 23) - 150;
      const want = (f32 + 0x7fff + ((f32 >>> 16) & 1)) >>> 16; // RNE on the upper half
      const got = roundPack(BF16, 0, sig, exp);
      if (got.bits !== want && problems.length < 10) problems.push(`f32 ${f32.toString(16)}: ${got.bits} vs ${want}`);
    }
    expect(problems).toEqual([]);
  });
});
