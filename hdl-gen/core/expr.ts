import type { IrOperator } from '../ir/ir.ts';
import { fail } from './diagnostics.ts';
import { captureLoc, type SourceLoc } from './source-location.ts';
import { Bool, BundleType, GroundType, UInt, VecType, type GroundKind, type HwType, Bits, SInt } from './types.ts';

/**
 * The front-end expression AST. Every node is immutable, typed and carries the user's source
 * location. The operator set is exactly the IR's; lowering only hash-conses and numbers nodes.
 *
 * Width rules (defined here once, see `docs` in README):
 * - wrap operators (`add`, `sub`, `mul`, `neg`, `shl`) keep the operand width and wrap modulo 2^w;
 * - expanding operators (`addExpand`, `subExpand`, `mulExpand`, `negExpand`, `shlExpand`) grow the
 *   result so that no information is lost;
 * - binary operators need operands of the same kind and width (no implicit extension): use
 *   `zext`/`sext`/`resize`/`trunc` to say what you mean.
 */
export type OpName = 'const' | 'ref' | IrOperator;

/** Something an expression can refer to: a port, wire, register, memory read port or instance port. */
export interface Referable {
  readonly name: string;
  readonly type: HwType;
  readonly loc: SourceLoc;
  /** The module builder that owns the declaration (checked when it is used). */
  readonly owner: object;
  readonly declKind: 'input' | 'output' | 'wire' | 'reg' | 'memread' | 'instance-input' | 'instance-output';
}

export interface ExprNode {
  readonly op: OpName;
  readonly width: number;
  /** The value's type is SInt (type information only; operators never read it). */
  readonly signed: boolean;
  /** Signed semantics of the operator itself: compare (`lt`..`ge`) and arithmetic right shift (`shr`, `dshr`). */
  readonly signedOp?: boolean;
  readonly args: readonly ExprNode[];
  readonly value?: bigint;
  readonly lo?: number;
  readonly amount?: number;
  readonly ref?: Referable;
  readonly loc: SourceLoc;
}

export type Literal = number | bigint | boolean;
export type GroundLike = Sig | Literal;

function node(op: OpName, width: number, signed: boolean, args: ExprNode[], loc: SourceLoc, extra: Partial<ExprNode> = {}): ExprNode {
  return { op, width, signed, args, loc, ...extra };
}

/** Two's complement encoding of `v` in `width` bits, or null when it does not fit the kind. */
export function encodeLiteral(v: bigint, kind: GroundKind, width: number): bigint | null {
  const w = BigInt(width);
  if (kind === 'sint') {
    const min = -(1n << (w - 1n));
    const max = (1n << (w - 1n)) - 1n;
    if (v < min || v > max) return null;
    return v < 0n ? v + (1n << w) : v;
  }
  if (v < 0n || v >= 1n << w) return null;
  return v;
}

/** A literal of the given ground type; fails at the call site when it does not fit. */
export function lit<K extends GroundKind>(value: Literal, type: GroundType<K>): Sig<K> {
  const loc = captureLoc();
  return litAt(value, type, loc);
}

/** `lit` with an explicit location (for library code that already captured the user's call site). */
export function literalAt<K extends GroundKind>(value: Literal, type: GroundType<K>, loc: SourceLoc): Sig<K> {
  return litAt(value, type, loc);
}

function litAt<K extends GroundKind>(value: Literal, type: GroundType<K>, loc: SourceLoc): Sig<K> {
  const v = literalValue(value, loc);
  if (typeof value === 'boolean' && type.kind !== 'bool') {
    fail({ check: 'type-error', loc, message: `a boolean literal needs a Bool, not ${type.toString()}`, help: 'use the number 0 or 1' });
  }
  const enc = encodeLiteral(v, type.kind, type.width);
  if (enc === null) {
    fail({
      check: 'width-mismatch',
      loc,
      message: `literal ${v} does not fit ${type.toString()}`,
      help: `use a wider type, or a value in range for ${type.toString()}`,
    });
  }
  return new Sig(type, node('const', type.width, type.signed, [], loc, { value: enc }));
}

/** The integer value of a TS literal; anything that is not a whole number is refused at the call. */
function literalValue(value: unknown, loc: SourceLoc): bigint {
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number') return toBigInt(value, loc);
  if (typeof value === 'bigint') return value;
  return fail({
    check: 'type-error',
    loc,
    message: `expected a hardware value or a number/bigint/boolean literal, got ${value === null ? 'null' : typeof value}`,
    help: 'pass a signal or a literal',
  });
}

function toBigInt(n: number, loc: SourceLoc): bigint {
  if (!Number.isSafeInteger(n)) {
    fail({ check: 'type-error', loc, message: `literal ${n} is not a safe integer`, help: 'pass whole numbers; use a bigint for values beyond 2^53' });
  }
  return BigInt(n);
}

/** Minimal-width unsigned literal (at least 1 bit), e.g. for constants that size themselves. */
export function litU(value: number | bigint): Sig<'uint'> {
  const loc = captureLoc();
  const v = literalValue(value, loc);
  let w = 1;
  while (1n << BigInt(w) <= v) w++;
  return litAt(v, UInt(w), loc);
}

const arithmeticKinds: readonly GroundKind[] = ['uint', 'sint'];

/** A ground-typed hardware value (UInt, SInt, Bits, Bool). */
export class Sig<K extends GroundKind = GroundKind> {
  constructor(
    readonly type: GroundType<K>,
    readonly node: ExprNode,
  ) {}

  get width(): number {
    return this.type.width;
  }

  // ---- operand coercion -------------------------------------------------------------------
  private operand(other: GroundLike, opName: string, loc: SourceLoc): Sig<K> {
    if (other instanceof Sig) {
      if (other.type.kind !== this.type.kind) {
        fail({
          check: 'type-error',
          loc,
          message: `${opName}: operands have different kinds, ${this.type.toString()} and ${other.type.toString()}`,
          help: 'convert one side explicitly with asUInt(), asSInt(), asBits() or asBool()',
        });
      }
      if (other.width !== this.width) {
        fail({
          check: 'width-mismatch',
          loc,
          message: `${opName}: operand widths differ, ${this.type.toString()} and ${other.type.toString()} (no implicit extension)`,
          help: `make both ${Math.max(this.width, other.width)} bits with zext()/sext()/resize(), or drop bits with trunc()`,
        });
      }
      return other as Sig<K>;
    }
    if (typeof other === 'boolean' && this.type.kind !== 'bool') {
      fail({ check: 'type-error', loc, message: `${opName}: a boolean literal needs a Bool operand, not ${this.type.toString()}`, help: 'compare with a number literal instead' });
    }
    return litAt(other, this.type, loc);
  }

  private requireKinds(kinds: readonly GroundKind[], opName: string, loc: SourceLoc): void {
    if (!kinds.includes(this.type.kind)) {
      fail({
        check: 'type-error',
        loc,
        message: `${opName} is not defined on ${this.type.toString()}`,
        help: `convert with ${kinds.map((k) => ({ uint: 'asUInt()', sint: 'asSInt()', bits: 'asBits()', bool: 'asBool()' })[k]).join(' or ')} first`,
      });
    }
  }

  private make<R extends GroundKind>(type: GroundType<R>, op: OpName, args: ExprNode[], loc: SourceLoc, extra: Partial<ExprNode> = {}): Sig<R> {
    return new Sig(type, node(op, type.width, type.signed, args, loc, extra));
  }

  private binary(op: OpName, other: GroundLike, kinds: readonly GroundKind[] | null): Sig<K> {
    const loc = captureLoc();
    if (kinds) this.requireKinds(kinds, op, loc);
    const b = this.operand(other, op, loc);
    return this.make(this.type, op, [this.node, b.node], loc);
  }

  // ---- bitwise -----------------------------------------------------------------------------
  and(other: GroundLike): Sig<K> {
    return this.binary('and', other, null);
  }
  or(other: GroundLike): Sig<K> {
    return this.binary('or', other, null);
  }
  xor(other: GroundLike): Sig<K> {
    return this.binary('xor', other, null);
  }
  not(): Sig<K> {
    const loc = captureLoc();
    return this.make(this.type, 'not', [this.node], loc);
  }

  // ---- arithmetic: wrap keeps the width, Expand grows it ------------------------------------
  add(other: GroundLike): Sig<K> {
    return this.binary('add', other, arithmeticKinds);
  }
  sub(other: GroundLike): Sig<K> {
    return this.binary('sub', other, arithmeticKinds);
  }
  /** Low `width` bits of the product (same for signed and unsigned). */
  mul(other: GroundLike): Sig<K> {
    return this.binary('mul', other, arithmeticKinds);
  }
  addExpand(other: GroundLike): Sig<K> {
    const loc = captureLoc();
    this.requireKinds(arithmeticKinds, 'addExpand', loc);
    const b = this.expandOperand(other, 'addExpand', loc);
    const w = Math.max(this.width, b.width) + 1;
    return this.extendTo(w, loc).binaryAt('add', b.extendTo(w, loc), loc);
  }
  subExpand(other: GroundLike): Sig<K> {
    const loc = captureLoc();
    this.requireKinds(arithmeticKinds, 'subExpand', loc);
    const b = this.expandOperand(other, 'subExpand', loc);
    const w = Math.max(this.width, b.width) + 1;
    return this.extendTo(w, loc).binaryAt('sub', b.extendTo(w, loc), loc);
  }
  /** Full product: width = sum of the operand widths. */
  mulExpand(other: GroundLike): Sig<K> {
    const loc = captureLoc();
    this.requireKinds(arithmeticKinds, 'mulExpand', loc);
    const b = this.expandOperand(other, 'mulExpand', loc);
    const w = this.width + b.width;
    return this.extendTo(w, loc).binaryAt('mul', b.extendTo(w, loc), loc);
  }
  neg(): Sig<K> {
    const loc = captureLoc();
    this.requireKinds(['sint'], 'neg', loc);
    return this.make(this.type, 'neg', [this.node], loc);
  }
  negExpand(): Sig<K> {
    const loc = captureLoc();
    this.requireKinds(['sint'], 'negExpand', loc);
    const e = this.extendTo(this.width + 1, loc);
    return e.make(e.type, 'neg', [e.node], loc);
  }

  /** Expanding operators accept different widths of the same kind (extension is lossless). */
  private expandOperand(other: GroundLike, opName: string, loc: SourceLoc): Sig<K> {
    if (other instanceof Sig) {
      if (other.type.kind !== this.type.kind) {
        fail({
          check: 'type-error',
          loc,
          message: `${opName}: operands have different kinds, ${this.type.toString()} and ${other.type.toString()}`,
          help: 'convert one side explicitly with asUInt() or asSInt()',
        });
      }
      return other as Sig<K>;
    }
    const v = literalValue(other, loc);
    if (v < 0n && this.type.kind !== 'sint') {
      fail({ check: 'width-mismatch', loc, message: `${opName}: literal ${v} does not fit ${this.type.toString()} (unsigned)`, help: 'use a non-negative literal, or convert the operand with asSInt()' });
    }
    let w = 1;
    while (encodeLiteral(v, this.type.kind, w) === null) w++;
    return litAt(v, new GroundType(this.type.kind, w), loc);
  }

  private binaryAt(op: OpName, b: Sig<K>, loc: SourceLoc): Sig<K> {
    return this.make(this.type, op, [this.node, b.node], loc);
  }

  private extendTo(w: number, loc: SourceLoc): Sig<K> {
    if (w === this.width) return this;
    const type = new GroundType(this.type.kind, w);
    return this.make(type, this.type.signed ? 'sext' : 'zext', [this.node], loc);
  }

  // ---- comparison ----------------------------------------------------------------------------
  private compare(op: OpName, other: GroundLike, ordered: boolean): Sig<'bool'> {
    const loc = captureLoc();
    if (ordered) this.requireKinds(arithmeticKinds, op, loc);
    const b = this.operand(other, op, loc);
    return this.make(Bool(), op, [this.node, b.node], loc, { signedOp: this.type.signed });
  }
  eq(other: GroundLike): Sig<'bool'> {
    return this.compare('eq', other, false);
  }
  ne(other: GroundLike): Sig<'bool'> {
    return this.compare('ne', other, false);
  }
  lt(other: GroundLike): Sig<'bool'> {
    return this.compare('lt', other, true);
  }
  le(other: GroundLike): Sig<'bool'> {
    return this.compare('le', other, true);
  }
  gt(other: GroundLike): Sig<'bool'> {
    return this.compare('gt', other, true);
  }
  ge(other: GroundLike): Sig<'bool'> {
    return this.compare('ge', other, true);
  }

  // ---- shifts ---------------------------------------------------------------------------------
  private shiftAmount(n: number, opName: string, loc: SourceLoc): number {
    if (!Number.isInteger(n) || n < 0) {
      fail({ check: 'type-error', loc, message: `${opName}: shift amount must be a non-negative integer, got ${n}`, help: 'pass a whole number of bits, or a UInt signal for a dynamic shift' });
    }
    return n;
  }
  /** Left shift keeping the width (bits shifted out are lost); a UInt amount shifts dynamically. */
  shl(amount: number | Sig<'uint'>): Sig<K> {
    const loc = captureLoc();
    if (amount instanceof Sig) return this.dynamicShift('dshl', amount, loc);
    return this.make(this.type, 'shl', [this.node], loc, { amount: this.shiftAmount(amount, 'shl', loc) });
  }
  /** Left shift growing the width by `n`. */
  shlExpand(n: number): Sig<K extends 'bool' ? 'uint' : K> {
    const loc = captureLoc();
    this.shiftAmount(n, 'shlExpand', loc);
    if (n === 0) return this as never;
    const type = new GroundType(this.type.kind === 'bool' ? 'uint' : this.type.kind, this.width + n);
    const zeros = node('const', n, false, [], loc, { value: 0n });
    return this.make(type, 'concat', [this.node, zeros], loc) as never;
  }
  /** Right shift keeping the width: arithmetic for SInt, logical otherwise. */
  shr(amount: number | Sig<'uint'>): Sig<K> {
    const loc = captureLoc();
    if (amount instanceof Sig) return this.dynamicShift('dshr', amount, loc);
    return this.make(this.type, 'shr', [this.node], loc, { amount: this.shiftAmount(amount, 'shr', loc), signedOp: this.type.signed });
  }
  private dynamicShift(op: 'dshl' | 'dshr', amount: Sig, loc: SourceLoc): Sig<K> {
    if (amount.type.kind !== 'uint') {
      fail({ check: 'type-error', loc, message: `${op === 'dshl' ? 'shl' : 'shr'}: a dynamic shift amount must be UInt, got ${amount.type.toString()}`, help: 'convert the amount with asUInt()' });
    }
    return this.make(this.type, op, [this.node, amount.node], loc, op === 'dshr' ? { signedOp: this.type.signed } : {});
  }

  // ---- reductions -----------------------------------------------------------------------------
  andR(): Sig<'bool'> {
    return this.make(Bool(), 'andr', [this.node], captureLoc());
  }
  orR(): Sig<'bool'> {
    return this.make(Bool(), 'orr', [this.node], captureLoc());
  }
  xorR(): Sig<'bool'> {
    return this.make(Bool(), 'xorr', [this.node], captureLoc());
  }

  // ---- bit selection and width changes -----------------------------------------------------------
  /** Bits hi..lo inclusive (Verilog order). SInt slices are UInt: the bits of a signed number are not signed. */
  slice(hi: number, lo: number): Sig<K extends 'sint' ? 'uint' : K extends 'bool' ? 'bool' : K> {
    const loc = captureLoc();
    return this.sliceAt(hi, lo, loc) as never;
  }
  private sliceAt(hi: number, lo: number, loc: SourceLoc): Sig {
    if (!Number.isInteger(hi) || !Number.isInteger(lo) || lo < 0 || hi < lo || hi >= this.width) {
      fail({
        check: 'width-mismatch',
        loc,
        message: `slice(${hi}, ${lo}) is out of range for ${this.type.toString()}`,
        help: `use 0 <= lo <= hi <= ${this.width - 1}`,
      });
    }
    const kind: GroundKind = this.type.kind === 'sint' ? 'uint' : this.type.kind;
    const w = hi - lo + 1;
    if (lo === 0 && w === this.width && kind === this.type.kind) return this;
    return this.make(new GroundType(kind, w), 'slice', [this.node], loc, { lo });
  }
  bit(i: number): Sig<'bool'> {
    const loc = captureLoc();
    if (!Number.isInteger(i) || i < 0 || i >= this.width) {
      fail({ check: 'width-mismatch', loc, message: `bit(${i}) is out of range for ${this.type.toString()}`, help: `use 0 <= i <= ${this.width - 1}` });
    }
    const s = this.sliceAt(i, i, loc);
    return new Sig(Bool(), s === this ? this.node : { ...s.node, signed: false });
  }
  /** The low `w` bits, same kind: the explicit way to drop high bits. */
  trunc(w: number): Sig<K> {
    const loc = captureLoc();
    if (!Number.isInteger(w) || w < 1 || w > this.width) {
      fail({ check: 'width-mismatch', loc, message: `trunc(${w}) needs 1 <= width <= ${this.width} for ${this.type.toString()}`, help: w > this.width ? 'use zext()/sext()/resize() to widen' : 'keep at least one bit' });
    }
    if (w === this.width) return this;
    return this.make(new GroundType(this.type.kind, w), 'slice', [this.node], loc, { lo: 0 });
  }
  /** Zero-extend to `w` bits (w >= width). */
  zext(w: number): Sig<K> {
    const loc = captureLoc();
    return this.widen('zext', w, loc, 'zext');
  }
  /** Sign-extend to `w` bits (w >= width). */
  sext(w: number): Sig<K> {
    const loc = captureLoc();
    return this.widen('sext', w, loc, 'sext');
  }
  signExtend(w: number): Sig<K> {
    const loc = captureLoc();
    return this.widen('sext', w, loc, 'signExtend');
  }
  private widen(op: 'zext' | 'sext', w: number, loc: SourceLoc, method: string): Sig<K> {
    if (!Number.isInteger(w) || w < 1) {
      fail({ check: 'type-error', loc, message: `${method}(${w}) needs a whole number of bits`, help: 'pass the new width as a positive integer' });
    }
    if (w < this.width) {
      fail({ check: 'width-mismatch', loc, message: `${method}(${w}) cannot narrow ${this.type.toString()}`, help: 'use trunc() to drop bits explicitly' });
    }
    if (w === this.width) return this;
    const kind = this.type.kind === 'bool' ? 'uint' : this.type.kind;
    return this.make(new GroundType(kind, w), op, [this.node], loc) as Sig<K>;
  }
  /** Explicit width change in either direction: sign-extends SInt, zero-extends others, truncates when narrowing. */
  resize(w: number): Sig<K> {
    const loc = captureLoc();
    if (!Number.isInteger(w) || w < 1) {
      fail({ check: 'width-mismatch', loc, message: `resize(${w}) needs a positive width`, help: 'pass the number of bits to keep' });
    }
    if (w === this.width) return this;
    if (w < this.width) return this.make(new GroundType(this.type.kind, w), 'slice', [this.node], loc, { lo: 0 });
    return this.widen(this.type.signed ? 'sext' : 'zext', w, loc, 'resize');
  }

  // ---- reinterpreting casts (same bits) -----------------------------------------------------------
  asUInt(): Sig<'uint'> {
    return this.retype(UInt(this.width));
  }
  asSInt(): Sig<'sint'> {
    return this.retype(SInt(this.width));
  }
  asBits(): Sig<'bits'> {
    return this.retype(Bits(this.width));
  }
  asBool(): Sig<'bool'> {
    const loc = captureLoc();
    if (this.width !== 1) {
      fail({ check: 'width-mismatch', loc, message: `asBool() needs a 1-bit value, got ${this.type.toString()}`, help: 'use orR() for "any bit set", or ne(0)' });
    }
    return this.retype(Bool());
  }
  private retype<R extends GroundKind>(t: GroundType<R>): Sig<R> {
    return new Sig(t, { ...this.node, signed: t.signed });
  }
}

/** Concatenation, first argument in the most significant bits (like Verilog `{a, b}`). */
export function cat(...parts: Sig[]): Sig<'uint'> {
  const loc = captureLoc();
  if (parts.length === 0) fail({ check: 'api-misuse', loc, message: 'cat() needs at least one operand', help: 'pass the values to concatenate, most significant first' });
  const w = parts.reduce((s, p) => s + p.width, 0);
  if (parts.length === 1) return parts[0].asUInt();
  return new Sig(UInt(w), node('concat', w, false, parts.map((p) => p.node), loc));
}

/** `n` copies of `s`, concatenated. */
export function replicate(s: Sig, n: number): Sig<'uint'> {
  const loc = captureLoc();
  if (!Number.isInteger(n) || n < 1) fail({ check: 'api-misuse', loc, message: `replicate needs a positive count, got ${n}`, help: 'pass how many copies to make' });
  if (n === 1) return s.asUInt();
  return new Sig(UInt(s.width * n), node('concat', s.width * n, false, Array(n).fill(s.node), loc));
}

/** `cond ? whenTrue : whenFalse`; both arms must have the same type. Literal arms take the other arm's type. */
export function mux<K extends GroundKind>(cond: Sig, whenTrue: Sig<K> | Literal, whenFalse: Sig<K> | Literal): Sig<K> {
  const loc = captureLoc();
  const c = asCondition(cond, 'mux', loc);
  const [t, f] = unifyArms(whenTrue, whenFalse, loc);
  return new Sig(t.type, node('mux', t.width, t.type.signed, [c.node, t.node, f.node], loc)) as Sig<K>;
}

function unifyArms<K extends GroundKind>(a: Sig<K> | Literal, b: Sig<K> | Literal, loc: SourceLoc): [Sig<K>, Sig<K>] {
  if (!(a instanceof Sig) && !(b instanceof Sig)) {
    fail({ check: 'type-error', loc, message: 'mux: at least one arm must be a hardware value to give the result a type', help: 'wrap one arm with lit(value, UInt(w))' });
  }
  const ta = a instanceof Sig ? a : litAt(a, (b as Sig<K>).type, loc);
  const tb = b instanceof Sig ? b : litAt(b, ta.type, loc);
  if (ta.type.toString() !== tb.type.toString()) {
    fail({
      check: ta.type.kind === tb.type.kind ? 'width-mismatch' : 'type-error',
      loc,
      message: `mux arms have different types, ${ta.type.toString()} and ${tb.type.toString()}`,
      help: 'convert one arm so both have the same kind and width',
    });
  }
  return [ta, tb];
}

/** Conditions are 1-bit values (Bool, or 1-bit UInt/Bits). */
export function asCondition(c: Sig | boolean, where: string, loc: SourceLoc): Sig {
  if (typeof c === 'boolean') return litAt(c, Bool(), loc);
  if (!(c instanceof Sig) || c.width !== 1 || c.type.kind === 'sint') {
    fail({
      check: 'width-mismatch',
      loc,
      message: `${where}: condition must be a Bool, got ${c instanceof Sig ? c.type.toString() : typeof c}`,
      help: 'reduce it to one bit, e.g. x.ne(0) or x.orR()',
    });
  }
  return c;
}

/**
 * Selects one of several ground values by index: a balanced mux tree over the index bits (depth
 * log2 of the element count). Out-of-range indices give the last element.
 */
export function selectByIndex<K extends GroundKind>(values: readonly Sig<K>[], index: Sig<'uint'>, loc: SourceLoc): Sig<K> {
  if (!(index instanceof Sig) || index.type.kind !== 'uint') {
    fail({ check: 'type-error', loc, message: `a dynamic index must be UInt, got ${index instanceof Sig ? index.type.toString() : typeof index}`, help: 'convert the index with asUInt()' });
  }
  // Elements beyond what the index can address are unreachable.
  const reachable = index.width >= 31 ? values.length : Math.min(values.length, 2 ** index.width);
  const last = values[reachable - 1];
  if (reachable === 1) return last;
  const bits = Math.ceil(Math.log2(reachable));
  const bit = (b: number) => node('slice', 1, false, [index.node], loc, { lo: b });
  const mux2 = (sel: ExprNode, one: Sig<K>, zero: Sig<K>) => (one === zero ? one : new Sig(one.type, node('mux', one.width, one.type.signed, [sel, one.node, zero.node], loc)));
  // Level 0 pairs elements by index bit 0; indices past the end select the last element.
  let level: Sig<K>[] = Array.from({ length: 2 ** bits }, (_, i) => (i < reachable ? values[i] : last));
  for (let b = 0; b < bits; b++) {
    const sel = bit(b);
    level = Array.from({ length: level.length / 2 }, (_, k) => mux2(sel, level[2 * k + 1], level[2 * k]));
  }
  let out = level[0];
  if (index.width > bits) {
    // Index bits above the tree: any of them set means out of range.
    const high = node('orr', 1, false, [node('slice', index.width - bits, false, [index.node], loc, { lo: bits })], loc);
    out = mux2(high, last, out);
  }
  return out;
}

export function refNode(ref: Referable, loc: SourceLoc): ExprNode {
  return node('ref', ref.type.width, ref.type instanceof GroundType ? ref.type.signed : false, [], loc, { ref });
}

/** A slice of a node with the given ground type (used by vector/bundle views). */
export function sliceNode(base: ExprNode, type: GroundType, lo: number, loc: SourceLoc): ExprNode {
  if (lo === 0 && type.width === base.width) return { ...base, signed: type.signed };
  return node('slice', type.width, type.signed, [base], loc, { lo });
}

export { VecType, BundleType };
