import { describe, expect, it } from 'vitest';
import {
  draftPlane,
  draftWordNibbles,
  fromNibblePlanes,
  groupsFor,
  matrixFromNibblePlanes,
  matrixToNibblePlanes,
  packedLength,
  toNibblePlanes,
} from '../../../../../hdl-gen/units/speq/golden/layout.ts';
import { seededRandom } from './speq-test-support.ts';

describe('nibble-plane layout', () => {
  it('places weight j\'s nibble in draft-word bits 4j+3:4j and the 12-bit parts little-endian in 3 words', () => {
    const p = toNibblePlanes([0x1abc, 0x2def, 0x3123, 0x4456]);
    expect([...p].map((x) => x.toString(16))).toEqual([
      '4321', // draft word: w0's nibble in bits 3:0 ... w3's in bits 15:12
      'fabc', // L[15:0]  = w1[3:0] w0[11:0]
      '23de', // L[31:16] = w2[7:0] w1[11:4]
      '4561', // L[47:32] = w3[11:0] w2[11:8]
    ]);
    expect(draftWordNibbles(0x4321)).toEqual([1, 2, 3, 4]);
    expect([...fromNibblePlanes(p, 4)]).toEqual([0x1abc, 0x2def, 0x3123, 0x4456]);
  });

  it('draft plane first, residual plane after; pads with 0x0000 to a multiple of 4', () => {
    const w = [0xf001, 0xe002, 0xd003, 0xc004, 0xb005, 0xa006];
    const p = toNibblePlanes(w);
    expect(groupsFor(6)).toBe(2);
    expect(p.length).toBe(8);
    expect([...draftPlane(p, 6)]).toEqual([0xcdef, 0x00ab]);
    expect([...p.slice(5, 8)]).toEqual([0x6005, 0x0000, 0x0000]); // group 1's residual: w4, w5, then zeros
    expect([...fromNibblePlanes(p, 6)]).toEqual(w);
    expect(toNibblePlanes([]).length).toBe(0);
    expect(() => fromNibblePlanes(p, 9)).toThrow('must have 12 words');
  });

  it('round-trips random vectors of every length 0..40', () => {
    const rng = seededRandom('speq layout');
    for (let n = 0; n <= 40; n++) {
      for (let t = 0; t < 20; t++) {
        const w = Uint16Array.from({ length: n }, () => rng.below(0x10000));
        const p = toNibblePlanes(w);
        expect(p.length).toBe(packedLength(n));
        expect(fromNibblePlanes(p, n)).toEqual(w);
        // The draft plane alone carries every top nibble.
        const d = draftPlane(p, n);
        for (let i = 0; i < n; i++) expect(draftWordNibbles(d[i >> 2])[i & 3]).toBe(w[i] >>> 12);
      }
    }
  });

  it('lays a matrix out row by row, each row padded separately', () => {
    const rng = seededRandom('speq layout matrix');
    for (const [rows, cols] of [[1, 1], [3, 5], [2, 8], [4, 7], [0, 3], [3, 0]]) {
      const w = Uint16Array.from({ length: rows * cols }, () => rng.below(0x10000));
      const p = matrixToNibblePlanes(w, rows, cols);
      expect(p.length).toBe(rows * packedLength(cols));
      for (let r = 0; r < rows; r++) {
        const rowPacked = p.slice(r * packedLength(cols), (r + 1) * packedLength(cols));
        expect(rowPacked).toEqual(toNibblePlanes(w.slice(r * cols, (r + 1) * cols)));
      }
      expect(matrixFromNibblePlanes(p, rows, cols)).toEqual(w);
    }
    expect(() => matrixToNibblePlanes([1, 2, 3], 2, 2)).toThrow('needs 4 words');
  });
});
