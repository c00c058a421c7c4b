import { describe, expect, it } from 'vitest';
import { rngFromSeed } from '../../../verif/random.ts';
import { decodeColumn, encodeColumn, PortValueError, readValue, toBits, writeValue } from '../../../verif/verilator/codec.ts';
import type { PortLayout } from '../../../verif/verilator/harness.ts';
import { harnessLayout, renderHarness, verilatorCType } from '../../../verif/verilator/harness.ts';
import { counterDesign, invertersDesign, WIDTHS } from './designs.ts';

const port = (width: number, offset = 0, signed = false): PortLayout => ({
  name: `p${width}`,
  dir: 'input',
  width,
  signed,
  bytes: Math.ceil(width / 8),
  offset,
  index: 0,
});

describe('record codec (no Verilator needed)', () => {
  it('round-trips every width through column encode/decode, little-endian', () => {
    const rng = rngFromSeed(1234);
    for (const w of WIDTHS) {
      const p = port(w, 3); // an unaligned offset inside a record
      const rec = 3 + p.bytes + 2;
      const n = 257;
      const values = Array.from({ length: n }, (_, i) => (i === 0 ? 0n : i === 1 ? (1n << BigInt(w)) - 1n : rng.bits(w)));
      const buf = new Uint8Array(n * rec);
      encodeColumn(p, values, 0n, 0, n, buf, 0, rec);
      const out = new Array<bigint>(n);
      decodeColumn(p, buf, 0, rec, n, out, 0);
      expect(out, `width ${w}`).toEqual(values);
      // Byte order: the first byte of the port is the least significant.
      expect(buf[3 + rec]).toBe(Number(((1n << BigInt(w)) - 1n) & 0xffn));
      expect(readValue(p, buf, rec + 3)).toBe(values[1]);
    }
  });

  it('encodes a fill value and numbers; rejects out-of-range values with the vector index', () => {
    const p = port(12);
    const buf = new Uint8Array(8);
    encodeColumn(p, null, 0xabcn, 0, 4, buf, 0, 2);
    expect([...buf]).toEqual([0xbc, 0x0a, 0xbc, 0x0a, 0xbc, 0x0a, 0xbc, 0x0a]);
    encodeColumn(p, [1, 2, 4095, 0], 0n, 0, 4, buf, 0, 2);
    expect([...buf]).toEqual([1, 0, 2, 0, 0xff, 0x0f, 0, 0]);
    expect(() => encodeColumn(p, [1n, 4096n], 0n, 0, 2, buf, 0, 2)).toThrow(/p12.*4096n at vector 1/);
    expect(() => encodeColumn(p, [-1n], 0n, 0, 1, buf, 0, 2)).toThrow(PortValueError);
    expect(() => encodeColumn(p, [1.5], 0n, 0, 1, buf, 0, 2)).toThrow(PortValueError);
    const wide = port(130);
    expect(() => encodeColumn(wide, [1n << 130n], 0n, 0, 1, new Uint8Array(17), 0, 17)).toThrow(PortValueError);
  });

  it('accepts negative values on signed ports as two\'s complement', () => {
    const s = port(12, 0, true);
    expect(toBits(s, -1n)).toBe(0xfffn);
    expect(toBits(s, -2048n)).toBe(0x800n);
    expect(() => toBits(s, -2049n)).toThrow(PortValueError);
    const buf = new Uint8Array(2);
    writeValue(s, -3, buf, 0);
    expect(readValue(s, buf, 0)).toBe(4093n);
  });

  it('lays out records and renders the harness for every Verilator storage class', () => {
    const L = harnessLayout(counterDesign());
    expect(L.clocks).toEqual(['clk']);
    expect(L.resets).toEqual([{ name: 'rst', activeLow: false }]);
    expect(L.inputs.map((p) => [p.name, p.offset])).toEqual([['en', 0], ['rst', 1]]);
    expect(L.outputs.map((p) => [p.name, p.offset, p.index])).toEqual([['count', 0, 2], ['wrap', 1, 3]]);
    expect([1, 8, 9, 16, 17, 32, 33, 64, 65, 256].map(verilatorCType)).toEqual([
      'CData', 'CData', 'SData', 'SData', 'IData', 'IData', 'QData', 'QData', 'VlWide<3>', 'VlWide<8>',
    ]);
    const src = renderHarness(harnessLayout(invertersDesign()), { trace: true });
    expect(src).toContain('loadWide<8, 32>(g_top->i256.data()');
    expect(src).toContain('storeWide<5, 17>(rec + ');
    expect(src).toContain('#include "verilated_fst_c.h"');
    expect(renderHarness(L, { trace: false })).not.toContain('verilated_fst_c.h');
  });
});
