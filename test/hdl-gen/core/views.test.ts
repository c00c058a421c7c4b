import { describe, expect, it } from 'vitest';
import { Bits, Bool, Bundle, BundleView, SInt, Signal, UInt, Vec, VecView, input, output, type Sig } from '../../../hdl-gen/index.ts';
import { build, diag, evalModule, expectElabError, locator, moduleOf } from './support.ts';

const loc = locator(import.meta.url);
const ty = (s: { type: { toString(): string } }) => s.type.toString();

describe('VecView', () => {
  it('static at() gives element views of the element type', () => {
    build(
      'V1',
      () => ({ v: input(Vec(UInt(4), 3)), w: input(Vec(Vec(SInt(2), 2), 2)), b: input(Vec(Bundle({ x: UInt(3), y: Bool() }), 2)) }),
      (_m, io) => {
        expect(io.v.length).toBe(3);
        expect(io.v.at(0)).toBeInstanceOf(Signal);
        expect(ty(io.v.at(2))).toBe('UInt<4>');
        expect(io.w.at(1)).toBeInstanceOf(VecView);
        expect(ty(io.w.at(1).at(0))).toBe('SInt<2>');
        expect(io.b.at(1)).toBeInstanceOf(BundleView);
        expect(ty(io.b.at(1).fields.x)).toBe('UInt<3>');
        expect(io.v.elements().map(ty)).toEqual(['UInt<4>', 'UInt<4>', 'UInt<4>']);
        expect(ty(io.v.asBits())).toBe('Bits<12>');
      },
    );
  });
  it('element i reads bits [i*W +: W] (LSB = element 0)', () => {
    const d = build('V2', () => ({ v: input(Vec(UInt(4), 3)), e0: output(UInt(4)), e2: output(UInt(4)), nested: output(SInt(2)) }), (_m, io) => {
      io.e0.set(io.v.at(0));
      io.e2.set(io.v.at(2));
      io.nested.set(io.v.asBits().slice(5, 4).asSInt());
    });
    const r = evalModule(moduleOf(d), { v: 0x3a5 });
    expect(r.e0).toBe(0x5n);
    expect(r.e2).toBe(0x3n);
    expect(r.nested).toBe(0x2n);
  });
  it('an out of range static index is an error at the call', () => {
    const e = expectElabError(() =>
      build('V3', () => ({ v: input(Vec(UInt(4), 3)) }), (_m, io) => {
        io.v.at(3); // @vec-oor
      }),
    );
    expect(e.message).toBe(diag(loc('vec-oor', 'at('), 'width-mismatch', 'index 3 is out of range for Vec<UInt<4>, 3>', [], 'use an index from 0 to 2'));
    const e2 = expectElabError(() => build('V3b', () => ({ v: input(Vec(UInt(4), 3)) }), (_m, io) => void io.v.at(-1)));
    expect(e2.diagnostics[0].message).toBe('index -1 is out of range for Vec<UInt<4>, 3>');
    const e3 = expectElabError(() => build('V3c', () => ({ v: input(Vec(UInt(4), 3)) }), (_m, io) => void io.v.at(0.5)));
    expect(e3.diagnostics[0].message).toBe('index 0.5 is out of range for Vec<UInt<4>, 3>');
  });
  it('a dynamic at() reads through a mux tree; out-of-range indices give the last element', () => {
    const d = build('V4', () => ({ v: input(Vec(UInt(4), 3)), i: input(UInt(2)), y: output(UInt(4)) }), (_m, io) => {
      expect(ty(io.v.at(io.i))).toBe('UInt<4>');
      io.y.set(io.v.at(io.i));
    });
    const m = moduleOf(d);
    expect([0, 1, 2, 3].map((i) => evalModule(m, { v: 0xcba, i }).y)).toEqual([0xan, 0xbn, 0xcn, 0xcn]);
  });
  it('a dynamic index narrower than needed reads the reachable elements (like a dynamic write)', () => {
    const d = build('V5', () => ({ v: input(Vec(UInt(4), 4)), i: input(UInt(1)), y: output(UInt(4)) }), (_m, io) => {
      io.y.set(io.v.at(io.i));
    });
    const m = moduleOf(d);
    expect([0, 1].map((i) => evalModule(m, { v: 0xdcba, i }).y)).toEqual([0xan, 0xbn]);
  });
  it('a dynamic index that is not UInt is a type-error', () => {
    const e = expectElabError(() =>
      build('V6', () => ({ v: input(Vec(UInt(4), 4)), i: input(SInt(2)) }), (_m, io) => {
        io.v.at(io.i as never); // @dyn-sint
      }),
    );
    expect(e.diagnostics[0].check).toBe('type-error');
    expect(e.diagnostics[0].message).toContain('UInt');
    expect(e.message.startsWith(`${loc('dyn-sint', 'at(')}: error[type-error]: `)).toBe(true);
  });
  it('a dynamic index on a Vec of bundles is api-misuse', () => {
    const e = expectElabError(() =>
      build('V7', () => ({ v: input(Vec(Bundle({ a: UInt(2) }), 2)), i: input(UInt(1)) }), (_m, io) => {
        io.v.at(io.i); // @dyn-bundle
      }),
    );
    expect(e.message).toBe(diag(loc('dyn-bundle', 'at('), 'api-misuse', 'dynamic indexing is supported on vectors of ground types only', [], 'index with a number, or flatten the element with asBits()'));
  });
  it('set() of a whole vector needs the same vector type', () => {
    const e = expectElabError(() =>
      build('V8', () => ({ a: input(Vec(UInt(4), 2)), y: output(Vec(UInt(4), 4)) }), (_m, io) => {
        io.y.set(io.a as never); // @vec-set
      }),
    );
    expect(e.message.split('\n')[0]).toBe(`${loc('vec-set', 'set(')}: error[width-mismatch]: cannot assign Vec<UInt<4>, 2> to Vec<UInt<4>, 4> (no implicit extension)`);
  });
  it('the help for a vector/bundle type mismatch does not suggest methods vectors and bundles lack', () => {
    const e = expectElabError(() =>
      build('V8h', () => ({ a: input(Vec(UInt(4), 2)), y: output(Vec(UInt(4), 4)) }), (_m, io) => {
        io.y.set(io.a as never);
      }),
    );
    // VecView has no zext/sext/resize.
    expect(e.diagnostics[0].help).not.toMatch(/zext|sext|resize/);
    const e3 = expectElabError(() =>
      build('B2h', () => ({ a: input(Bundle({ x: UInt(4) })), y: output(Bundle({ z: UInt(4) })) }), (_m, io) => {
        io.y.set(io.a as never);
      }),
    );
    // BundleView has no asUInt/asSInt/asBool, and nothing converts back into a bundle.
    expect(e3.diagnostics[0].help).not.toMatch(/asUInt|asSInt|asBool/);
    const e2 = expectElabError(() =>
      build('V8b', () => ({ a: input(Vec(SInt(4), 4)), y: output(Vec(UInt(4), 4)) }), (_m, io) => {
        io.y.set(io.a as never);
      }),
    );
    expect(e2.diagnostics[0].check).toBe('type-error');
    expect(e2.diagnostics[0].message).toBe('cannot assign Vec<SInt<4>, 4> to Vec<UInt<4>, 4>');
  });
  it('whole-vector set copies every element', () => {
    const d = build('V9', () => ({ a: input(Vec(UInt(4), 2)), y: output(Vec(UInt(4), 2)) }), (_m, io) => io.y.set(io.a));
    expect(evalModule(moduleOf(d), { a: 0x5a }).y).toBe(0x5an);
  });
  it('elements of an input vector cannot be assigned', () => {
    const e = expectElabError(() =>
      build('V10', () => ({ v: input(Vec(UInt(4), 2)) }), (_m, io) => {
        io.v.at(0).set(1);
      }),
    );
    expect(e.diagnostics[0].check).toBe('multiple-drivers');
  });
});

describe('BundleView', () => {
  it('fields are views of their types at their offsets', () => {
    const d = build(
      'B1',
      () => ({ b: input(Bundle({ valid: Bool(), data: UInt(8), pair: Vec(SInt(2), 2) })), valid: output(Bool()), data: output(UInt(8)), p1: output(SInt(2)), all: output(Bits(13)) }),
      (_m, io) => {
        expect(ty(io.b.fields.valid)).toBe('Bool');
        expect(io.b.fields.pair).toBeInstanceOf(VecView);
        io.valid.set(io.b.fields.valid);
        io.data.set(io.b.fields.data);
        io.p1.set(io.b.fields.pair.at(1));
        io.all.set(io.b.asBits());
      },
    );
    // valid=1, data=0xa5, pair = [01, 10] -> bits: pair1(10) pair0(01) data(10100101) valid(1)
    const raw = (0b10 << 11) | (0b01 << 9) | (0xa5 << 1) | 1;
    const r = evalModule(moduleOf(d), { b: raw });
    expect(r.valid).toBe(1n);
    expect(r.data).toBe(0xa5n);
    expect(r.p1).toBe(0b10n);
    expect(r.all).toBe(BigInt(raw));
  });
  it('set() needs the same bundle type (field names matter)', () => {
    const e = expectElabError(() =>
      build('B2', () => ({ a: input(Bundle({ x: UInt(4) })), y: output(Bundle({ z: UInt(4) })) }), (_m, io) => {
        io.y.set(io.a as never); // @bundle-set
      }),
    );
    expect(e.message.split('\n')[0]).toBe(`${loc('bundle-set', 'set(')}: error[type-error]: cannot assign Bundle{x: UInt<4>} to Bundle{z: UInt<4>}`);
  });
  it('fields of an output bundle are driven independently', () => {
    const d = build('B3', () => ({ a: input(UInt(4)), y: output(Bundle({ lo: UInt(4), hi: UInt(4) })) }), (_m, io) => {
      io.y.fields.lo.set(io.a);
      io.y.fields.hi.set(io.a.not());
    });
    expect(evalModule(moduleOf(d), { a: 0x3 }).y).toBe(0xc3n);
  });
});

describe('Signal.set', () => {
  const io2 = () => ({ a: input(UInt(8)), s: input(SInt(8)), c: input(Bool()), y: output(UInt(8)) });
  it('assigning a wider value is a width-mismatch (no silent truncation)', () => {
    const e = expectElabError(() =>
      build('S1', io2, (_m, io) => {
        io.y.set(io.a.addExpand(io.a)); // @wider
      }),
    );
    expect(e.message).toBe(diag(loc('wider', 'set('), 'width-mismatch', 'cannot assign UInt<9> to UInt<8> (no silent truncation)', [], 'drop the extra bits explicitly with trunc(8) or resize(8)'));
  });
  it('assigning a narrower value is a width-mismatch (no implicit extension)', () => {
    const e = expectElabError(() =>
      build('S2', io2, (_m, io) => {
        io.y.set(io.a.slice(3, 0)); // @narrower
      }),
    );
    expect(e.message).toBe(diag(loc('narrower', 'set('), 'width-mismatch', 'cannot assign UInt<4> to UInt<8> (no implicit extension)', [], 'widen explicitly with zext(8), sext(8) or resize(8)'));
  });
  it('assigning another kind of the same width is a type-error', () => {
    const e = expectElabError(() =>
      build('S3', io2, (_m, io) => {
        io.y.set(io.s as never); // @kind
      }),
    );
    expect(e.message).toBe(diag(loc('kind', 'set('), 'type-error', 'cannot assign SInt<8> to UInt<8>', [], 'convert explicitly with asUInt(), asSInt(), asBits() or asBool()'));
  });
  it('a literal must fit the target', () => {
    const e = expectElabError(() =>
      build('S4', io2, (_m, io) => {
        io.y.set(256); // @lit
      }),
    );
    expect(e.message).toBe(diag(loc('lit', 'set('), 'width-mismatch', 'literal 256 does not fit UInt<8>', [], 'use a wider type, or a value in range for UInt<8>'));
  });
  it('a boolean literal cannot drive a UInt<8>', () => {
    const e = expectElabError(() =>
      build('S5', io2, (_m, io) => {
        io.y.set(true as never); // @bool-lit
      }),
    );
    expect(e.diagnostics[0].check).toBe('type-error');
    expect(e.message.startsWith(`${loc('bool-lit', 'set(')}: error[type-error]: `)).toBe(true);
  });
  it('a non-hardware value is a type-error', () => {
    const e = expectElabError(() =>
      build('S6', io2, (_m, io) => {
        io.y.set(undefined as never); // @undef
      }),
    );
    expect(e.message).toBe(diag(loc('undef', 'set('), 'type-error', 'cannot assign undefined to UInt<8>', [], 'assign a hardware value of the same type'));
    const e2 = expectElabError(() => build('S7', io2, (_m, io) => io.y.set({} as never)));
    expect(e2.diagnostics[0].message).toBe('cannot assign Object to UInt<8>');
  });
  it('a plain expression has no set()', () => {
    build('S9', io2, (_m, io) => {
      const x: Sig = io.a.add(1);
      expect((x as unknown as { set?: unknown }).set).toBeUndefined();
      io.y.set(x as Sig<'uint'>);
    });
  });
});
