import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Bits, Bool, SInt, Sig, UInt, cat, input, lit, litU, mux, replicate, type IoViews } from '../../../hdl-gen/index.ts';
import { encodeLiteral } from '../../../hdl-gen/core/expr.ts';
import { build, diag, evalExpr, expectElabError, exprModule, locator, repoRoot } from './support.ts';

const loc = locator(import.meta.url);

const spec = () => ({
  u8: input(UInt(8)),
  u4: input(UInt(4)),
  u3: input(UInt(3)),
  u1: input(UInt(1)),
  s8: input(SInt(8)),
  s4: input(SInt(4)),
  s1: input(SInt(1)),
  b8: input(Bits(8)),
  b4: input(Bits(4)),
  b1: input(Bits(1)),
  c: input(Bool()),
});
let io!: IoViews<ReturnType<typeof spec>>;
build('Sigs', spec, (_m, v) => {
  io = v;
});

const ty = (s: Sig) => s.type.toString();
/** The single diagnostic's message (no location) of the ElaborationError thrown by `fn`. */
function msg(fn: () => unknown): string {
  const e = expectElabError(fn);
  expect(e.diagnostics).toHaveLength(1);
  return e.diagnostics[0].message;
}
function check(fn: () => unknown): string {
  return expectElabError(fn).diagnostics[0].check;
}

describe('bitwise operators keep the operand type', () => {
  it('and/or/xor on every kind', () => {
    for (const [a, b] of [
      [io.u8, io.u8],
      [io.s4, io.s4],
      [io.b8, io.b8],
      [io.c, io.c],
    ] as [Sig, Sig][]) {
      expect(ty(a.and(b))).toBe(ty(a));
      expect(ty(a.or(b))).toBe(ty(a));
      expect(ty(a.xor(b))).toBe(ty(a));
      expect(ty(a.not())).toBe(ty(a));
    }
  });
  it('accept literals of the operand type', () => {
    expect(ty(io.u8.and(0x0f))).toBe('UInt<8>');
    expect(ty(io.b8.or(0xff))).toBe('Bits<8>');
    expect(ty(io.c.xor(true))).toBe('Bool');
    expect(ty(io.s4.and(-1))).toBe('SInt<4>');
  });
  it('compute bitwise results', () => {
    const m = exprModule(UInt(8), UInt(8), (a, b) => a.and(b).or(a.xor(b).not()));
    // (a & b) | ~(a ^ b)
    for (const [a, b] of [[0xf0, 0x3c], [0, 0], [0xff, 0x01]]) {
      expect(evalExpr(m, a, b)).toBe(BigInt((a & b) | (~(a ^ b) & 0xff)));
    }
  });
  it('refuse operands of different widths (width-mismatch, at the call)', () => {
    const e = expectElabError(() => io.u8.and(io.u4)); // @and-width
    expect(e.message).toBe(
      diag(loc('and-width', 'and('), 'width-mismatch', 'and: operand widths differ, UInt<8> and UInt<4> (no implicit extension)', [], 'make both 8 bits with zext()/sext()/resize(), or drop bits with trunc()'),
    );
  });
  it('refuse operands of different kinds (type-error, at the call)', () => {
    const e = expectElabError(() => io.u8.xor(io.b8)); // @xor-kind
    expect(e.message).toBe(
      diag(loc('xor-kind', 'xor('), 'type-error', 'xor: operands have different kinds, UInt<8> and Bits<8>', [], 'convert one side explicitly with asUInt(), asSInt(), asBits() or asBool()'),
    );
    expect(msg(() => io.c.and(io.u1))).toBe('and: operands have different kinds, Bool and UInt<1>');
  });
  it('refuse a boolean literal on a non-Bool operand', () => {
    expect(msg(() => io.u1.or(true))).toBe('or: a boolean literal needs a Bool operand, not UInt<1>');
    expect(check(() => io.u1.or(true))).toBe('type-error');
  });
  it('refuse a literal that does not fit the operand', () => {
    expect(msg(() => io.u8.and(256))).toBe('literal 256 does not fit UInt<8>');
    expect(msg(() => io.u8.and(-1))).toBe('literal -1 does not fit UInt<8>');
    expect(check(() => io.u8.and(256))).toBe('width-mismatch');
  });
});

describe('wrapping arithmetic keeps the width', () => {
  it('add/sub/mul: same type as the operands', () => {
    expect(ty(io.u8.add(io.u8))).toBe('UInt<8>');
    expect(ty(io.s4.sub(io.s4))).toBe('SInt<4>');
    expect(ty(io.u4.mul(io.u4))).toBe('UInt<4>');
    expect(ty(io.s8.mul(-3))).toBe('SInt<8>');
    expect(ty(io.u8.add(1))).toBe('UInt<8>');
  });
  it('wrap modulo 2^w', () => {
    const add = exprModule(UInt(8), UInt(8), (a, b) => a.add(b));
    expect(evalExpr(add, 200, 100)).toBe(44n);
    const sub = exprModule(UInt(8), UInt(8), (a, b) => a.sub(b));
    expect(evalExpr(sub, 1, 2)).toBe(255n);
    const mul = exprModule(UInt(4), UInt(4), (a, b) => a.mul(b));
    expect(evalExpr(mul, 15, 15)).toBe(1n); // 225 mod 16
    const smul = exprModule(SInt(4), SInt(4), (a, b) => a.mul(b));
    expect(evalExpr(smul, 0b1111, 0b0011)).toBe(0b1101n); // -1 * 3 = -3
  });
  it('refuse operands of different widths, even for add', () => {
    const e = expectElabError(() => io.u8.add(io.u4)); // @add-width
    expect(e.message).toBe(
      diag(loc('add-width', 'add('), 'width-mismatch', 'add: operand widths differ, UInt<8> and UInt<4> (no implicit extension)', [], 'make both 8 bits with zext()/sext()/resize(), or drop bits with trunc()'),
    );
  });
  it('refuse mixed signedness', () => {
    expect(msg(() => io.u8.add(io.s8))).toBe('add: operands have different kinds, UInt<8> and SInt<8>');
  });
  it('are not defined on Bits or Bool', () => {
    const e = expectElabError(() => io.b8.add(io.b8)); // @bits-add
    expect(e.message).toBe(diag(loc('bits-add', 'add('), 'type-error', 'add is not defined on Bits<8>', [], 'convert with asUInt() or asSInt() first'));
    expect(msg(() => io.b8.sub(1))).toBe('sub is not defined on Bits<8>');
    expect(msg(() => io.c.mul(io.c))).toBe('mul is not defined on Bool');
    expect(msg(() => io.b4.addExpand(io.b4))).toBe('addExpand is not defined on Bits<4>');
    expect(msg(() => io.b4.mulExpand(io.b4))).toBe('mulExpand is not defined on Bits<4>');
  });
  it('the literal of a wrapping operator must fit the operand type', () => {
    expect(msg(() => io.s8.add(128))).toBe('literal 128 does not fit SInt<8>');
    expect(msg(() => io.s8.add(-129))).toBe('literal -129 does not fit SInt<8>');
    expect(ty(io.s8.add(-128))).toBe('SInt<8>');
  });
});

describe('expanding arithmetic grows the result', () => {
  it('addExpand/subExpand: max(width)+1, mixed widths of one kind allowed', () => {
    expect(ty(io.u8.addExpand(io.u4))).toBe('UInt<9>');
    expect(ty(io.u4.addExpand(io.u8))).toBe('UInt<9>');
    expect(ty(io.s4.addExpand(io.s8))).toBe('SInt<9>');
    expect(ty(io.u8.subExpand(io.u8))).toBe('UInt<9>');
    expect(ty(io.s8.subExpand(io.s4))).toBe('SInt<9>');
  });
  it('size literal operands minimally', () => {
    expect(ty(io.u8.addExpand(1))).toBe('UInt<9>');
    expect(ty(io.u4.addExpand(1000))).toBe('UInt<11>'); // 1000 needs 10 bits
    expect(ty(io.s4.addExpand(-1))).toBe('SInt<5>');
    expect(ty(io.s4.subExpand(100))).toBe('SInt<9>'); // 100 needs SInt<8>
  });
  it('compute without losing information', () => {
    const uadd = exprModule(UInt(8), UInt(4), (a, b) => a.addExpand(b));
    expect(evalExpr(uadd, 255, 15)).toBe(270n);
    const sadd = exprModule(SInt(4), SInt(8), (a, b) => a.addExpand(b));
    expect(evalExpr(sadd, 0b1000, 0x80)).toBe(BigInt(512 - 136)); // -8 + -128 = -136 in SInt<9>
    const ssub = exprModule(SInt(4), SInt(4), (a, b) => a.subExpand(b));
    expect(evalExpr(ssub, 0b1000, 0b0111)).toBe(BigInt(32 - 15)); // -8 - 7 = -15 in SInt<5>
  });
  it('mulExpand: sum of the widths', () => {
    expect(ty(io.u8.mulExpand(io.u4))).toBe('UInt<12>');
    expect(ty(io.s4.mulExpand(io.s4))).toBe('SInt<8>');
    expect(ty(io.s4.mulExpand(io.s8))).toBe('SInt<12>');
    expect(ty(io.u4.mulExpand(3))).toBe('UInt<6>');
    const umul = exprModule(UInt(8), UInt(4), (a, b) => a.mulExpand(b));
    expect(evalExpr(umul, 255, 15)).toBe(3825n);
    const smul = exprModule(SInt(4), SInt(4), (a, b) => a.mulExpand(b));
    expect(evalExpr(smul, 0b1000, 0b1000)).toBe(64n); // -8 * -8
    expect(evalExpr(smul, 0b1000, 0b0111)).toBe(BigInt(256 - 56)); // -8 * 7
  });
  it('refuse mixed kinds', () => {
    const e = expectElabError(() => io.u8.addExpand(io.s4)); // @addx-kind
    expect(e.message).toBe(
      diag(loc('addx-kind', 'addExpand('), 'type-error', 'addExpand: operands have different kinds, UInt<8> and SInt<4>', [], 'convert one side explicitly with asUInt() or asSInt()'),
    );
  });
  it('a negative literal for an unsigned expanding operator is an error, not a hang', () => {
    // Run in a child process: the bug this guards against is an endless loop sizing the literal.
    const code = [
      "import { UInt, lit, ElaborationError } from './hdl-gen/index.ts';",
      'try { lit(3, UInt(8)).addExpand(-1); console.log("NO ERROR"); }',
      'catch (e) { console.log(e instanceof ElaborationError ? "ElaborationError " + e.diagnostics[0].check + ": " + e.diagnostics[0].message : "OTHER " + e); }',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '--import', 'tsx', '-e', code], { cwd: repoRoot, timeout: 10_000, killSignal: 'SIGKILL', encoding: 'utf8' });
    expect(r.error?.message ?? '', 'the child process timed out: addExpand(-1) on a UInt loops forever').toBe('');
    expect(r.stdout.trim()).toMatch(/^ElaborationError (width-mismatch|type-error): .*-1.*UInt/);
  });
  it('a fractional literal for an expanding operator is an ElaborationError, not a RangeError', () => {
    const e = expectElabError(() => io.u8.addExpand(1.5)); // @addx-frac
    expect(e.message).toBe(diag(loc('addx-frac', 'addExpand('), 'type-error', 'literal 1.5 is not a safe integer', [], 'pass whole numbers; use a bigint for values beyond 2^53'));
  });
});

describe('negation (SInt only)', () => {
  it('neg keeps the width and wraps; negExpand grows by one bit', () => {
    expect(ty(io.s8.neg())).toBe('SInt<8>');
    expect(ty(io.s8.negExpand())).toBe('SInt<9>');
    const neg = exprModule(SInt(8), SInt(8), (a) => a.neg());
    expect(evalExpr(neg, 0x80)).toBe(0x80n); // -(-128) wraps to -128
    expect(evalExpr(neg, 1)).toBe(0xffn);
    const negx = exprModule(SInt(8), SInt(8), (a) => a.negExpand());
    expect(evalExpr(negx, 0x80)).toBe(128n); // +128 in SInt<9>
    expect(evalExpr(negx, 1)).toBe(0x1ffn);
  });
  it('neg on UInt is a type-error whose help names the conversion that works', () => {
    const e = expectElabError(() => io.u8.neg()); // @neg-uint
    expect(e.message).toBe(diag(loc('neg-uint', 'neg('), 'type-error', 'neg is not defined on UInt<8>', [], 'convert with asSInt() first'));
  });
  it('negExpand on Bits is a type-error', () => {
    expect(msg(() => io.b8.negExpand())).toBe('negExpand is not defined on Bits<8>');
  });
});

describe('comparisons give Bool', () => {
  it('eq/ne on every kind, ordered compares on UInt/SInt', () => {
    for (const s of [io.u8, io.s4, io.b8, io.c] as Sig[]) {
      expect(ty(s.eq(s))).toBe('Bool');
      expect(ty(s.ne(s))).toBe('Bool');
    }
    for (const s of [io.u8, io.s4] as Sig[]) {
      expect(ty(s.lt(s))).toBe('Bool');
      expect(ty(s.le(s))).toBe('Bool');
      expect(ty(s.gt(s))).toBe('Bool');
      expect(ty(s.ge(s))).toBe('Bool');
    }
    expect(ty(io.c.eq(true))).toBe('Bool');
    expect(ty(io.s4.lt(-1))).toBe('Bool');
  });
  it('ordered compares are signed for SInt and unsigned for UInt', () => {
    const s = exprModule(SInt(4), SInt(4), (a, b) => a.lt(b));
    expect(evalExpr(s, 0b1111, 1)).toBe(1n); // -1 < 1
    const u = exprModule(UInt(4), UInt(4), (a, b) => a.lt(b));
    expect(evalExpr(u, 0b1111, 1)).toBe(0n); // 15 < 1
    const ge = exprModule(SInt(4), SInt(4), (a, b) => a.ge(b));
    expect(evalExpr(ge, 0b1000, 0b0111)).toBe(0n);
  });
  it('ordered compares are not defined on Bits or Bool', () => {
    const e = expectElabError(() => io.b8.lt(io.b8)); // @lt-bits
    expect(e.message).toBe(diag(loc('lt-bits', 'lt('), 'type-error', 'lt is not defined on Bits<8>', [], 'convert with asUInt() or asSInt() first'));
    expect(msg(() => io.c.ge(io.c))).toBe('ge is not defined on Bool');
  });
  it('compare operands must agree in kind and width', () => {
    expect(msg(() => io.u8.eq(io.u4))).toBe('eq: operand widths differ, UInt<8> and UInt<4> (no implicit extension)');
    expect(msg(() => io.s8.gt(io.u8))).toBe('gt: operands have different kinds, SInt<8> and UInt<8>');
    expect(msg(() => io.u8.eq(true))).toBe('eq: a boolean literal needs a Bool operand, not UInt<8>');
  });
});

describe('shifts', () => {
  it('static shl/shr keep the type', () => {
    expect(ty(io.u8.shl(3))).toBe('UInt<8>');
    expect(ty(io.s8.shr(3))).toBe('SInt<8>');
    expect(ty(io.b8.shl(9))).toBe('Bits<8>');
  });
  it('dynamic shl/shr take a UInt amount and keep the type', () => {
    expect(ty(io.u8.shl(io.u3))).toBe('UInt<8>');
    expect(ty(io.s8.shr(io.u3))).toBe('SInt<8>');
    expect(io.u8.shl(io.u3).node.op).toBe('dshl');
    expect(io.s8.shr(io.u3).node.op).toBe('dshr');
  });
  it('shr is arithmetic for SInt and logical otherwise; shl drops high bits', () => {
    const sr = exprModule(SInt(8), UInt(3), (a) => a.shr(2));
    expect(evalExpr(sr, 0x80)).toBe(0xe0n);
    const ur = exprModule(UInt(8), UInt(3), (a) => a.shr(2));
    expect(evalExpr(ur, 0x80)).toBe(0x20n);
    const sl = exprModule(UInt(8), UInt(3), (a) => a.shl(4));
    expect(evalExpr(sl, 0xab)).toBe(0xb0n);
    const dsr = exprModule(SInt(8), UInt(3), (a, b) => a.shr(b));
    expect(evalExpr(dsr, 0x80, 7)).toBe(0xffn);
    const dsl = exprModule(UInt(8), UInt(3), (a, b) => a.shl(b));
    expect(evalExpr(dsl, 0x01, 7)).toBe(0x80n);
  });
  it('shlExpand grows by the amount', () => {
    expect(ty(io.u8.shlExpand(3))).toBe('UInt<11>');
    expect(ty(io.s4.shlExpand(2))).toBe('SInt<6>');
    expect(io.u8.shlExpand(0)).toBe(io.u8);
    expect(ty(io.c.shlExpand(2))).toBe('UInt<3>');
    const m = exprModule(SInt(4), UInt(1), (a) => a.shlExpand(2));
    expect(evalExpr(m, 0b1001)).toBe(0b100100n);
  });
  it('refuse negative or fractional amounts', () => {
    const e = expectElabError(() => io.u8.shl(-1)); // @shl-neg
    expect(e.message).toBe(
      diag(loc('shl-neg', 'shl('), 'type-error', 'shl: shift amount must be a non-negative integer, got -1', [], 'pass a whole number of bits, or a UInt signal for a dynamic shift'),
    );
    expect(msg(() => io.u8.shr(1.5))).toBe('shr: shift amount must be a non-negative integer, got 1.5');
    expect(msg(() => io.u8.shlExpand(-2))).toBe('shlExpand: shift amount must be a non-negative integer, got -2');
  });
  it('refuse a dynamic amount that is not UInt', () => {
    expect(msg(() => io.u8.shl(io.s4 as never))).toBe('shl: a dynamic shift amount must be UInt, got SInt<4>');
    expect(msg(() => io.u8.shr(io.b4 as never))).toBe('shr: a dynamic shift amount must be UInt, got Bits<4>');
  });
});

describe('reductions give Bool', () => {
  it('andR/orR/xorR', () => {
    for (const s of [io.u8, io.s4, io.b8, io.c] as Sig[]) {
      expect(ty(s.andR())).toBe('Bool');
      expect(ty(s.orR())).toBe('Bool');
      expect(ty(s.xorR())).toBe('Bool');
    }
    const and = exprModule(UInt(4), UInt(1), (a) => a.andR());
    expect([0b1111, 0b0111].map((v) => evalExpr(and, v))).toEqual([1n, 0n]);
    const or = exprModule(UInt(4), UInt(1), (a) => a.orR());
    expect([0, 0b0100].map((v) => evalExpr(or, v))).toEqual([0n, 1n]);
    const xor = exprModule(UInt(4), UInt(1), (a) => a.xorR());
    expect([0b0111, 0b0110].map((v) => evalExpr(xor, v))).toEqual([1n, 0n]);
  });
});

describe('bit selection and width changes', () => {
  it('slice keeps the kind, except that SInt slices are UInt', () => {
    expect(ty(io.u8.slice(7, 4))).toBe('UInt<4>');
    expect(ty(io.b8.slice(3, 0))).toBe('Bits<4>');
    expect(ty(io.s8.slice(7, 0))).toBe('UInt<8>');
    expect(ty(io.s8.slice(3, 3))).toBe('UInt<1>');
    expect(ty(io.c.slice(0, 0))).toBe('Bool');
    expect(io.u8.slice(7, 0)).toBe(io.u8);
    const m = exprModule(UInt(8), UInt(1), (a) => a.slice(6, 3));
    expect(evalExpr(m, 0b0101_1000)).toBe(0b1011n);
  });
  it('bit gives Bool for every kind', () => {
    expect(ty(io.u8.bit(7))).toBe('Bool');
    expect(ty(io.s8.bit(0))).toBe('Bool');
    expect(ty(io.u1.bit(0))).toBe('Bool');
    expect(io.s8.bit(7).node.signed).toBe(false);
    const m = exprModule(UInt(8), UInt(1), (a) => a.bit(6));
    expect([0x40, 0xbf].map((v) => evalExpr(m, v))).toEqual([1n, 0n]);
  });
  it('out of range slices are width-mismatch errors at the call', () => {
    const e = expectElabError(() => io.u8.slice(8, 0)); // @slice-oor
    expect(e.message).toBe(diag(loc('slice-oor', 'slice('), 'width-mismatch', 'slice(8, 0) is out of range for UInt<8>', [], 'use 0 <= lo <= hi <= 7'));
    expect(msg(() => io.u8.slice(2, 3))).toBe('slice(2, 3) is out of range for UInt<8>');
    expect(msg(() => io.u8.slice(3, -1))).toBe('slice(3, -1) is out of range for UInt<8>');
    expect(msg(() => io.u8.slice(1.5, 0))).toBe('slice(1.5, 0) is out of range for UInt<8>');
  });
  it('an out of range bit() names bit(), not slice()', () => {
    const e = expectElabError(() => io.u8.bit(8)); // @bit-oor
    expect(e.message).toBe(diag(loc('bit-oor', 'bit('), 'width-mismatch', 'bit(8) is out of range for UInt<8>', [], 'use 0 <= i <= 7'));
  });
  it('trunc keeps the kind and the low bits', () => {
    expect(ty(io.u8.trunc(3))).toBe('UInt<3>');
    expect(ty(io.s8.trunc(4))).toBe('SInt<4>');
    expect(io.u8.trunc(8)).toBe(io.u8);
    const m = exprModule(SInt(8), UInt(1), (a) => a.trunc(4));
    expect(evalExpr(m, 0xa7)).toBe(0x7n);
    const e = expectElabError(() => io.u8.trunc(9)); // @trunc-wide
    expect(e.message).toBe(diag(loc('trunc-wide', 'trunc('), 'width-mismatch', 'trunc(9) needs 1 <= width <= 8 for UInt<8>', [], 'use zext()/sext()/resize() to widen'));
    expect(msg(() => io.u8.trunc(0))).toBe('trunc(0) needs 1 <= width <= 8 for UInt<8>');
  });
  it('zext/sext/signExtend widen and keep the kind (Bool widens to UInt)', () => {
    expect(ty(io.u4.zext(8))).toBe('UInt<8>');
    expect(ty(io.s4.sext(8))).toBe('SInt<8>');
    expect(ty(io.s4.signExtend(8))).toBe('SInt<8>');
    expect(ty(io.b4.zext(6))).toBe('Bits<6>');
    expect(ty(io.c.zext(4))).toBe('UInt<4>');
    expect(io.u4.zext(4)).toBe(io.u4);
    const z = exprModule(SInt(4), UInt(1), (a) => a.zext(8));
    expect(evalExpr(z, 0b1010)).toBe(0b0000_1010n);
    const s = exprModule(SInt(4), UInt(1), (a) => a.sext(8));
    expect(evalExpr(s, 0b1010)).toBe(0b1111_1010n);
    const se = exprModule(SInt(4), UInt(1), (a) => a.signExtend(8));
    expect(evalExpr(se, 0b0110)).toBe(0b0000_0110n);
  });
  it('zext/sext refuse to narrow', () => {
    const e = expectElabError(() => io.u8.zext(4)); // @zext-narrow
    expect(e.message).toBe(diag(loc('zext-narrow', 'zext('), 'width-mismatch', 'zext(4) cannot narrow UInt<8>', [], 'use trunc() to drop bits explicitly'));
    expect(msg(() => io.s8.sext(7))).toBe('sext(7) cannot narrow SInt<8>');
  });
  it('signExtend errors name signExtend, the method the user called', () => {
    expect(msg(() => io.s8.signExtend(4))).toBe('signExtend(4) cannot narrow SInt<8>');
  });
  it('a fractional zext width is not reported as narrowing', () => {
    expect(msg(() => io.u4.zext(8.5))).not.toContain('narrow');
  });
  it('resize works both ways: sign-extends SInt, zero-extends others, truncates when narrowing', () => {
    expect(ty(io.s4.resize(8))).toBe('SInt<8>');
    expect(ty(io.u8.resize(4))).toBe('UInt<4>');
    expect(ty(io.b4.resize(8))).toBe('Bits<8>');
    expect(io.u8.resize(8)).toBe(io.u8);
    const up = exprModule(SInt(4), UInt(1), (a) => a.resize(8));
    expect(evalExpr(up, 0b1010)).toBe(0xfan);
    const upu = exprModule(UInt(4), UInt(1), (a) => a.resize(8));
    expect(evalExpr(upu, 0b1010)).toBe(0x0an);
    const down = exprModule(SInt(8), UInt(1), (a) => a.resize(3));
    expect(evalExpr(down, 0xfd)).toBe(0b101n);
    expect(ty(io.s8.resize(3))).toBe('SInt<3>');
    const e = expectElabError(() => io.u8.resize(0)); // @resize0
    expect(e.message).toBe(diag(loc('resize0', 'resize('), 'width-mismatch', 'resize(0) needs a positive width', [], 'pass the number of bits to keep'));
  });
});

describe('reinterpreting casts', () => {
  it('asUInt/asSInt/asBits keep the width, asBool needs 1 bit', () => {
    expect(ty(io.s8.asUInt())).toBe('UInt<8>');
    expect(ty(io.u8.asSInt())).toBe('SInt<8>');
    expect(ty(io.u8.asBits())).toBe('Bits<8>');
    expect(ty(io.c.asUInt())).toBe('UInt<1>');
    expect(ty(io.u1.asBool())).toBe('Bool');
    expect(ty(io.s1.asBool())).toBe('Bool');
    expect(ty(io.b1.asBool())).toBe('Bool');
    expect(io.u8.asSInt().node.signed).toBe(true);
    expect(io.s8.asUInt().node.signed).toBe(false);
  });
  it('asBool on a wide value is a width-mismatch', () => {
    const e = expectElabError(() => io.u8.asBool()); // @asbool
    expect(e.message).toBe(diag(loc('asbool', 'asBool('), 'width-mismatch', 'asBool() needs a 1-bit value, got UInt<8>', [], 'use orR() for "any bit set", or ne(0)'));
  });
  it('asSInt changes compare semantics', () => {
    const m = exprModule(UInt(4), UInt(4), (a, b) => a.asSInt().lt(b.asSInt()));
    expect(evalExpr(m, 0b1111, 0)).toBe(1n);
  });
});

describe('cat and replicate', () => {
  it('cat sums the widths into a UInt, first operand most significant', () => {
    expect(ty(cat(io.u8, io.u4))).toBe('UInt<12>');
    expect(ty(cat(io.c, io.s4, io.b8))).toBe('UInt<13>');
    expect(ty(cat(io.s4))).toBe('UInt<4>');
    const m = exprModule(UInt(8), UInt(4), (a, b) => cat(b, a));
    expect(evalExpr(m, 0x12, 0xa)).toBe(0xa12n);
  });
  it('cat() without operands is api-misuse', () => {
    const e = expectElabError(() => cat()); // @cat0
    expect(e.message).toBe(diag(loc('cat0', 'cat('), 'api-misuse', 'cat() needs at least one operand', [], 'pass the values to concatenate, most significant first'));
  });
  it('replicate multiplies the width', () => {
    expect(ty(replicate(io.u3, 4))).toBe('UInt<12>');
    expect(ty(replicate(io.s4, 1))).toBe('UInt<4>');
    const m = exprModule(UInt(3), UInt(1), (a) => replicate(a, 3));
    expect(evalExpr(m, 0b101)).toBe(0b101101101n);
    const e = expectElabError(() => replicate(io.u3, 0)); // @rep0
    expect(e.message).toBe(diag(loc('rep0', 'replicate('), 'api-misuse', 'replicate needs a positive count, got 0', [], 'pass how many copies to make'));
  });
});

describe('mux', () => {
  it('has the type of its arms; literal arms adopt the other arm type', () => {
    expect(ty(mux(io.c, io.u8, io.u8))).toBe('UInt<8>');
    expect(ty(mux(io.c, io.s4, -1))).toBe('SInt<4>');
    expect(ty(mux(io.c, 3, io.b8))).toBe('Bits<8>');
    expect(ty(mux(io.u1, io.c, true))).toBe('Bool');
    expect(ty(mux(io.b1, io.u8, 0))).toBe('UInt<8>');
    const m = exprModule(Bool(), SInt(4), (c, b) => mux(c, b, -2));
    expect(evalExpr(m, 1, 5)).toBe(5n);
    expect(evalExpr(m, 0, 5)).toBe(0b1110n);
  });
  it('arms of different widths are a width-mismatch, of different kinds a type-error', () => {
    const e = expectElabError(() => mux(io.c, io.u8, io.u4)); // @mux-width
    expect(e.message).toBe(diag(loc('mux-width', 'mux('), 'width-mismatch', 'mux arms have different types, UInt<8> and UInt<4>', [], 'convert one arm so both have the same kind and width'));
    expect(msg(() => mux(io.c, io.u8, io.s8 as never))).toBe('mux arms have different types, UInt<8> and SInt<8>');
    expect(check(() => mux(io.c, io.u8, io.s8 as never))).toBe('type-error');
  });
  it('two literal arms are a type-error', () => {
    expect(msg(() => mux(io.c, 1, 2))).toBe('mux: at least one arm must be a hardware value to give the result a type');
  });
  it('a literal arm must fit the other arm type', () => {
    expect(msg(() => mux(io.c, io.u4, 16))).toBe('literal 16 does not fit UInt<4>');
  });
  it('the select must be one bit (not SInt)', () => {
    const e = expectElabError(() => mux(io.u8, io.u8, io.u8)); // @mux-cond
    expect(e.message).toBe(diag(loc('mux-cond', 'mux('), 'width-mismatch', 'mux: condition must be a Bool, got UInt<8>', [], 'reduce it to one bit, e.g. x.ne(0) or x.orR()'));
    expect(msg(() => mux(io.s1, io.u8, io.u8))).toBe('mux: condition must be a Bool, got SInt<1>');
  });
});

describe('literals', () => {
  it('lit has the given type and two-s complement encoding', () => {
    expect(ty(lit(255, UInt(8)))).toBe('UInt<8>');
    expect(lit(255, UInt(8)).node.value).toBe(255n);
    expect(lit(-1, SInt(8)).node.value).toBe(255n);
    expect(lit(-128, SInt(8)).node.value).toBe(128n);
    expect(lit(127, SInt(8)).node.value).toBe(127n);
    expect(lit(true, Bool()).node.value).toBe(1n);
    expect(lit(0xffn, Bits(8)).node.value).toBe(255n);
    expect(lit(1n << 100n, UInt(101)).node.value).toBe(1n << 100n);
    expect(lit(-1, SInt(1)).node.value).toBe(1n);
  });
  it('encodeLiteral returns null when the value does not fit', () => {
    expect(encodeLiteral(256n, 'uint', 8)).toBeNull();
    expect(encodeLiteral(-1n, 'uint', 8)).toBeNull();
    expect(encodeLiteral(128n, 'sint', 8)).toBeNull();
    expect(encodeLiteral(-129n, 'sint', 8)).toBeNull();
    expect(encodeLiteral(-128n, 'sint', 8)).toBe(128n);
    expect(encodeLiteral(2n, 'bool', 1)).toBeNull();
  });
  it('a literal that does not fit is a width-mismatch at the call', () => {
    const e = expectElabError(() => lit(256, UInt(8))); // @lit-256
    expect(e.message).toBe(diag(loc('lit-256', 'lit('), 'width-mismatch', 'literal 256 does not fit UInt<8>', [], 'use a wider type, or a value in range for UInt<8>'));
    expect(msg(() => lit(-1, UInt(8)))).toBe('literal -1 does not fit UInt<8>');
    expect(msg(() => lit(128, SInt(8)))).toBe('literal 128 does not fit SInt<8>');
    expect(msg(() => lit(-129, SInt(8)))).toBe('literal -129 does not fit SInt<8>');
    expect(msg(() => lit(2, Bool()))).toBe('literal 2 does not fit Bool');
    expect(msg(() => lit(1, SInt(1)))).toBe('literal 1 does not fit SInt<1>');
  });
  it('non-integer and unsafe numbers are type-errors', () => {
    expect(msg(() => lit(1.5, UInt(8)))).toBe('literal 1.5 is not a safe integer');
    expect(msg(() => lit(2 ** 53, UInt(64)))).toBe(`literal ${2 ** 53} is not a safe integer`);
    expect(check(() => lit(1.5, UInt(8)))).toBe('type-error');
  });
  it('a boolean literal only makes a Bool', () => {
    expect(check(() => lit(true, UInt(8)))).toBe('type-error');
  });
  it('litU sizes itself (at least 1 bit)', () => {
    expect(ty(litU(0))).toBe('UInt<1>');
    expect(ty(litU(1))).toBe('UInt<1>');
    expect(ty(litU(2))).toBe('UInt<2>');
    expect(ty(litU(255))).toBe('UInt<8>');
    expect(ty(litU(256))).toBe('UInt<9>');
    expect(ty(litU(1n << 70n))).toBe('UInt<71>');
  });
  it('litU of a negative or fractional number is an ElaborationError', () => {
    expect(msg(() => litU(-1))).toBe('literal -1 does not fit UInt<1>');
    const e = expectElabError(() => litU(1.5)); // @litu-frac
    expect(e.message).toBe(diag(loc('litu-frac', 'litU('), 'type-error', 'literal 1.5 is not a safe integer', [], 'pass whole numbers; use a bigint for values beyond 2^53'));
  });
  it('a non-literal, non-signal operand is refused at the call', () => {
    const e = expectElabError(() => io.u8.add(undefined as never)); // @undef-operand
    expect(e.diagnostics[0].check).toBe('type-error');
    expect(e.message.split(':').slice(0, 3).join(':')).toBe(loc('undef-operand', 'add('));
  });
});
