import { fail } from './diagnostics.ts';
import { asCondition, encodeLiteral, lit, literalAt, refNode, Sig, type ExprNode, type Literal, type Referable } from './expr.ts';
import { captureLoc, formatLoc, type SourceLoc } from './source-location.ts';
import { Bool, GroundType, UInt, clog2, type GroundKind, type HwType } from './types.ts';
import { declView, type AssignSink, type LValue, type View, type Assignable } from './views.ts';

// ---------------------------------------------------------------------------------------------
// Port specifications and module definitions
// ---------------------------------------------------------------------------------------------

export interface PortSpec<T extends HwType = HwType> {
  readonly dir: 'input' | 'output';
  readonly type: T;
  readonly loc: SourceLoc;
}
export type IoSpec = Readonly<Record<string, PortSpec>>;
export type IoViews<S extends IoSpec> = { readonly [K in keyof S]: View<S[K]['type']> };

export const input = <T extends HwType>(type: T): PortSpec<T> => ({ dir: 'input', type, loc: captureLoc() });
export const output = <T extends HwType>(type: T): PortSpec<T> => ({ dir: 'output', type, loc: captureLoc() });

/** Parameters are plain TS values (numbers, strings, booleans, arrays and objects of those). */
export type Params = object;

export interface ModuleDef<P extends Params, S extends IoSpec> {
  readonly kind: 'module';
  readonly name: string;
  readonly io: (p: P) => S;
  readonly body: (m: ModuleBuilder, io: IoViews<S>, p: P) => void;
  /** The SV module name for given parameters (default: name plus a readable parameter suffix). */
  readonly moduleName?: (p: P) => string;
  readonly loc: SourceLoc;
}

export interface BlackboxDef<P extends Params, S extends IoSpec> {
  readonly kind: 'blackbox';
  readonly name: string;
  readonly io: (p: P) => S;
  /** SV parameter overrides written on the instance (`#(.NAME(value))`). */
  readonly svParams?: (p: P) => Readonly<Record<string, number | string>>;
  /** Path (relative to the project root) of the SV source copied next to the generated files. */
  readonly source?: string;
  /** Ports that take a clock of the instantiating module, mapped to a domain name ('sync' is the default domain). */
  readonly clocks?: Readonly<Record<string, string>>;
  readonly loc: SourceLoc;
}

export function defineModule<P extends Params, S extends IoSpec>(def: Omit<ModuleDef<P, S>, 'kind' | 'loc'>): ModuleDef<P, S> {
  return { ...def, kind: 'module', loc: captureLoc() };
}

export function defineBlackbox<P extends Params, S extends IoSpec>(def: Omit<BlackboxDef<P, S>, 'kind' | 'loc'>): BlackboxDef<P, S> {
  return { ...def, kind: 'blackbox', loc: captureLoc() };
}

// ---------------------------------------------------------------------------------------------
// Declarations (the front-end AST's named things)
// ---------------------------------------------------------------------------------------------

export interface ClockDomain {
  readonly name: string;
  readonly clock: Decl;
  readonly reset: Decl | null;
  readonly resetKind: 'sync' | 'async';
  readonly resetActiveLow: boolean;
  readonly loc: SourceLoc;
}

export class Decl implements Referable {
  constructor(
    readonly owner: ModuleBuilder,
    readonly declKind: Referable['declKind'],
    readonly name: string,
    readonly type: HwType,
    readonly loc: SourceLoc,
    readonly extra: DeclExtra = {},
  ) {}
}

export interface DeclExtra {
  /** Registers: clock domain and reset value (two's complement bits), null = no reset. */
  readonly domain?: ClockDomain;
  readonly init?: bigint | null;
  /** Register enable: when low the register holds. */
  readonly enable?: ExprNode;
  /** Ports: the role of a clock or reset port. */
  readonly role?: 'clock' | 'reset';
  /** Memory read ports. */
  readonly memory?: MemoryDecl;
  readonly addr?: ExprNode;
  readonly readEnable?: ExprNode;
  readonly sync?: boolean;
  /** Instance ports. */
  readonly instance?: InstanceDecl;
  readonly port?: string;
}

export interface MemoryWrite {
  readonly domain: ClockDomain;
  readonly addr: ExprNode;
  readonly data: ExprNode;
  /** The data is written when the `when` path condition holds. */
  readonly loc: SourceLoc;
}

export interface MemoryDecl {
  readonly name: string;
  readonly width: number;
  readonly depth: number;
  readonly init: readonly bigint[] | null;
  readonly loc: SourceLoc;
}

export interface InstanceDecl {
  readonly name: string;
  /** The SV module name of the child. */
  readonly moduleName: string;
  readonly blackbox: BlackboxDef<any, any> | null;
  readonly svParams: Readonly<Record<string, number | string>>;
  readonly ports: Decl[];
  /** Child clock/reset ports bound to parent domains: child port name -> parent decl. */
  readonly clockBindings: { readonly port: string; readonly decl: Decl }[];
  readonly loc: SourceLoc;
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

export type Stmt =
  | { readonly kind: 'connect'; readonly decl: Decl; readonly lo: number; readonly width: number; readonly value: ExprNode; readonly loc: SourceLoc }
  | { readonly kind: 'when'; readonly cond: ExprNode; readonly then: Stmt[]; readonly else: Stmt[]; readonly loc: SourceLoc }
  | { readonly kind: 'memwrite'; readonly memory: MemoryDecl; readonly write: MemoryWrite };

// ---------------------------------------------------------------------------------------------
// The builder handed to a module body
// ---------------------------------------------------------------------------------------------

/** The result of elaborating one module: its declarations and statement tree (the front-end AST). */
export interface ModuleAst {
  readonly name: string;
  readonly defName: string;
  readonly params: Params;
  readonly loc: SourceLoc;
  readonly decls: readonly Decl[];
  readonly ports: readonly Decl[];
  readonly body: readonly Stmt[];
  readonly domains: readonly ClockDomain[];
  readonly memories: readonly MemoryDecl[];
  readonly instances: readonly InstanceDecl[];
}

export interface ElaborationContext {
  readonly modules: Map<string, { ast: ModuleAst; def: ModuleDef<any, any>; paramsKey: string; firstUse: SourceLoc }>;
  readonly order: ModuleAst[];
  readonly blackboxes: Map<string, BlackboxDef<any, any>>;
  /** Modules being elaborated (to report recursive instantiation). */
  readonly stack: string[];
}

/** The modules whose bodies are running, innermost last: assignments land in the innermost one. */
const activeBuilders: ModuleBuilder[] = [];

export class ModuleBuilder implements AssignSink {
  readonly decls: Decl[] = [];
  readonly ports: Decl[] = [];
  readonly body: Stmt[] = [];
  readonly domains: ClockDomain[] = [];
  readonly memories: MemoryDecl[] = [];
  readonly instances: InstanceDecl[] = [];
  private blocks: Stmt[][] = [this.body];
  private defaultDomain: ClockDomain | null = null;
  private readonly writeDomains = new Map<MemoryDecl, { domain: ClockDomain; loc: SourceLoc }>();

  constructor(
    readonly name: string,
    readonly loc: SourceLoc,
    readonly ctx: ElaborationContext,
  ) {}

  // ---- declarations ------------------------------------------------------------------------
  private declare(kind: Referable['declKind'], name: string, type: HwType, loc: SourceLoc, extra: DeclExtra = {}): Decl {
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      fail({ check: 'name-collision', loc, message: `'${String(name)}' is not a valid signal name`, help: 'use letters, digits and underscores, starting with a letter' });
    }
    const d = new Decl(this, kind, name, type, loc, extra);
    this.decls.push(d);
    return d;
  }

  /** Adds a port (used by elaboration for the io spec, and by clock domains). */
  addPort(name: string, spec: PortSpec, extra: DeclExtra = {}): Decl {
    const d = this.declare(spec.dir, name, spec.type, spec.loc, extra);
    this.ports.push(d);
    return d;
  }

  /** A combinational signal; drive it with `set` (give it a default before conditional assignments). */
  wire<T extends HwType>(name: string, type: T): View<T> {
    const loc = captureLoc();
    return declView<T>(this.declare('wire', name, type, loc), this, loc);
  }

  /** Names a value: a wire driven by `value`. */
  let<K extends GroundKind>(name: string, value: Sig<K>): Sig<K> {
    const loc = captureLoc();
    const d = this.declare('wire', name, value.type, loc);
    this.assign({ kind: 'static', decl: d, lo: 0, width: d.type.width }, value.node, loc);
    return new Sig(value.type, refNode(d, loc));
  }

  /**
   * A register in `opts.domain` (default: the module's `clk`/`rst` domain). `init` is the reset
   * value (omit for no reset); `enable` makes it hold while low. Assign the next value with `set`.
   */
  reg<T extends HwType>(name: string, type: T, opts: { init?: Literal; domain?: ClockDomain; enable?: Sig } = {}): View<T> {
    const loc = captureLoc();
    const domain = opts.domain ?? this.clockDomain();
    let init: bigint | null = null;
    if (opts.init !== undefined) {
      const g = type instanceof GroundType ? type : new GroundType('bits', type.width);
      init = literalAt(opts.init, g as GroundType, loc).node.value ?? 0n;
    }
    if (opts.init !== undefined && domain.reset === null) {
      fail({ check: 'api-misuse', loc, message: `register '${name}' has a reset value but domain '${domain.name}' has no reset`, help: 'drop init, or give the domain a reset' });
    }
    const enable = opts.enable ? asCondition(opts.enable, `register '${name}' enable`, loc).node : undefined;
    return declView<T>(this.declare('reg', name, type, loc, { domain, init, enable }), this, loc);
  }

  /** A register that takes `value` every cycle (a pipeline delay). */
  regNext<K extends GroundKind>(name: string, value: Sig<K>, opts: { init?: Literal; domain?: ClockDomain; enable?: Sig } = {}): Sig<K> {
    const r = this.reg(name, value.type, opts) as unknown as { set(v: Sig<K>): void } & Sig<K>;
    r.set(value);
    return r;
  }

  /** The default clock domain: ports `clk` and `rst` (synchronous, active high), created on first use. */
  clockDomain(): ClockDomain {
    if (!this.defaultDomain) {
      const loc = this.loc;
      const clock = this.addPort('clk', { dir: 'input', type: Bool(), loc }, { role: 'clock' });
      const reset = this.addPort('rst', { dir: 'input', type: Bool(), loc }, { role: 'reset' });
      this.defaultDomain = { name: 'sync', clock, reset, resetKind: 'sync', resetActiveLow: false, loc };
      this.domains.unshift(this.defaultDomain);
    }
    return this.defaultDomain;
  }

  /** Another clock domain with its own ports (e.g. `clk_fast`, `rst_fast_n`). */
  domain(name: string, opts: { clock: string; reset?: string; resetKind?: 'sync' | 'async'; resetActiveLow?: boolean }): ClockDomain {
    const loc = captureLoc();
    if (name === 'sync' || this.domains.some((d) => d.name === name)) {
      fail({ check: 'name-collision', loc, message: `clock domain '${name}' is already defined`, help: 'give each domain a distinct name' });
    }
    const clock = this.addPort(opts.clock, { dir: 'input', type: Bool(), loc }, { role: 'clock' });
    const reset = opts.reset ? this.addPort(opts.reset, { dir: 'input', type: Bool(), loc }, { role: 'reset' }) : null;
    const d: ClockDomain = { name, clock, reset, resetKind: opts.resetKind ?? 'sync', resetActiveLow: opts.resetActiveLow ?? false, loc };
    this.domains.push(d);
    return d;
  }

  // ---- control flow -------------------------------------------------------------------------
  /** Runs `fn` in a block whose assignments apply while `cond` holds. Chain `.elsewhen` / `.otherwise`. */
  when(cond: Sig | boolean, fn: () => void): WhenChain {
    const loc = captureLoc();
    const stmt = { kind: 'when' as const, cond: asCondition(cond, 'when', loc).node, then: [] as Stmt[], else: [] as Stmt[], loc };
    this.current().push(stmt);
    this.inBlock(stmt.then, fn);
    return new WhenChain(this, stmt);
  }

  /** @internal */
  inBlock(block: Stmt[], fn: () => void): void {
    this.blocks.push(block);
    try {
      fn();
    } finally {
      this.blocks.pop();
    }
  }

  /** Compares `sel` against each case value in turn (first match wins). */
  switch<K extends GroundKind>(sel: Sig<K>): SwitchBuilder<K> {
    return new SwitchBuilder(this, sel, captureLoc());
  }

  private current(): Stmt[] {
    return this.blocks[this.blocks.length - 1];
  }

  // ---- assignment sink ------------------------------------------------------------------------
  assign(target: LValue, value: ExprNode, loc: SourceLoc): void {
    const active = activeBuilders[activeBuilders.length - 1];
    if (active && active !== this) return active.assign(target, value, loc);
    if (target.kind !== 'static') return this.assignDynamic(target.index, target.choices, value, loc);
    const decl = target.decl as Decl;
    if (decl.owner !== this) {
      fail({
        check: 'multiple-drivers',
        loc,
        message: `'${decl.name}' belongs to module '${decl.owner.name}' and cannot be driven from '${this.name}'`,
        related: [{ loc: decl.loc, note: `'${decl.name}' is declared here` }],
        help: 'connect through the instance ports instead',
      });
    }
    if (decl.declKind === 'input' || decl.declKind === 'instance-output' || decl.declKind === 'memread') {
      const what = decl.declKind === 'input' ? 'an input port' : decl.declKind === 'memread' ? 'a memory read port' : 'an output of a child instance';
      fail({
        check: 'multiple-drivers',
        loc,
        message: `'${decl.name}' is ${what}: it is driven ${decl.declKind === 'input' ? 'from outside the module' : 'by its source'} and cannot be assigned`,
        related: [{ loc: decl.loc, note: `'${decl.name}' is declared here` }],
        help: 'assign a wire or output port instead, and read this value',
      });
    }
    this.current().push({ kind: 'connect', decl, lo: target.lo, width: target.width, value, loc });
  }

  assignDynamic(index: Sig<'uint'>, choices: readonly LValue[], value: ExprNode, loc: SourceLoc): void {
    choices.forEach((choice, i) => {
      if (encodeLiteral(BigInt(i), 'uint', index.width) === null) return; // unreachable element
      const stmt = { kind: 'when' as const, cond: index.eq(literalAt(i, index.type, loc)).node, then: [] as Stmt[], else: [] as Stmt[], loc };
      this.current().push(stmt);
      this.inBlock(stmt.then, () => this.assign(choice, value, loc));
    });
  }

  // ---- memories -----------------------------------------------------------------------------
  /** A memory of `depth` words; inferable as block RAM with `readSync`. `init` gives ROM/RAM contents. */
  memory<K extends GroundKind>(name: string, opts: { type: GroundType<K>; depth: number; init?: readonly (number | bigint)[] }): Memory<K> {
    const loc = captureLoc();
    if (!Number.isInteger(opts.depth) || opts.depth < 1) {
      fail({ check: 'api-misuse', loc, message: `memory '${name}' depth must be a positive integer, got ${opts.depth}`, help: 'give the number of words' });
    }
    let init: bigint[] | null = null;
    if (opts.init) {
      if (opts.init.length > opts.depth) {
        fail({ check: 'width-mismatch', loc, message: `memory '${name}' has ${opts.init.length} initial words for depth ${opts.depth}`, help: 'give at most depth words' });
      }
      init = opts.init.map((v) => literalAt(v, opts.type as GroundType, loc).node.value ?? 0n);
    }
    const mem: MemoryDecl = { name, width: opts.type.width, depth: opts.depth, init, loc };
    this.checkFreshName(name, loc);
    this.memories.push(mem);
    return new Memory(this, mem, opts.type);
  }

  /** @internal */
  memoryRead<K extends GroundKind>(mem: MemoryDecl, type: GroundType<K>, addr: Sig, sync: boolean, enable: Sig | undefined, domain: ClockDomain | undefined, loc: SourceLoc): Sig<K> {
    this.checkAddress(mem, addr, loc);
    const idx = this.decls.filter((d) => d.extra.memory === mem).length;
    const d = this.declare('memread', `${mem.name}_rdata${idx}`, type, loc, {
      memory: mem,
      addr: addr.node,
      sync,
      readEnable: enable ? asCondition(enable, 'read enable', loc).node : undefined,
      domain: sync ? (domain ?? this.clockDomain()) : undefined,
    });
    return new Sig(type, refNode(d, loc));
  }

  /** @internal */
  memoryWrite(mem: MemoryDecl, type: GroundType, addr: Sig, data: Sig, domain: ClockDomain | undefined, loc: SourceLoc): void {
    this.checkAddress(mem, addr, loc);
    // a constant address past the last word writes nothing (and SV tools reject the select)
    if (addr.node.op === 'const' && addr.node.value! >= BigInt(mem.depth)) {
      fail({ check: 'width-mismatch', loc, message: `memory '${mem.name}' has ${mem.depth} words: constant write address ${addr.node.value} is out of range`, help: `use an address from 0 to ${mem.depth - 1}` });
    }
    if (data.type.toString() !== type.toString()) {
      fail({ check: 'width-mismatch', loc, message: `memory '${mem.name}' stores ${type.toString()}, written with ${data.type.toString()}`, help: 'convert the data to the memory word type' });
    }
    const writeDomain = domain ?? this.clockDomain();
    const other = this.writeDomains.get(mem);
    if (other && other.domain !== writeDomain) {
      fail({
        check: 'multiple-drivers',
        loc,
        message: `memory '${mem.name}' is written from clock domains '${other.domain.name}' and '${writeDomain.name}'`,
        related: [{ loc: other.loc, note: `first written in domain '${other.domain.name}' here` }],
        help: 'write each memory from one clock domain (cross domains with a FIFO)',
      });
    }
    this.writeDomains.set(mem, { domain: writeDomain, loc });
    this.current().push({ kind: 'memwrite', memory: mem, write: { domain: writeDomain, addr: addr.node, data: data.node, loc } });
  }

  private checkAddress(mem: MemoryDecl, addr: Sig, loc: SourceLoc): void {
    const w = clog2(mem.depth);
    if (addr.type.kind !== 'uint' || addr.width !== w) {
      fail({ check: 'width-mismatch', loc, message: `memory '${mem.name}' (depth ${mem.depth}) needs a UInt<${w}> address, got ${addr.type.toString()}`, help: `resize the address to ${w} bits` });
    }
  }

  private checkFreshName(name: string, loc: SourceLoc): void {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      fail({ check: 'name-collision', loc, message: `'${name}' is not a valid name`, help: 'use letters, digits and underscores, starting with a letter' });
    }
  }

  // ---- hierarchy ----------------------------------------------------------------------------
  /** Instantiates a child module (elaborated once per distinct parameter set) and returns its ports. */
  instance<P extends Params, S extends IoSpec>(
    name: string,
    def: ModuleDef<P, S> | BlackboxDef<P, S>,
    params: P,
    opts: { domains?: Readonly<Record<string, ClockDomain>> } = {},
  ): { readonly io: IoViews<S> } {
    const loc = captureLoc();
    this.checkFreshName(name, loc);
    const inst: InstanceDecl = def.kind === 'blackbox' ? this.blackboxInstance(name, def, params, opts, loc) : this.moduleInstance(name, def, params, opts, loc);
    this.instances.push(inst);
    const views: Record<string, unknown> = {};
    for (const d of inst.ports) {
      if (d.extra.role) continue;
      views[d.extra.port!] = declView(d, this, loc);
    }
    return { io: views as IoViews<S> };
  }

  private moduleInstance(name: string, def: ModuleDef<any, any>, params: Params, opts: { domains?: Readonly<Record<string, ClockDomain>> }, loc: SourceLoc): InstanceDecl {
    const child = elaborateModule(def, params, this.ctx, loc);
    const ports: Decl[] = [];
    const clockBindings: { port: string; decl: Decl }[] = [];
    const inst: InstanceDecl = { name, moduleName: child.name, blackbox: null, svParams: {}, ports, clockBindings, loc };
    for (const dom of child.domains) {
      const parent = dom.name === 'sync' ? (opts.domains?.sync ?? this.clockDomain()) : opts.domains?.[dom.name];
      if (!parent) {
        fail({
          check: 'api-misuse',
          loc,
          message: `instance '${name}' of '${child.name}' uses clock domain '${dom.name}', which is not bound`,
          related: [{ loc: dom.loc, note: `domain '${dom.name}' is defined here` }],
          help: `pass { domains: { ${dom.name}: someDomain } } to m.instance`,
        });
      }
      clockBindings.push({ port: dom.clock.name, decl: parent.clock });
      if (dom.reset) {
        if (!parent.reset) fail({ check: 'api-misuse', loc, message: `domain '${dom.name}' of '${child.name}' needs a reset, but the bound domain '${parent.name}' has none`, help: 'bind a domain that has a reset' });
        if (parent.resetActiveLow !== dom.resetActiveLow || parent.resetKind !== dom.resetKind) {
          fail({ check: 'api-misuse', loc, message: `domain '${dom.name}' of '${child.name}' has ${article(dom.resetKind)} ${dom.resetKind} active-${dom.resetActiveLow ? 'low' : 'high'} reset, the bound domain '${parent.name}' ${article(parent.resetKind)} ${parent.resetKind} active-${parent.resetActiveLow ? 'low' : 'high'} one`, help: 'bind a domain with the same reset kind and polarity' });
        }
        clockBindings.push({ port: dom.reset.name, decl: parent.reset! });
      }
    }
    for (const p of child.ports) {
      if (p.extra.role) continue;
      ports.push(this.declare(p.declKind === 'input' ? 'instance-input' : 'instance-output', `${name}_${p.name}`, p.type, loc, { instance: inst, port: p.name }));
    }
    return inst;
  }

  private blackboxInstance(name: string, def: BlackboxDef<any, any>, params: Params, opts: { domains?: Readonly<Record<string, ClockDomain>> }, loc: SourceLoc): InstanceDecl {
    const prev = this.ctx.blackboxes.get(def.name);
    if (prev && prev !== def) {
      fail({ check: 'name-collision', loc: def.loc, message: `two different blackboxes are named '${def.name}'`, related: [{ loc: prev.loc, note: 'the other definition' }], help: 'give each blackbox a distinct name' });
    }
    this.ctx.blackboxes.set(def.name, def);
    const ports: Decl[] = [];
    const clockBindings: { port: string; decl: Decl }[] = [];
    const inst: InstanceDecl = { name, moduleName: def.name, blackbox: def, svParams: def.svParams?.(params) ?? {}, ports, clockBindings, loc };
    for (const [port, domainName] of Object.entries(def.clocks ?? {})) {
      const dom = domainName === 'sync' ? (opts.domains?.sync ?? this.clockDomain()) : opts.domains?.[domainName];
      if (!dom) fail({ check: 'api-misuse', loc, message: `blackbox '${def.name}' clock '${port}' needs domain '${domainName}', which is not bound`, help: `pass { domains: { ${domainName}: someDomain } }` });
      clockBindings.push({ port, decl: dom.clock });
    }
    for (const [port, spec] of Object.entries(def.io(params) as IoSpec)) {
      if (def.clocks && port in def.clocks) continue;
      ports.push(this.declare(spec.dir === 'input' ? 'instance-input' : 'instance-output', `${name}_${port}`, spec.type, loc, { instance: inst, port }));
    }
    return inst;
  }

  toAst(def: ModuleDef<any, any>, params: Params): ModuleAst {
    return {
      name: this.name,
      defName: def.name,
      params,
      loc: def.loc,
      decls: this.decls,
      ports: this.ports,
      body: this.body,
      domains: this.domains,
      memories: this.memories,
      instances: this.instances,
    };
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

export class WhenChain {
  constructor(
    private readonly m: ModuleBuilder,
    private stmt: Extract<Stmt, { kind: 'when' }>,
  ) {}
  elsewhen(cond: Sig | boolean, fn: () => void): WhenChain {
    const loc = captureLoc();
    const next = { kind: 'when' as const, cond: asCondition(cond, 'elsewhen', loc).node, then: [] as Stmt[], else: [] as Stmt[], loc };
    this.stmt.else.push(next);
    this.m.inBlock(next.then, fn);
    this.stmt = next;
    return this;
  }
  otherwise(fn: () => void): void {
    this.m.inBlock(this.stmt.else, fn);
  }
}

export class SwitchBuilder<K extends GroundKind> {
  private chain: WhenChain | null = null;
  constructor(
    private readonly m: ModuleBuilder,
    private readonly sel: Sig<K>,
    private readonly loc: SourceLoc,
  ) {}
  is(value: Sig<K> | Literal, fn: () => void): this {
    const cond = this.sel.eq(value);
    this.chain = this.chain ? this.chain.elsewhen(cond, fn) : this.m.when(cond, fn);
    return this;
  }
  default(fn: () => void): void {
    if (!this.chain) {
      fail({ check: 'api-misuse', loc: this.loc, message: 'switch has a default but no cases', help: 'add .is(value, ...) cases, or drop the switch' });
    }
    this.chain.otherwise(fn);
  }
}

export class Memory<K extends GroundKind> {
  constructor(
    private readonly m: ModuleBuilder,
    readonly decl: MemoryDecl,
    readonly type: GroundType<K>,
  ) {}
  /** Combinational (asynchronous) read: maps to LUT RAM, not block RAM. */
  read(addr: Sig<'uint'>): Sig<K> {
    return this.m.memoryRead(this.decl, this.type, addr, false, undefined, undefined, captureLoc());
  }
  /** Registered read (data appears the cycle after the address): the block-RAM form. */
  readSync(addr: Sig<'uint'>, opts: { enable?: Sig; domain?: ClockDomain } = {}): Sig<K> {
    return this.m.memoryRead(this.decl, this.type, addr, true, opts.enable, opts.domain, captureLoc());
  }
  /** Writes `data` at `addr` on the clock edge, when the enclosing `when` conditions hold. */
  write(addr: Sig<'uint'>, data: Sig<K>, opts: { domain?: ClockDomain } = {}): void {
    this.m.memoryWrite(this.decl, this.type, addr, data, opts.domain, captureLoc());
  }
}

// ---------------------------------------------------------------------------------------------
// Elaboration of one module (memoized per distinct name)
// ---------------------------------------------------------------------------------------------

function paramSuffix(params: Params): string {
  const parts: string[] = [];
  for (const k of Object.keys(params).sort()) {
    const v = (params as Record<string, unknown>)[k];
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') parts.push(`${k}${String(v)}`);
    else return '';
  }
  const s = parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  return s.length <= 48 ? s : '';
}

export function canonicalJson(v: unknown): string {
  if (typeof v === 'bigint') return `"${v}n"`;
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A short deterministic hash (FNV-1a, 32 bits) for module names of complex parameter sets. */
function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function moduleNameFor(def: ModuleDef<any, any>, params: Params): string {
  if (def.moduleName) return def.moduleName(params);
  const keys = Object.keys(params ?? {});
  if (keys.length === 0) return def.name;
  const suffix = paramSuffix(params);
  return `${def.name}_${suffix || shortHash(canonicalJson(params))}`;
}

const MAX_DEPTH = 64;

export function elaborateModule(def: ModuleDef<any, any>, params: Params, ctx: ElaborationContext, loc: SourceLoc): ModuleAst {
  const name = moduleNameFor(def, params);
  const key = canonicalJson(params);
  const prev = ctx.modules.get(name);
  if (prev) {
    if (prev.def !== def || prev.paramsKey !== key) {
      const sameDef = prev.def === def;
      fail({
        check: 'name-collision',
        loc: sameDef ? loc : def.loc,
        message: `two different modules would both be named '${name}'`,
        related: [{ loc: sameDef ? prev.firstUse : prev.def.loc, note: `'${name}' was first defined here` }],
        help: 'give the definitions distinct names, or a moduleName() that includes every parameter',
      });
    }
    return prev.ast;
  }
  if (ctx.stack.length >= MAX_DEPTH) {
    fail({ check: 'api-misuse', loc, message: `module hierarchy deeper than ${MAX_DEPTH} levels (${ctx.stack.slice(0, 3).join(' -> ')} -> ... -> ${name})`, help: 'recursion must end: make the parameters shrink until a leaf module is reached' });
  }
  if (ctx.stack.includes(name)) {
    fail({ check: 'api-misuse', loc, message: `module '${name}' instantiates itself (${[...ctx.stack, name].join(' -> ')})`, help: 'recursion must end: make the parameters shrink until a leaf module is reached' });
  }
  ctx.stack.push(name);
  try {
    const m = new ModuleBuilder(name, def.loc, ctx);
    const spec = def.io(params) as IoSpec;
    const views: Record<string, unknown> = {};
    for (const [portName, ps] of Object.entries(spec)) {
      if (!ps || (ps.dir !== 'input' && ps.dir !== 'output')) {
        fail({ check: 'api-misuse', loc: def.loc, message: `io entry '${portName}' of '${def.name}' is not a port`, help: 'declare ports with input(type) or output(type)' });
      }
      const d = m.addPort(portName, ps);
      views[portName] = declView(d, m, ps.loc);
    }
    activeBuilders.push(m);
    try {
      def.body(m, views as never, params);
    } finally {
      activeBuilders.pop();
    }
    const ast = m.toAst(def, params);
    ctx.modules.set(name, { ast, def, paramsKey: key, firstUse: loc });
    ctx.order.push(ast);
    return ast;
  } finally {
    ctx.stack.pop();
  }
}

export function newContext(): ElaborationContext {
  return { modules: new Map(), order: [], blackboxes: new Map(), stack: [] };
}

export { formatLoc, lit, UInt };
