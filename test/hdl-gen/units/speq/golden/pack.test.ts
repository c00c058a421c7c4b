import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../../hdl-gen/errors.ts';
import { PLAIN_FORMAT, TABLE_FORMAT } from '../../../../../hdl-gen/units/speq/golden/draft-format.ts';
import { fromNibblePlanes, packedLength } from '../../../../../hdl-gen/units/speq/golden/layout.ts';
import { draftFormatByName, matrixView, packTensor, unpackTensor } from '../../../../../hdl-gen/units/speq/golden/pack.ts';
import { fp16ToStored } from '../../../../../hdl-gen/units/speq/golden/scale.ts';
import { doubleToF16, gaussian, seededRandom } from './speq-test-support.ts';

describe('packTensor / unpackTensor', () => {
  it('views tensors as rows x cols over the last dimension', () => {
    expect(matrixView([])).toEqual({ rows: 1, cols: 1 });
    expect(matrixView([7])).toEqual({ rows: 1, cols: 7 });
    expect(matrixView([2, 3, 5])).toEqual({ rows: 6, cols: 5 });
    expect(matrixView([0, 5])).toEqual({ rows: 0, cols: 5 });
  });

  it('round-trips bit-exactly for k = 0, k = 1 and fallback tensors of various shapes', () => {
    const rng = seededRandom('speq pack');
    for (const shape of [[], [1], [6], [3, 5], [2, 3, 8], [4, 1], [0, 4]]) {
      for (const outlier of [0, 3, 7.5]) {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = Uint16Array.from({ length: n }, () => doubleToF16(0.02 * gaussian(rng)));
        if (n && outlier) data[rng.below(n)] = doubleToF16(-outlier);
        for (const format of [TABLE_FORMAT, PLAIN_FORMAT]) {
          const p = packTensor({ name: 't', shape, data }, format);
          const { rows, cols } = matrixView(shape);
          expect(p.shape).toEqual([rows, packedLength(cols)]);
          expect(p.data.length).toBe(rows * packedLength(cols));
          expect(p.meta.k).toBe(n && outlier === 3 ? 1 : 0);
          expect(p.meta.fallback).toBe(n > 0 && outlier === 7.5);
          expect(p.meta.table === null).toBe(p.meta.fallback);
          expect(p.meta.format).toBe(format.name);
          expect(unpackTensor(p.data, p.meta)).toEqual(data);
          // JSON metadata survives serialisation.
          expect(JSON.parse(JSON.stringify(p.meta))).toEqual(p.meta);
          if (rows && cols && !p.meta.fallback) {
            expect(fromNibblePlanes(p.data.slice(0, packedLength(cols)), cols)[0]).toBe(fp16ToStored(data[0], p.meta.k));
            expect(p.meta.table).toEqual(format.computeTable(data, p.meta.k).exps);
          }
        }
      }
    }
  });

  it('reports the fallback reason and rejects NaN/Inf with tensor name and coordinates', () => {
    const p = packTensor({ name: 'lm_head', shape: [2, 2], data: Uint16Array.from([0x3c00, 0, 0x4600, 0]) }, TABLE_FORMAT);
    expect(p.meta).toMatchObject({ fallback: true, k: 0, kRequired: 2, table: null });
    expect(p.meta.reason).toBe('largest |w| = 6 (0x4600) at index 2 [1, 0] needs scale 2^-2; only k <= 1 is lossless');
    expect(() => packTensor({ name: 'x', shape: [2, 2], data: Uint16Array.from([0, 0, 0, 0xfe00]) }, TABLE_FORMAT)).toThrow(
      "tensor 'x': weight at index 3 [1, 1] is NaN (0xFE00)",
    );
    expect(() => packTensor({ name: 'x', shape: [3], data: new Uint16Array(2) }, TABLE_FORMAT)).toThrow(UserError);
  });

  it('looks draft formats up by name', () => {
    expect(draftFormatByName('plain')).toBe(PLAIN_FORMAT);
    expect(() => draftFormatByName('int4')).toThrow("unknown draft format 'int4'; choices: table, plain");
  });
});
