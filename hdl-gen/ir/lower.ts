import type { Diagnostic } from '../core/diagnostics.ts';
import type { ExprNode } from '../core/expr.ts';
import type { Decl, ModuleAst, Stmt } from '../core/module.ts';
import type { SourceLoc } from '../core/source-location.ts';
import { GroundType } from '../core/types.ts';
import type { IrConnection, IrInstance, IrMemory, IrModule, IrNode, IrOp, IrPort } from './ir.ts';

/**
 * Lowers one module's front-end AST to the netlist IR: declarations become source/wire nodes,
 * expressions are hash-consed, and `when` blocks are expanded into mux chains (last assignment in
 * program order wins). Two assignments to the same bits in the same block are reported as
 * multiple drivers; bits left without a driver become `undriven` placeholders for the checks.
 */
export interface LowerResult {
  readonly module: IrModule;
  readonly diagnostics: Diagnostic[];
}

const UNDRIVEN = -1;

interface Segment {
  readonly lo: number;
  readonly width: number;
  /** Node id supplying the bits, or UNDRIVEN. */
  readonly src: number;
  readonly srcLo: number;
}

/**
 * What each declaration is driven by so far in a block. A `when` branch gets an overlay on its
 * parent's state (copy-on-write), so lowering costs O(assignments), not O(whens x signals).
 */
class State {
  private readonly own = new Map<Decl, readonly Segment[]>();
  constructor(private readonly parent: State | null = null) {}
  get(d: Decl): readonly Segment[] | undefined {
    for (let s: State | null = this; s; s = s.parent) {
      const v = s.own.get(d);
      if (v) return v;
    }
    return undefined;
  }
  set(d: Decl, segments: readonly Segment[]): void {
    this.own.set(d, segments);
  }
}
type Assigned = Map<Decl, { lo: number; width: number; loc: SourceLoc }[]>;

export function lowerModule(ast: ModuleAst): LowerResult {
  return new Lowering(ast).run();
}

class Lowering {
  private readonly nodes: IrNode[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly declNode = new Map<Decl, number>();
  private readonly exprMemo = new Map<ExprNode, number>();
  private readonly structMemo = new Map<string, number>();
  private readonly memories: IrMemory[];
  private readonly instances: IrInstance[] = [];
  private readonly ownDecls: Set<Decl>;
  private readonly assignedAnywhere = new Set<Decl>();
  private readonly lastConnect = new Map<Decl, SourceLoc>();

  constructor(private readonly ast: ModuleAst) {
    this.ownDecls = new Set(ast.decls);
    this.memories = ast.memories.map((m) => ({ name: m.name, width: m.width, depth: m.depth, init: m.init, writes: [], loc: m.loc }));
  }

  run(): LowerResult {
    const ast = this.ast;
    for (const d of ast.decls) this.declNode.set(d, this.declare(d));
    const state = new State();
    this.block(ast.body, state, []);
    this.finishDrivers(state);
    this.lowerReadPorts();
    const ports: IrPort[] = ast.ports.map((d) => ({
      name: d.name,
      dir: d.declKind === 'input' ? 'input' : 'output',
      width: d.type.width,
      signed: isSigned(d),
      node: this.declNode.get(d)!,
      role: d.extra.role,
      loc: d.loc,
    }));
    for (const inst of ast.instances) {
      const connections: IrConnection[] = inst.clockBindings.map((b) => ({ port: b.port, dir: 'input', node: this.declNode.get(b.decl)! }));
      for (const p of inst.ports) connections.push({ port: p.extra.port!, dir: p.declKind === 'instance-input' ? 'input' : 'output', node: this.declNode.get(p)! });
      this.instances.push({ name: inst.name, module: inst.moduleName, blackbox: inst.blackbox !== null, svParams: inst.svParams, connections, loc: inst.loc });
    }
    const domains = ast.domains.map((d) => ({
      name: d.name,
      clock: this.declNode.get(d.clock)!,
      reset: d.reset ? this.declNode.get(d.reset)! : null,
      resetKind: d.resetKind,
      resetActiveLow: d.resetActiveLow,
    }));
    const module: IrModule = { name: ast.name, params: ast.params as Readonly<Record<string, unknown>>, loc: ast.loc, ports, nodes: this.nodes, domains, memories: this.memories, instances: this.instances };
    return { module, diagnostics: this.diagnostics };
  }

  // ---- nodes ------------------------------------------------------------------------------
  private add(n: Omit<IrNode, 'id'>): number {
    const id = this.nodes.length;
    this.nodes.push({ ...n, id } as IrNode);
    return id;
  }

  private declare(d: Decl): number {
    const base = { width: d.type.width, signed: isSigned(d), args: [] as number[], name: d.name, loc: d.loc };
    switch (d.declKind) {
      case 'input':
        return this.add({ ...base, op: 'input', portDir: 'input', role: d.extra.role });
      case 'output':
        return this.add({ ...base, op: 'wire', portDir: 'output' });
      case 'wire':
        return this.add({ ...base, op: 'wire' });
      case 'reg':
        return this.add({ ...base, op: 'reg', domain: this.ast.domains.indexOf(d.extra.domain!), init: d.extra.init ?? null });
      case 'memread':
        return this.add({
          ...base,
          op: 'memread',
          memory: this.ast.memories.indexOf(d.extra.memory!),
          sync: d.extra.sync,
          domain: d.extra.domain ? this.ast.domains.indexOf(d.extra.domain) : undefined,
        });
      case 'instance-input':
        return this.add({ ...base, op: 'wire', instance: this.ast.instances.indexOf(d.extra.instance!), port: d.extra.port });
      case 'instance-output':
        return this.add({ ...base, op: 'instout', instance: this.ast.instances.indexOf(d.extra.instance!), port: d.extra.port });
    }
  }

  /** Hash-consed operator node. */
  private op(op: IrOp, width: number, signed: boolean, args: number[], loc: SourceLoc, extra: { value?: bigint; lo?: number; amount?: number; signedOp?: boolean } = {}): number {
    const key = `${op}|${width}|${signed ? 1 : 0}|${extra.signedOp ? 1 : 0}|${extra.value ?? ''}|${extra.lo ?? ''}|${extra.amount ?? ''}|${args.join(',')}`;
    const hit = this.structMemo.get(key);
    if (hit !== undefined) return hit;
    const id = this.add({ op, width, signed, args, loc, ...extra });
    this.structMemo.set(key, id);
    return id;
  }

  /** Lowers an expression; `useLoc` is where it is used (the enclosing operator or statement). */
  private expr(e: ExprNode, useLoc: SourceLoc = e.loc): number {
    const memo = this.exprMemo.get(e);
    if (memo !== undefined) return memo;
    let id: number;
    if (e.op === 'ref') {
      const d = e.ref as Decl;
      if (!this.ownDecls.has(d)) {
        this.diagnostics.push({
          check: 'multiple-drivers',
          loc: useLoc,
          message: `'${d.name}' belongs to module '${d.owner.name}' and cannot be used in '${this.ast.name}'`,
          related: [{ loc: d.loc, note: `'${d.name}' is declared here` }],
          help: 'pass the value through a port of the instance',
        });
        id = this.op('const', e.width, e.signed, [], e.loc, { value: 0n });
      } else {
        id = this.declNode.get(d)!;
      }
    } else {
      const args = e.args.map((a) => this.expr(a, e.loc));
      id = this.op(e.op as IrOp, e.width, e.signed, args, e.loc, { value: e.value, lo: e.lo, amount: e.amount, signedOp: e.signedOp });
    }
    this.exprMemo.set(e, id);
    return id;
  }

  // ---- when expansion -------------------------------------------------------------------------
  private initial(d: Decl): readonly Segment[] {
    const self = this.declNode.get(d)!;
    return [{ lo: 0, width: d.type.width, src: d.declKind === 'reg' ? self : UNDRIVEN, srcLo: 0 }];
  }

  private segments(state: State, d: Decl): readonly Segment[] {
    return state.get(d) ?? this.initial(d);
  }

  private block(stmts: readonly Stmt[], state: State, path: number[]): Assigned {
    const assigned: Assigned = new Map();
    const record = (d: Decl, lo: number, width: number, loc: SourceLoc) => {
      const list = assigned.get(d) ?? [];
      list.push({ lo, width, loc });
      assigned.set(d, list);
    };
    for (const s of stmts) {
      if (s.kind === 'connect') {
        const clash = (assigned.get(s.decl) ?? []).find((a) => a.lo < s.lo + s.width && s.lo < a.lo + a.width);
        if (clash) {
          this.diagnostics.push({
            check: 'multiple-drivers',
            loc: s.loc,
            message: `'${s.decl.name}'${rangeText(s.decl, s.lo, s.width)} is driven twice in the same block`,
            related: [{ loc: clash.loc, note: 'first driven here' }],
            help: 'keep one assignment, or make the later one conditional with m.when(...)',
          });
        }
        this.assignedAnywhere.add(s.decl);
        this.lastConnect.set(s.decl, s.loc);
        const value = this.expr(s.value, s.loc);
        state.set(s.decl, write(this.segments(state, s.decl), { lo: s.lo, width: s.width, src: value, srcLo: 0 }));
        record(s.decl, s.lo, s.width, s.loc);
      } else if (s.kind === 'when') {
        const c = this.expr(s.cond, s.loc);
        const notC = this.op('not', 1, false, [c], s.loc);
        const thenState = new State(state);
        const elseState = new State(state);
        const a1 = this.block(s.then, thenState, [...path, c]);
        const a2 = this.block(s.else, elseState, [...path, notC]);
        const touched = new Set<Decl>([...a1.keys(), ...a2.keys()]);
        for (const d of [...touched].sort((x, y) => this.declNode.get(x)! - this.declNode.get(y)!)) {
          state.set(d, this.merge(d, c, this.segments(thenState, d), this.segments(elseState, d), s.loc));
        }
        for (const a of [a1, a2]) for (const [d, list] of a) for (const r of list) record(d, r.lo, r.width, r.loc);
      } else {
        const mi = this.ast.memories.indexOf(s.memory);
        const w = s.write;
        let en: number | null = null;
        for (const p of path) en = en === null ? p : this.op('and', 1, false, [en, p], w.loc);
        const enable = en ?? this.op('const', 1, false, [], w.loc, { value: 1n });
        this.memories[mi].writes.push({ domain: this.ast.domains.indexOf(w.domain), addr: this.expr(w.addr, w.loc), data: this.expr(w.data, w.loc), enable, loc: w.loc });
      }
    }
    return assigned;
  }

  private merge(d: Decl, cond: number, t: readonly Segment[], e: readonly Segment[], whenLoc: SourceLoc): Segment[] {
    const cuts = [...new Set([...t, ...e].flatMap((s) => [s.lo, s.lo + s.width]))].sort((a, b) => a - b);
    const out: Segment[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const lo = cuts[i];
      const width = cuts[i + 1] - lo;
      const a = pieceOf(t, lo, width);
      const b = pieceOf(e, lo, width);
      if (a.src === b.src && a.srcLo === b.srcLo) {
        out.push(a);
        continue;
      }
      const target = this.declNode.get(d)!;
      const hole = () => this.add({ op: 'undriven', width, signed: false, args: [], loc: d.loc, undriven: { reason: 'partial', target, whenLoc } });
      const av = a.src === UNDRIVEN ? hole() : this.sliceOf(a);
      const bv = b.src === UNDRIVEN ? hole() : this.sliceOf(b);
      out.push({ lo, width, src: this.op('mux', width, false, [cond, av, bv], whenLoc), srcLo: 0 });
    }
    return coalesce(out);
  }

  private sliceOf(s: Segment): number {
    const n = this.nodes[s.src];
    if (s.srcLo === 0 && s.width === n.width) return s.src;
    return this.op('slice', s.width, false, [s.src], n.loc, { lo: s.srcLo });
  }

  private finishDrivers(state: State): void {
    for (const d of this.ast.decls) {
      const kind = d.declKind;
      if (kind !== 'output' && kind !== 'wire' && kind !== 'reg' && kind !== 'instance-input') continue;
      const id = this.declNode.get(d)!;
      const segs = this.segments(state, d);
      const parts = [...segs].reverse().map((s) =>
        s.src === UNDRIVEN
          ? this.add({ op: 'undriven', width: s.width, signed: false, args: [], loc: d.loc, undriven: { reason: 'never', target: id } })
          : this.sliceOf(s),
      );
      let driver = parts.length === 1 ? parts[0] : this.op('concat', d.type.width, false, parts, d.loc);
      if (kind === 'reg' && !this.assignedAnywhere.has(d)) {
        driver = this.add({ op: 'undriven', width: d.type.width, signed: false, args: [], loc: d.loc, undriven: { reason: 'never', target: id } });
      }
      if (kind === 'reg' && d.extra.enable) driver = this.op('mux', d.type.width, false, [this.expr(d.extra.enable), driver, id], d.loc);
      this.nodes[id].args = [driver];
      this.nodes[id].driverLoc = this.lastConnect.get(d);
    }
  }

  private lowerReadPorts(): void {
    for (const d of this.ast.decls) {
      if (d.declKind !== 'memread') continue;
      const id = this.declNode.get(d)!;
      const args = [this.expr(d.extra.addr!)];
      if (d.extra.readEnable) args.push(this.expr(d.extra.readEnable));
      this.nodes[id].args = args;
    }
  }
}

function isSigned(d: Decl): boolean {
  return d.type instanceof GroundType && d.type.signed;
}

function rangeText(d: Decl, lo: number, width: number): string {
  if (lo === 0 && width === d.type.width) return '';
  return width === 1 ? ` bit ${lo}` : ` bits ${lo + width - 1}..${lo}`;
}

/** Replaces bits [w.lo, w.lo+w.width) of a segment list. */
function write(segs: readonly Segment[], w: Segment): Segment[] {
  const out: Segment[] = [];
  for (const s of segs) {
    const end = s.lo + s.width;
    if (end <= w.lo || s.lo >= w.lo + w.width) {
      out.push(s);
      continue;
    }
    if (s.lo < w.lo) out.push({ lo: s.lo, width: w.lo - s.lo, src: s.src, srcLo: s.srcLo });
    if (end > w.lo + w.width) out.push({ lo: w.lo + w.width, width: end - (w.lo + w.width), src: s.src, srcLo: s.srcLo + (w.lo + w.width - s.lo) });
  }
  out.push(w);
  return out.sort((a, b) => a.lo - b.lo);
}

function pieceOf(segs: readonly Segment[], lo: number, width: number): Segment {
  const s = segs.find((x) => x.lo <= lo && lo < x.lo + x.width)!;
  return { lo, width, src: s.src, srcLo: s.src === UNDRIVEN ? 0 : s.srcLo + (lo - s.lo) };
}

/** Joins neighbouring pieces that continue the same source. */
function coalesce(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segs) {
    const p = out[out.length - 1];
    if (p && p.src === s.src && (s.src === UNDRIVEN || p.srcLo + p.width === s.srcLo) && p.lo + p.width === s.lo) {
      out[out.length - 1] = { lo: p.lo, width: p.width + s.width, src: p.src, srcLo: p.srcLo };
    } else out.push(s);
  }
  return out;
}

