import { describe, expect, it } from 'vitest';
import { Bits, Bool, Bundle, SInt, UInt, Vec, clog2 } from '../../../hdl-gen/index.ts';
import { MAX_WIDTH, sameType } from '../../../hdl-gen/core/types.ts';
import { diag, expectElabError, locator } from './support.ts';

const loc = locator(import.meta.url);

describe('ground types', () => {
  it('have a kind, a width and a printable name', () => {
    expect(UInt(8)).toMatchObject({ tag: 'ground', kind: 'uint', width: 8 });
    expect(SInt(5)).toMatchObject({ tag: 'ground', kind: 'sint', width: 5 });
    expect(Bits(3)).toMatchObject({ tag: 'ground', kind: 'bits', width: 3 });
    expect(Bool()).toMatchObject({ tag: 'ground', kind: 'bool', width: 1 });
    expect(UInt(8).toString()).toBe('UInt<8>');
    expect(SInt(5).toString()).toBe('SInt<5>');
    expect(Bits(3).toString()).toBe('Bits<3>');
    expect(Bool().toString()).toBe('Bool');
  });
  it('only SInt is signed', () => {
    expect(SInt(4).signed).toBe(true);
    expect(UInt(4).signed).toBe(false);
    expect(Bits(4).signed).toBe(false);
    expect(Bool().signed).toBe(false);
  });
  it('accept widths 1 .. MAX_WIDTH', () => {
    expect(UInt(1).width).toBe(1);
    expect(UInt(MAX_WIDTH).width).toBe(MAX_WIDTH);
    expect(SInt(1).width).toBe(1);
  });
  it('UInt(0) is a type-error at the call', () => {
    const e = expectElabError(() => UInt(0)); // @uint0
    expect(e.message).toBe(
      diag(loc('uint0', 'UInt(0)'), 'type-error', `UInt width must be an integer from 1 to ${MAX_WIDTH}, got 0`, [], 'pass a whole number of bits, e.g. UInt(8)'),
    );
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0].check).toBe('type-error');
  });
  it('rejects negative, fractional and too large widths for every ground kind', () => {
    expect(elabText(() => SInt(-1))).toBe(`SInt width must be an integer from 1 to ${MAX_WIDTH}, got -1`);
    expect(elabText(() => Bits(2.5))).toBe(`Bits width must be an integer from 1 to ${MAX_WIDTH}, got 2.5`);
    expect(elabText(() => UInt(MAX_WIDTH + 1))).toBe(`UInt width must be an integer from 1 to ${MAX_WIDTH}, got ${MAX_WIDTH + 1}`);
    expect(elabText(() => UInt(Number.NaN))).toBe(`UInt width must be an integer from 1 to ${MAX_WIDTH}, got NaN`);
  });
});

function elabText(fn: () => unknown): string {
  const e = expectElabError(fn);
  expect(e.diagnostics).toHaveLength(1);
  return e.diagnostics[0].message;
}

describe('Vec', () => {
  it('has width elem*length and a printable name', () => {
    const v = Vec(UInt(4), 3);
    expect(v.tag).toBe('vec');
    expect(v.width).toBe(12);
    expect(v.length).toBe(3);
    expect(v.toString()).toBe('Vec<UInt<4>, 3>');
    expect(Vec(Vec(Bool(), 2), 5).width).toBe(10);
    expect(Vec(Vec(Bool(), 2), 5).toString()).toBe('Vec<Vec<Bool, 2>, 5>');
  });
  it('rejects a zero or fractional length at the call', () => {
    const e = expectElabError(() => Vec(UInt(8), 0)); // @vec0
    expect(e.message).toBe(diag(loc('vec0', 'Vec('), 'type-error', 'Vec length must be a positive integer, got 0', [], 'give the number of elements, e.g. Vec(UInt(8), 4)'));
    expect(elabText(() => Vec(UInt(8), 1.5))).toBe('Vec length must be a positive integer, got 1.5');
  });
});

describe('Bundle', () => {
  it('lays out fields from the LSB in declaration order', () => {
    const b = Bundle({ valid: Bool(), data: UInt(8), tag: Vec(UInt(2), 2) });
    expect(b.tag).toBe('bundle');
    expect(b.width).toBe(13);
    expect(b.offsets).toEqual({ valid: 0, data: 1, tag: 9 });
    expect(b.toString()).toBe('Bundle{valid: Bool, data: UInt<8>, tag: Vec<UInt<2>, 2>}');
  });
  it('a Bundle with no fields is a type-error at the call', () => {
    const e = expectElabError(() => Bundle({})); // @bundle0
    expect(e.message).toBe(
      diag(loc('bundle0', 'Bundle('), 'type-error', 'a Bundle needs at least one field', [], 'declare the fields, e.g. Bundle({ valid: Bool(), data: UInt(8) })'),
    );
  });
});

describe('sameType', () => {
  it('compares structure, kind and width', () => {
    expect(sameType(UInt(8), UInt(8))).toBe(true);
    expect(sameType(UInt(8), SInt(8))).toBe(false);
    expect(sameType(UInt(8), UInt(7))).toBe(false);
    expect(sameType(Bool(), UInt(1))).toBe(false);
    expect(sameType(Vec(UInt(2), 2), Vec(UInt(2), 2))).toBe(true);
    expect(sameType(Vec(UInt(2), 2), UInt(4))).toBe(false);
    expect(sameType(Bundle({ a: UInt(2) }), Bundle({ b: UInt(2) }))).toBe(false);
  });
});

describe('clog2', () => {
  it('is the number of bits for indices 0..n-1, at least 1', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 16, 17, 1024, 1025].map(clog2)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 10, 11]);
  });
});
