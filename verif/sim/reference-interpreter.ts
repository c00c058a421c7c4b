import type { IrDesign, IrModule, IrNode } from '../../hdl-gen/ir/ir.ts';
import { evalOp } from '../../hdl-gen/ir/semantics.ts';

/**
 * A deliberately simple, slow reference for IrSimulator: it walks the instance tree as it is (no
 * flattening, no code generation) and evaluates every combinational node on demand with `evalOp`
 * from hdl-gen/ir/semantics.ts, memoized until the next poke or clock edge. Its timing model is
 * the one documented on IrSimulator (one shared clock edge per step, nonblocking updates, async
 * reset forcing registers on its active edge between settles, out-of-range memory reads 0 and writes dropped, state
 * starting at 0). Use it only as a test oracle.
 */
interface Inst {
  readonly path: string;
  readonly module: IrModule;
  readonly parent: Inst | null;
  /** Index into parent.module.instances. */
  readonly index: number;
  readonly children: Inst[];
  /** Registers and sync read ports: node id -> value. */
  readonly state: Map<number, bigint>;
  readonly mems: bigint[][];
  memo: Map<number, bigint>;
}

export class ReferenceInterpreter {
  cycle = 0;
  private readonly top: Inst;
  private readonly all: Inst[] = [];
  private readonly inputs = new Map<string, bigint>();
  private settled = false;
  private readonly prevReset = new Map<string, boolean>();

  constructor(readonly design: IrDesign) {
    const byName = new Map(design.modules.map((m) => [m.name, m]));
    const make = (module: IrModule, path: string, parent: Inst | null, index: number): Inst => {
      const inst: Inst = {
        path,
        module,
        parent,
        index,
        children: [],
        state: new Map(),
        mems: module.memories.map((m) => Array.from({ length: m.depth }, (_, i) => m.init?.[i] ?? 0n)),
        memo: new Map(),
      };
      for (const n of module.nodes) if (n.op === 'reg' || (n.op === 'memread' && n.sync)) inst.state.set(n.id, 0n);
      this.all.push(inst);
      module.instances.forEach((ci, k) => {
        const where = path ? `${path}.${ci.name}` : ci.name;
        if (ci.blackbox) throw new Error(`ReferenceInterpreter: instance '${where}' of blackbox '${ci.module}' is not supported`);
        inst.children.push(make(byName.get(ci.module)!, where, inst, k));
      });
      return inst;
    };
    this.top = make(byName.get(design.top)!, '', null, -1);
    for (const p of this.top.module.ports) if (p.dir === 'input') this.inputs.set(p.name, 0n);
  }

  // ---- evaluation -----------------------------------------------------------------------------
  private value(inst: Inst, id: number): bigint {
    const hit = inst.memo.get(id);
    if (hit !== undefined) return hit;
    const v = this.compute(inst, inst.module.nodes[id]);
    if (v < 0n || v >> BigInt(inst.module.nodes[id].width) !== 0n) throw new Error(`ReferenceInterpreter: node ${id} value ${v} out of range`);
    inst.memo.set(id, v);
    return v;
  }

  private compute(inst: Inst, n: IrNode): bigint {
    switch (n.op) {
      case 'input': {
        if (!inst.parent) return this.inputs.get(n.name!)!;
        const c = inst.parent.module.instances[inst.index].connections.find((x) => x.dir === 'input' && x.port === n.name)!;
        return this.value(inst.parent, c.node);
      }
      case 'const':
        return n.value!;
      case 'undriven':
        return 0n;
      case 'reg':
        return inst.state.get(n.id)!;
      case 'memread': {
        if (n.sync) return inst.state.get(n.id)!;
        return this.readMem(inst, n.memory!, this.value(inst, n.args[0]));
      }
      case 'instout': {
        const child = inst.children[n.instance!];
        const p = child.module.ports.find((x) => x.dir === 'output' && x.name === n.port)!;
        return this.value(child, p.node);
      }
      default: {
        const a = n.args.map((x) => this.value(inst, x));
        return evalOp(n, a, n.args.map((x) => inst.module.nodes[x].width));
      }
    }
  }

  private readMem(inst: Inst, k: number, addr: bigint): bigint {
    const mem = inst.mems[k];
    return addr < BigInt(mem.length) ? mem[Number(addr)] : 0n;
  }

  private resetActive(inst: Inst, domain: number): boolean {
    const d = inst.module.domains[domain];
    if (d.reset === null) return false;
    return this.value(inst, d.reset) === (d.resetActiveLow ? 0n : 1n);
  }

  private invalidate(): void {
    for (const i of this.all) i.memo = new Map();
  }

  private settle(): void {
    if (this.settled) return;
    this.invalidate();
    // Async resets act on the inactive -> active edge between settles (the first settle only
    // records the level, like Verilator's first eval).
    let changed = false;
    for (const inst of this.all) {
      inst.module.domains.forEach((d, di) => {
        if (d.resetKind !== 'async' || d.reset === null) return;
        const active = this.resetActive(inst, di);
        const key = `${inst.path}#${di}`;
        const prev = this.prevReset.get(key);
        this.prevReset.set(key, active);
        if (!active || prev !== false) return;
        for (const n of inst.module.nodes) {
          if (n.op === 'reg' && n.domain === di && n.init !== null && n.init !== undefined) {
            inst.state.set(n.id, n.init);
            changed = true;
          }
        }
      });
    }
    if (changed) this.invalidate();
    this.settled = true;
  }

  // ---- public API (same as IrSimulator) ------------------------------------------------------------
  poke(port: string, value: bigint | number): void {
    const p = this.top.module.ports.find((x) => x.name === port && x.dir === 'input');
    if (!p) throw new Error(`ReferenceInterpreter: no input '${port}'`);
    let v = BigInt(value);
    if (v < 0n) v += 1n << BigInt(p.width);
    if (v < 0n || v >> BigInt(p.width) !== 0n) throw new Error(`ReferenceInterpreter: ${value} does not fit '${port}'`);
    this.inputs.set(port, v);
    this.settled = false;
  }

  peek(port: string): bigint {
    const p = this.top.module.ports.find((x) => x.name === port);
    if (!p) throw new Error(`ReferenceInterpreter: no port '${port}'`);
    this.settle();
    return this.value(this.top, p.node);
  }

  peekInternal(path: string): bigint {
    const parts = path.split('.');
    let inst = this.top;
    for (const name of parts.slice(0, -1)) {
      const k = inst.module.instances.findIndex((x) => x.name === name);
      if (k < 0) throw new Error(`ReferenceInterpreter: no instance '${name}' in '${inst.path || inst.module.name}'`);
      inst = inst.children[k];
    }
    const n = inst.module.nodes.find((x) => x.name === parts[parts.length - 1]);
    if (!n) throw new Error(`ReferenceInterpreter: no signal '${path}'`);
    this.settle();
    return this.value(inst, n.id);
  }

  peekMemory(path: string, addr: number): bigint {
    const parts = path.split('.');
    let inst = this.top;
    for (const name of parts.slice(0, -1)) inst = inst.children[inst.module.instances.findIndex((x) => x.name === name)];
    const k = inst.module.memories.findIndex((m) => m.name === parts[parts.length - 1]);
    return inst.mems[k][addr];
  }

  step(n = 1): void {
    for (let i = 0; i < n; i++) this.edge();
  }

  reset(cycles = 1): void {
    const rs = this.top.module.domains.filter((d) => d.reset !== null);
    for (const d of rs) this.poke(this.top.module.nodes[d.reset!].name!, d.resetActiveLow ? 0 : 1);
    this.step(cycles);
    for (const d of rs) this.poke(this.top.module.nodes[d.reset!].name!, d.resetActiveLow ? 1 : 0);
  }

  private edge(): void {
    this.settle();
    // Sample everything first (nonblocking semantics), then update.
    const regUpdates: [Inst, number, bigint][] = [];
    const memWrites: [Inst, number, bigint, bigint][] = [];
    for (const inst of this.all) {
      const m = inst.module;
      for (const n of m.nodes) {
        if (n.op === 'reg') {
          const hasReset = n.init !== null && n.init !== undefined;
          regUpdates.push([inst, n.id, hasReset && this.resetActive(inst, n.domain!) ? n.init! : this.value(inst, n.args[0])]);
        } else if (n.op === 'memread' && n.sync) {
          const enabled = n.args.length < 2 || this.value(inst, n.args[1]) === 1n;
          if (enabled) regUpdates.push([inst, n.id, this.readMem(inst, n.memory!, this.value(inst, n.args[0]))]);
        }
      }
      // Writes in the SV printer's order: per domain, per memory, in program order (last wins).
      m.domains.forEach((_, di) => {
        m.memories.forEach((mem, k) => {
          for (const w of mem.writes) {
            if (w.domain !== di || this.value(inst, w.enable) !== 1n) continue;
            memWrites.push([inst, k, this.value(inst, w.addr), this.value(inst, w.data)]);
          }
        });
      });
    }
    for (const [inst, k, addr, data] of memWrites) if (addr < BigInt(inst.mems[k].length)) inst.mems[k][Number(addr)] = data;
    for (const [inst, id, v] of regUpdates) inst.state.set(id, v);
    this.settled = false;
    this.cycle++;
  }
}
