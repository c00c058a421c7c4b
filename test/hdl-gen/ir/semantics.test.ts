import { describe, expect, it } from 'vitest';
import type { IrNode, IrOp } from '../../../hdl-gen/ir/ir.ts';
import { combinationalOps } from '../../../hdl-gen/ir/ir.ts';
import { evalOp, mask, toSigned } from '../../../hdl-gen/ir/semantics.ts';

const loc = { file: 'x.ts', line: 1, col: 1 };
function n(op: IrOp, width: number, extra: Partial<IrNode> = {}): IrNode {
  return { id: 0, op, width, signed: false, args: [], loc, ...extra };
}
const ev = (op: IrOp, width: number, a: bigint[], w: number[], extra: Partial<IrNode> = {}) => evalOp(n(op, width, extra), a, w);

describe('mask and toSigned', () => {
  it('mask(w) has w ones', () => {
    expect(mask(1)).toBe(1n);
    expect(mask(8)).toBe(255n);
    expect(mask(64)).toBe((1n << 64n) - 1n);
  });
  it('toSigned reads two-s complement', () => {
    expect(toSigned(0xffn, 8)).toBe(-1n);
    expect(toSigned(0x80n, 8)).toBe(-128n);
    expect(toSigned(0x7fn, 8)).toBe(127n);
    expect(toSigned(1n, 1)).toBe(-1n);
    expect(toSigned(0n, 1)).toBe(0n);
  });
});

describe('evalOp', () => {
  it('bitwise operators', () => {
    expect(ev('not', 4, [0b1010n], [4])).toBe(0b0101n);
    expect(ev('and', 4, [0b1100n, 0b1010n], [4, 4])).toBe(0b1000n);
    expect(ev('or', 4, [0b1100n, 0b1010n], [4, 4])).toBe(0b1110n);
    expect(ev('xor', 4, [0b1100n, 0b1010n], [4, 4])).toBe(0b0110n);
  });
  it('arithmetic wraps to the node width', () => {
    expect(ev('add', 8, [200n, 100n], [8, 8])).toBe(44n);
    expect(ev('sub', 8, [1n, 2n], [8, 8])).toBe(255n);
    expect(ev('mul', 8, [16n, 17n], [8, 8])).toBe(16n);
    expect(ev('neg', 8, [1n], [8])).toBe(255n);
    expect(ev('neg', 8, [0n], [8])).toBe(0n);
  });
  it('compares: eq/ne on bits, ordered compares signed only with signedOp', () => {
    expect(ev('eq', 1, [5n, 5n], [4, 4])).toBe(1n);
    expect(ev('ne', 1, [5n, 5n], [4, 4])).toBe(0n);
    expect(ev('lt', 1, [0xfn, 1n], [4, 4])).toBe(0n);
    expect(ev('lt', 1, [0xfn, 1n], [4, 4], { signedOp: true })).toBe(1n);
    expect(ev('le', 1, [0x8n, 0x8n], [4, 4], { signedOp: true })).toBe(1n);
    expect(ev('gt', 1, [0x8n, 0x7n], [4, 4], { signedOp: true })).toBe(0n);
    expect(ev('ge', 1, [0x8n, 0x7n], [4, 4])).toBe(1n);
  });
  it('static shifts', () => {
    expect(ev('shl', 8, [0xabn], [8], { amount: 4 })).toBe(0xb0n);
    expect(ev('shl', 8, [0xabn], [8], { amount: 9 })).toBe(0n);
    expect(ev('shr', 8, [0x80n], [8], { amount: 3 })).toBe(0x10n);
    expect(ev('shr', 8, [0x80n], [8], { amount: 3, signedOp: true })).toBe(0xf0n);
    expect(ev('shr', 8, [0x80n], [8], { amount: 20, signedOp: true })).toBe(0xffn);
    expect(ev('shr', 8, [0x80n], [8], { amount: 20 })).toBe(0n);
  });
  it('dynamic shifts, including amounts at or beyond the width', () => {
    expect(ev('dshl', 8, [1n, 7n], [8, 3])).toBe(0x80n);
    expect(ev('dshl', 8, [1n, 8n], [8, 4])).toBe(0n);
    expect(ev('dshl', 8, [1n, 200n], [8, 8])).toBe(0n);
    expect(ev('dshr', 8, [0x80n, 7n], [8, 3])).toBe(1n);
    expect(ev('dshr', 8, [0x80n, 8n], [8, 4])).toBe(0n);
    expect(ev('dshr', 8, [0x80n, 8n], [8, 4], { signedOp: true })).toBe(0xffn);
    expect(ev('dshr', 8, [0x40n, 15n], [8, 4], { signedOp: true })).toBe(0n);
  });
  it('reductions use the operand width', () => {
    expect(ev('andr', 1, [0xfn], [4])).toBe(1n);
    expect(ev('andr', 1, [0xfn], [5])).toBe(0n);
    expect(ev('orr', 1, [0n], [4])).toBe(0n);
    expect(ev('orr', 1, [8n], [4])).toBe(1n);
    expect(ev('xorr', 1, [0b1011n], [4])).toBe(1n);
    expect(ev('xorr', 1, [0b1001n], [4])).toBe(0n);
  });
  it('mux, slice, concat (first operand most significant), zext, sext', () => {
    expect(ev('mux', 4, [1n, 3n, 5n], [1, 4, 4])).toBe(3n);
    expect(ev('mux', 4, [0n, 3n, 5n], [1, 4, 4])).toBe(5n);
    expect(ev('slice', 3, [0b1101_0110n], [8], { lo: 2 })).toBe(0b101n);
    expect(ev('concat', 12, [0xan, 0xbcn], [4, 8])).toBe(0xabcn);
    expect(ev('concat', 3, [1n, 0n, 1n], [1, 1, 1])).toBe(0b101n);
    expect(ev('zext', 8, [0xan], [4])).toBe(0x0an);
    expect(ev('sext', 8, [0xan], [4])).toBe(0xfan);
    expect(ev('sext', 8, [0x5n], [4])).toBe(0x05n);
    expect(ev('sext', 4, [1n], [1])).toBe(0xfn);
    expect(ev('wire', 4, [9n], [4])).toBe(9n);
    expect(ev('const', 4, [], [], { value: 7n })).toBe(7n);
  });
  it('refuses non-combinational operators', () => {
    expect(() => ev('reg', 4, [], [])).toThrow(/not a combinational operator/);
    expect(() => ev('input', 4, [], [])).toThrow(/not a combinational operator/);
  });
  it('results always fit the node width (randomised)', () => {
    let seed = 12345;
    const rnd = (w: number) => {
      let v = 0n;
      for (let i = 0; i < w; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        v = (v << 1n) | BigInt(seed >> 16 & 1);
      }
      return v;
    };
    const binary: IrOp[] = ['and', 'or', 'xor', 'add', 'sub', 'mul'];
    for (let k = 0; k < 300; k++) {
      const w = 1 + (k % 13);
      for (const op of binary) expect(ev(op, w, [rnd(w), rnd(w)], [w, w])).toBeLessThanOrEqual(mask(w));
      for (const op of ['not', 'neg'] as IrOp[]) expect(ev(op, w, [rnd(w)], [w])).toBeLessThanOrEqual(mask(w));
      expect(ev('dshr', w, [rnd(w), rnd(4)], [w, 4], { signedOp: true })).toBeLessThanOrEqual(mask(w));
      expect(ev('dshl', w, [rnd(w), rnd(4)], [w, 4])).toBeLessThanOrEqual(mask(w));
      expect(ev('sext', w + 3, [rnd(w)], [w])).toBeLessThanOrEqual(mask(w + 3));
    }
  });
  it('every combinational operator has a meaning', () => {
    for (const op of combinationalOps) {
      const r = evalOp(n(op, 4, { amount: 1, lo: 0, value: 0n }), [1n, 1n, 1n], [4, 4, 4]);
      expect(typeof r).toBe('bigint');
    }
  });
});
