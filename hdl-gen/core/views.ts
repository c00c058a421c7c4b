import { fail } from './diagnostics.ts';
import { Sig, literalAt, refNode, selectByIndex, sliceNode, type ExprNode, type Literal, type Referable } from './expr.ts';
import { captureLoc, type SourceLoc } from './source-location.ts';
import { BundleType, GroundType, VecType, type BundleFields, type GroundKind, type HwType } from './types.ts';

/**
 * Typed views over declarations. Every declaration is one flat bit vector; a view knows the bit
 * range it covers and, when the declaration is drivable, how to assign to that range.
 */

/** Where an assignment lands: a bit range of a declaration, or one of several ranges chosen by a dynamic index. */
export type LValue =
  | { readonly kind: 'static'; readonly decl: Referable; readonly lo: number; readonly width: number }
  | { readonly kind: 'dynamic'; readonly index: Sig<'uint'>; readonly choices: readonly LValue[] };

/** Implemented by the module builder: records an assignment in the current `when` block. */
export interface AssignSink {
  assign(target: LValue, value: ExprNode, loc: SourceLoc): void;
  assignDynamic(index: Sig<'uint'>, choices: readonly LValue[], value: ExprNode, loc: SourceLoc): void;
}

export type View<T extends HwType> =
  T extends GroundType<infer K> ? Signal<K> : T extends VecType<infer E> ? VecView<E> : T extends BundleType<infer F> ? BundleView<F> : never;

export type Assignable<T extends HwType> = T extends GroundType<infer K> ? Sig<K> | Literal : View<T>;

/** A ground value that may also be assigned with `set` (ports, wires, registers, instance inputs). */
export class Signal<K extends GroundKind = GroundKind> extends Sig<K> {
  constructor(
    type: GroundType<K>,
    node: ExprNode,
    private readonly lvalue: LValue | null,
    private readonly sink: AssignSink | null,
    private readonly describe: string,
  ) {
    super(type, node);
  }

  /** Drives this signal (last assignment in program order wins inside nested `when` blocks). */
  set(value: Sig<K> | Literal): void {
    const loc = captureLoc();
    assignTo(this.lvalue, this.sink, this.describe, this.type, value, loc);
  }

  /** The target of `set`, for library helpers. */
  get target(): LValue | null {
    return this.lvalue;
  }
}

function assignTo(lvalue: LValue | null, sink: AssignSink | null, describe: string, type: HwType, value: unknown, loc: SourceLoc): void {
  if (!lvalue || !sink) {
    fail({ check: 'multiple-drivers', loc, message: `${describe} cannot be assigned here`, help: 'assign a wire, register, output port or instance input instead' });
  }
  const node = valueNode(type, value, loc);
  if (lvalue.kind === 'dynamic') sink.assignDynamic(lvalue.index, lvalue.choices, node, loc);
  else sink.assign(lvalue, node, loc);
}

function valueNode(type: HwType, value: unknown, loc: SourceLoc): ExprNode {
  if (value instanceof Sig || value instanceof VecView || value instanceof BundleView) {
    const vt: HwType = value.type;
    if (vt.toString() !== type.toString()) {
      fail({
        check: vt.width === type.width ? 'type-error' : 'width-mismatch',
        loc,
        message: `cannot assign ${vt.toString()} to ${type.toString()}${vt.width > type.width ? ' (no silent truncation)' : vt.width < type.width ? ' (no implicit extension)' : ''}`,
        help: !(type instanceof GroundType) || !(value instanceof Sig)
          ? `build a value of type ${type.toString()} (assign element by element with at(i) or the bundle fields)`
          : vt.width > type.width
            ? `drop the extra bits explicitly with trunc(${type.width}) or resize(${type.width})`
            : vt.width < type.width
              ? `widen explicitly with zext(${type.width}), sext(${type.width}) or resize(${type.width})`
              : 'convert explicitly with asUInt(), asSInt(), asBits() or asBool()',
      });
    }
    return value.node;
  }
  if ((typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') && type instanceof GroundType) {
    return literalAt(value, type, loc).node;
  }
  fail({ check: 'type-error', loc, message: `cannot assign ${describeValue(value)} to ${type.toString()}`, help: 'assign a hardware value of the same type' });
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  return typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
}

/** A vector: flat storage, element i at bits [i*W +: W]. */
export class VecView<E extends HwType = HwType> {
  constructor(
    readonly type: VecType<E>,
    readonly node: ExprNode,
    private readonly lvalue: LValue | null,
    private readonly sink: AssignSink | null,
    private readonly describe: string,
  ) {}

  get length(): number {
    return this.type.length;
  }

  /** Element `i`; a UInt index selects dynamically (reads become a mux tree, writes a decoder). */
  at(i: number | Sig<'uint'>): View<E> {
    const loc = captureLoc();
    if (i instanceof Sig) return this.dynamicAt(i, loc);
    if (!Number.isInteger(i) || i < 0 || i >= this.type.length) {
      fail({ check: 'width-mismatch', loc, message: `index ${i} is out of range for ${this.type.toString()}`, help: `use an index from 0 to ${this.type.length - 1}` });
    }
    return this.element(i, loc);
  }

  private element(i: number, loc: SourceLoc): View<E> {
    const w = this.type.elem.width;
    return makeView(this.type.elem, subNode(this.node, this.type.elem, i * w, loc), subLValue(this.lvalue, i * w, w), this.sink, `${this.describe}[${i}]`) as View<E>;
  }

  private dynamicAt(index: Sig<'uint'>, loc: SourceLoc): View<E> {
    const elems = Array.from({ length: this.type.length }, (_, k) => this.element(k, loc));
    if (!(this.type.elem instanceof GroundType)) {
      fail({ check: 'api-misuse', loc, message: 'dynamic indexing is supported on vectors of ground types only', help: 'index with a number, or flatten the element with asBits()' });
    }
    const read = selectByIndex(elems as unknown as Sig[], index, loc);
    const lv: LValue | null = this.lvalue ? { kind: 'dynamic', index, choices: elems.map((e) => (e as unknown as Signal).target as LValue) } : null;
    return new Signal(this.type.elem as GroundType, read.node, lv, this.sink, `${this.describe}[${'dynamic'}]`) as unknown as View<E>;
  }

  /** All elements, index 0 first. */
  elements(): View<E>[] {
    const loc = captureLoc();
    return Array.from({ length: this.type.length }, (_, k) => this.element(k, loc));
  }

  asBits(): Sig<'bits'> {
    return new Sig(new GroundType('bits', this.type.width), { ...this.node, signed: false });
  }

  set(value: VecView<E>): void {
    assignTo(this.lvalue, this.sink, this.describe, this.type, value, captureLoc());
  }
}

/** A bundle: fields laid out from the LSB in declaration order. */
export class BundleView<F extends BundleFields = BundleFields> {
  readonly fields: { readonly [K in keyof F]: View<F[K]> };
  constructor(
    readonly type: BundleType<F>,
    readonly node: ExprNode,
    private readonly lvalue: LValue | null,
    private readonly sink: AssignSink | null,
    private readonly describe: string,
  ) {
    const loc = node.loc;
    const fields: Record<string, unknown> = {};
    for (const [k, t] of Object.entries(type.fields)) {
      const lo = type.offsets[k];
      fields[k] = makeView(t, subNode(node, t, lo, loc), subLValue(lvalue, lo, t.width), sink, `${describe}.${k}`);
    }
    this.fields = fields as never;
  }

  asBits(): Sig<'bits'> {
    return new Sig(new GroundType('bits', this.type.width), { ...this.node, signed: false });
  }

  set(value: BundleView<F>): void {
    assignTo(this.lvalue, this.sink, this.describe, this.type, value, captureLoc());
  }
}

function subNode(base: ExprNode, t: HwType, lo: number, loc: SourceLoc): ExprNode {
  const g = t instanceof GroundType ? t : new GroundType('bits', t.width);
  return sliceNode(base, g, lo, loc);
}

function subLValue(lv: LValue | null, lo: number, width: number): LValue | null {
  if (!lv || lv.kind !== 'static') return null;
  return { kind: 'static', decl: lv.decl, lo: lv.lo + lo, width };
}

export function makeView<T extends HwType>(type: T, node: ExprNode, lvalue: LValue | null, sink: AssignSink | null, describe: string): View<T> {
  if (type instanceof GroundType) return new Signal(type, node, lvalue, sink, describe) as View<T>;
  if (type instanceof VecType) return new VecView(type, node, lvalue, sink, describe) as View<T>;
  return new BundleView(type as BundleType, node, lvalue, sink, describe) as View<T>;
}

/** A view of a whole declaration. */
export function declView<T extends HwType>(decl: Referable, drivable: AssignSink | null, loc: SourceLoc): View<T> {
  const lv: LValue | null = drivable ? { kind: 'static', decl, lo: 0, width: decl.type.width } : null;
  return makeView(decl.type as T, refNode(decl, loc), lv, drivable, `${decl.declKind.replace('-', ' ')} '${decl.name}'`);
}
