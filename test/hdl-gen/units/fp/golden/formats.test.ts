import { describe, expect, it } from 'vitest';
import {
  BF16,
  FP16,
  FP32,
  classify,
  decodeFinite,
  isEncoding,
  isInfinity,
  isNaNEncoding,
  isSignalingNaN,
  isSubnormal,
  isZero,
  pack,
  unpack,
} from '../../../../../hdl-gen/units/fp/golden/formats.ts';

describe('format descriptors', () => {
  it('FP16 is IEEE binary16', () => {
    expect(FP16).toMatchObject({ width: 16, expBits: 5, fracBits: 10, bias: 15, emin: -14, emax: 15 });
    expect(FP16.canonicalNaN).toBe(0x7e00);
    expect(FP16.infBits).toBe(0x7c00);
    expect(FP16.maxFiniteBits).toBe(0x7bff);
  });
  it('BF16 is bfloat16', () => {
    expect(BF16).toMatchObject({ width: 16, expBits: 8, fracBits: 7, bias: 127, emin: -126, emax: 127 });
    expect(BF16.canonicalNaN).toBe(0x7fc0);
    expect(BF16.infBits).toBe(0x7f80);
  });
  it('FP32 is IEEE binary32', () => {
    expect(FP32).toMatchObject({ width: 32, expBits: 8, fracBits: 23, bias: 127, emin: -126, emax: 127 });
    expect(FP32.canonicalNaN).toBe(0x7fc00000);
    expect(FP32.infBits).toBe(0x7f800000);
    expect(FP32.signBit).toBe(0x80000000);
  });
});

describe('unpack / pack', () => {
  it('round-trips FP32 patterns with the sign bit set (unsigned Numbers)', () => {
    for (const bits of [0xffffffff, 0x80000000, 0xc07f3fff, 0x7f800000, 0x00000001]) {
      const f = unpack(FP32, bits);
      expect(pack(FP32, f.sign, f.exp, f.frac)).toBe(bits);
    }
    expect(unpack(FP32, 0xc07f3fff)).toEqual({ sign: 1, exp: 0x80, frac: 0x7f3fff });
    expect(unpack(FP16, 0xfbff)).toEqual({ sign: 1, exp: 0x1e, frac: 0x3ff });
  });
  it('decodes finite values exactly as sig * 2^exp', () => {
    expect(decodeFinite(FP16, 0x3c00)).toEqual({ sign: 0, sig: 1024, exp: -10 }); // 1.0
    expect(decodeFinite(FP16, 0x0001)).toEqual({ sign: 0, sig: 1, exp: -24 }); // min subnormal
    expect(decodeFinite(FP16, 0x0400)).toEqual({ sign: 0, sig: 1024, exp: -24 }); // min normal
    expect(decodeFinite(FP32, 0x80000001)).toEqual({ sign: 1, sig: 1, exp: -149 });
    expect(decodeFinite(BF16, 0x3f80)).toEqual({ sign: 0, sig: 128, exp: -7 });
  });
  it('isEncoding checks the width', () => {
    expect(isEncoding(FP16, 0xffff)).toBe(true);
    expect(isEncoding(FP16, 0x10000)).toBe(false);
    expect(isEncoding(FP32, 0xffffffff)).toBe(true);
    expect(isEncoding(FP32, -1)).toBe(false);
    expect(isEncoding(FP32, 1.5)).toBe(false);
  });
});

describe('classify', () => {
  const cases: [number, string][] = [
    [0x0000, 'zero'],
    [0x8000, 'zero'],
    [0x0001, 'subnormal'],
    [0x83ff, 'subnormal'],
    [0x0400, 'normal'],
    [0xfbff, 'normal'],
    [0x7c00, 'infinity'],
    [0xfc00, 'infinity'],
    [0x7e00, 'quietNaN'],
    [0xfe01, 'quietNaN'],
    [0x7c01, 'signalingNaN'],
    [0xfdff, 'signalingNaN'],
  ];
  const named = cases.map(([bits, cls]) => ({ hex: `0x${bits.toString(16).padStart(4, '0')}`, bits, cls }));
  it.each(named)('FP16 $hex is $cls', ({ bits, cls }) => {
    expect(classify(FP16, bits)).toBe(cls);
  });
  it('predicates agree with classify for every FP16 and BF16 encoding', () => {
    const disagreements: string[] = [];
    for (const fmt of [FP16, BF16]) {
      for (let bits = 0; bits < 0x10000; bits++) {
        const cls = classify(fmt, bits);
        const ok =
          isZero(fmt, bits) === (cls === 'zero') &&
          isSubnormal(fmt, bits) === (cls === 'subnormal') &&
          isInfinity(fmt, bits) === (cls === 'infinity') &&
          isNaNEncoding(fmt, bits) === (cls === 'quietNaN' || cls === 'signalingNaN') &&
          isSignalingNaN(fmt, bits) === (cls === 'signalingNaN');
        if (!ok) disagreements.push(`${fmt.name} 0x${bits.toString(16)} (${cls})`);
      }
    }
    expect(disagreements).toEqual([]);
  });
  it('FP32 classes', () => {
    expect(classify(FP32, 0x7f800001)).toBe('signalingNaN');
    expect(classify(FP32, 0xffc00000)).toBe('quietNaN');
    expect(classify(FP32, 0x807fffff)).toBe('subnormal');
    expect(classify(FP32, 0xff800000)).toBe('infinity');
  });
});
