import type { IrDesign, IrDomain, IrMemory, IrModule, IrNode } from '../../hdl-gen/ir/ir.ts';

/**
 * Flattens the instance tree of an IrDesign into one global node numbering, as the IR simulator
 * needs it. Every node of every instance gets a global id (`instance.base + localId`); aliases are
 * then resolved to a representative ("rep") global id:
 *
 * - a child's `input` port node is the parent's connection node (instance-input wire, or the
 *   parent's clock/reset for clock bindings);
 * - an `instout` node in the parent is the child's output port wire;
 * - a `wire` is its driver (wires are identities in `semantics.ts`).
 *
 * After resolution the real nodes (rep === self) are: top-level inputs, constants, registers,
 * memory read ports, `undriven` placeholders and operators.
 */
export interface FlatInstance {
  /** '' for the top, else instance names joined with '.', e.g. 'u_a.u_b'. */
  readonly path: string;
  readonly module: IrModule;
  /** Global id of local node 0. */
  readonly base: number;
  /** Global index of local memory 0 / local domain 0. */
  readonly memBase: number;
  readonly domainBase: number;
  readonly parent: FlatInstance | null;
  /** Index into `parent.module.instances` (-1 for the top). */
  readonly indexInParent: number;
  /** Child instances by local instance index. */
  readonly children: FlatInstance[];
}

export interface FlatDomain {
  readonly instance: FlatInstance;
  readonly domain: IrDomain;
  /** Rep of the clock node (a top-level clock input after resolution). */
  readonly clock: number;
  /** Rep of the reset node, or null. */
  readonly reset: number | null;
}

export interface FlatWrite {
  readonly domain: number;
  readonly addr: number;
  readonly data: number;
  readonly enable: number;
}

export interface FlatMemory {
  readonly instance: FlatInstance;
  readonly memory: IrMemory;
  /** 'mem' or 'u_a.mem'. */
  readonly path: string;
  /** Writes with rep ids, in the order the SV printer emits them. */
  readonly writes: FlatWrite[];
}

export interface FlatDesign {
  readonly design: IrDesign;
  readonly top: FlatInstance;
  /** Pre-order (top first). */
  readonly instances: readonly FlatInstance[];
  /** Global id -> IR node (shared with the module; do not mutate). */
  readonly nodes: readonly IrNode[];
  /** Global id -> owning instance. */
  readonly owner: readonly FlatInstance[];
  /** Global id -> representative global id. */
  readonly rep: Int32Array;
  /** For real nodes: operand reps. Empty for aliases. */
  readonly args: readonly (readonly number[])[];
  readonly domains: readonly FlatDomain[];
  readonly memories: readonly FlatMemory[];
  /** Named signals: 'name' or 'u_a.name' -> rep. */
  readonly named: ReadonlyMap<string, number>;
}

export class FlattenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlattenError';
  }
}

export function flattenDesign(design: IrDesign, who = 'IrSimulator'): FlatDesign {
  const byName = new Map(design.modules.map((m) => [m.name, m]));
  const topModule = byName.get(design.top);
  if (!topModule) throw new FlattenError(`${who}: top module '${design.top}' is not in the design`);

  const instances: FlatInstance[] = [];
  const nodes: IrNode[] = [];
  const owner: FlatInstance[] = [];
  let memCount = 0;
  let domainCount = 0;

  const build = (module: IrModule, path: string, parent: FlatInstance | null, indexInParent: number, stack: string[]): FlatInstance => {
    if (stack.includes(module.name)) throw new FlattenError(`${who}: module '${module.name}' instantiates itself (${[...stack, module.name].join(' -> ')})`);
    const inst: FlatInstance = { path, module, base: nodes.length, memBase: memCount, domainBase: domainCount, parent, indexInParent, children: [] };
    instances.push(inst);
    for (const n of module.nodes) {
      nodes.push(n);
      owner.push(inst);
    }
    memCount += module.memories.length;
    domainCount += module.domains.length;
    module.instances.forEach((ci, k) => {
      const where = path ? `${path}.${ci.name}` : ci.name;
      if (ci.blackbox) {
        throw new FlattenError(
          `${who}: instance '${where}' of blackbox '${ci.module}' (in module '${module.name}') is not supported: blackboxes have no IR, so the IR simulator cannot simulate them`,
        );
      }
      const cm = byName.get(ci.module);
      if (!cm) throw new FlattenError(`${who}: instance '${where}' refers to module '${ci.module}', which is not in the design`);
      inst.children[k] = build(cm, where, inst, k, [...stack, module.name]);
    });
    return inst;
  };
  const top = build(topModule, '', null, -1, []);

  const N = nodes.length;
  const rep = new Int32Array(N).fill(-1);
  const resolving = new Uint8Array(N);
  const resolve = (g: number): number => {
    // Iterative along alias chains (they can be long across deep hierarchies).
    const chain: number[] = [];
    let cur = g;
    while (rep[cur] === -1) {
      if (resolving[cur]) throw new FlattenError(`${who}: alias cycle through node '${nodes[cur].name ?? nodes[cur].op}' in '${owner[cur].path || owner[cur].module.name}'`);
      resolving[cur] = 1;
      chain.push(cur);
      const next = aliasOf(cur);
      if (next === cur) {
        rep[cur] = cur;
        break;
      }
      cur = next;
    }
    const r = rep[cur];
    for (const c of chain) rep[c] = r;
    return r;
  };
  const aliasOf = (g: number): number => {
    const n = nodes[g];
    const inst = owner[g];
    if (n.op === 'wire') {
      if (n.args.length !== 1) throw new FlattenError(`${who}: wire '${n.name ?? g}' in module '${inst.module.name}' has ${n.args.length} drivers`);
      return inst.base + n.args[0];
    }
    if (n.op === 'input' && inst.parent) {
      const parent = inst.parent;
      const ci = parent.module.instances[inst.indexInParent];
      const c = ci.connections.find((x) => x.dir === 'input' && x.port === n.name);
      if (!c) throw new FlattenError(`${who}: input '${n.name}' of instance '${inst.path}' is not connected`);
      return parent.base + c.node;
    }
    if (n.op === 'instout') {
      const child = inst.children[n.instance!];
      const p = child.module.ports.find((x) => x.dir === 'output' && x.name === n.port);
      if (!p) throw new FlattenError(`${who}: module '${child.module.name}' has no output port '${n.port}' (instance '${child.path}')`);
      return child.base + p.node;
    }
    return g;
  };
  for (let g = 0; g < N; g++) resolve(g);

  const args: number[][] = new Array(N);
  for (let g = 0; g < N; g++) {
    args[g] = rep[g] === g ? nodes[g].args.map((a) => rep[owner[g].base + a]) : [];
  }

  const domains: FlatDomain[] = [];
  const memories: FlatMemory[] = [];
  for (const inst of instances) {
    for (const d of inst.module.domains) {
      domains[inst.domainBase + inst.module.domains.indexOf(d)] = {
        instance: inst,
        domain: d,
        clock: rep[inst.base + d.clock],
        reset: d.reset === null ? null : rep[inst.base + d.reset],
      };
    }
    inst.module.memories.forEach((mem, k) => {
      memories[inst.memBase + k] = { instance: inst, memory: mem, path: inst.path ? `${inst.path}.${mem.name}` : mem.name, writes: [] };
    });
    // The SV printer emits, per domain in order, the writes of each memory in order.
    inst.module.domains.forEach((_, di) => {
      inst.module.memories.forEach((mem, k) => {
        for (const w of mem.writes) {
          if (w.domain !== di) continue;
          memories[inst.memBase + k].writes.push({
            domain: inst.domainBase + di,
            addr: rep[inst.base + w.addr],
            data: rep[inst.base + w.data],
            enable: rep[inst.base + w.enable],
          });
        }
      });
    });
  }

  const named = new Map<string, number>();
  for (const inst of instances) {
    for (const n of inst.module.nodes) {
      if (n.name === undefined) continue;
      named.set(inst.path ? `${inst.path}.${n.name}` : n.name, rep[inst.base + n.id]);
    }
  }

  return { design, top, instances, nodes, owner, rep, args, domains, memories, named };
}
