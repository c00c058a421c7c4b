import { describe, expect, it } from 'vitest';
import { checkExponentOffset, decodeLane, decodeWord, packFields, unpackFields } from '../../../../../hdl-gen/units/puzzlemoe/golden/format.ts';
import { REFERENCE_TABLE, referenceDecode } from '../support.ts';

const hex4 = (x: number) => `0x${x.toString(16).padStart(4, '0')}`;

describe('PuzzleMoE decode rule (golden)', () => {
  it('decodes the packed words of the spec reference table to its lane columns', () => {
    for (const r of REFERENCE_TABLE) {
      expect(decodeWord(r.packed).map(hex4), hex4(r.packed)).toEqual([hex4(r.lane0), hex4(r.lane1)]);
    }
  });

  it('matches an independent implementation on all 65,536 words x both positions (offset 112)', () => {
    const bad: string[] = [];
    for (let w = 0; w < 0x10000; w++) {
      const [l0, l1] = decodeWord(w);
      if (l0 !== referenceDecode(w, 0) || l1 !== referenceDecode(w, 1)) bad.push(`${hex4(w)}: ${hex4(l0)} ${hex4(l1)}`);
      if (decodeLane(w, 0) !== l0 || decodeLane(w, 1) !== l1) bad.push(`${hex4(w)}: decodeLane differs`);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it('matches the independent implementation for other exponent offsets', () => {
    for (const off of [1, 100, 127, 128, 223]) {
      for (let w = 0; w < 0x10000; w++) {
        const got = decodeWord(w, off);
        if (got[0] !== referenceDecode(w, 0, off) || got[1] !== referenceDecode(w, 1, off)) throw new Error(`offset ${off}, word ${hex4(w)}: ${got.map(hex4)}`);
      }
    }
  });

  it('outputs +0 or a normal bf16 with exponent offset..offset+31, never subnormal/Inf/NaN', () => {
    for (let w = 0; w < 0x10000; w++) {
      for (const lane of decodeWord(w)) {
        if (lane === 0) continue;
        const e = (lane >> 7) & 0xff;
        expect(e >= 112 && e <= 143).toBe(true);
      }
      // mask pair 00 (invalid data) decodes to +0 on both lanes, whatever the sign bits say
      if ((w & 0x3000) === 0) expect(decodeWord(w)).toEqual([0, 0]);
    }
  });

  it('uses the adder-free exponent form of the hardware note for offset 112', () => {
    for (let e5 = 0; e5 < 32; e5++) {
      const E = e5 & 16 ? 0b10000000 | (e5 & 15) : 0b01110000 | (e5 & 15);
      expect(E).toBe(e5 + 112);
      expect((decodeLane(0x2000 | (e5 << 7), 0) >> 7) & 0xff).toBe(E);
    }
  });

  it('packs and unpacks fields', () => {
    const f = { sign0: 1, sign1: 0, mask0: 1, mask1: 1, e5: 16, mantissa: 0x18 };
    expect(packFields(f)).toBe(0xb818);
    expect(unpackFields(0xb818)).toEqual(f);
    expect(() => packFields({ ...f, e5: 32 })).toThrow(/e5 must be an integer from 0 to 31/);
    expect(() => decodeLane(0x10000, 0)).toThrow(/16-bit/);
  });

  it('rejects exponent offsets that would leave the normal bf16 range', () => {
    expect(checkExponentOffset(112)).toBe(112);
    expect(checkExponentOffset(223)).toBe(223);
    expect(() => checkExponentOffset(0)).toThrow(/from 1 to 223/);
    expect(() => checkExponentOffset(224)).toThrow(/from 1 to 223/);
    expect(() => checkExponentOffset(112.5)).toThrow(/from 1 to 223/);
  });
});

describe('PuzzleMoE golden model independence', () => {
  it('imports no hardware code, directly or transitively', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const path = await import('node:path');
    const root = path.resolve('hdl-gen/units/puzzlemoe/golden');
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/from\s+'([^']+)'/g)) {
        if (!m[1].startsWith('.')) continue; // node builtins / packages
        visit(path.resolve(path.dirname(file), m[1]));
      }
    };
    for (const f of readdirSync(root)) visit(path.join(root, f));
    const rel = [...seen].map((f) => path.relative(process.cwd(), f)).sort();
    expect(rel.filter((f) => /hdl-gen\/(index\.ts|core\/|ir\/|passes\/|emit\/|lib\/)|\/rtl\//.test(f))).toEqual([]);
    expect(rel).toEqual([
      'hdl-gen/errors.ts',
      'hdl-gen/units/fp/golden/add.ts',
      'hdl-gen/units/fp/golden/fma.ts',
      'hdl-gen/units/fp/golden/formats.ts',
      'hdl-gen/units/fp/golden/mac.ts',
      'hdl-gen/units/fp/golden/round.ts',
      'hdl-gen/units/puzzlemoe/golden/format.ts',
      'hdl-gen/units/puzzlemoe/golden/fused-gemv.ts',
      'hdl-gen/units/puzzlemoe/golden/merge.ts',
    ]);
  });
});
