import type { FlatDesign, FlatInstance } from './flatten.ts';

/**
 * Replicated instances (the PEs of an array, the lanes of a decoder built from sub-modules) are
 * simulated by ONE generated function per module, called once per instance with the instance's
 * slot offsets, instead of one copy of the code per instance. The amount of JavaScript V8 has to
 * compile (seconds for a 64x64 array) and the instruction footprint per cycle then stop growing with
 * the array; the work per cycle stays linear in the instances.
 *
 * An instance's subtree occupies the contiguous global ids [base, base + size) (flattenDesign builds
 * in pre-order), with the same layout for every instance of the same module. A group is usable when
 * every instance resolves its aliases the same way relative to its base, except for the values that
 * come from outside the subtree (the root's inputs, resets), which the shared code reads through a
 * per-instance table of external sources.
 */
export interface SharedGroup {
  readonly module: string;
  /** Subtree roots; instances[0] is the representative the code is generated from. */
  readonly instances: readonly FlatInstance[];
  /** Nodes per subtree: instance k owns the global ids instances[k].base .. base + size - 1. */
  readonly size: number;
  /** The representative's external sources (global ids outside its subtree), by index. */
  readonly externals: readonly number[];
  /** Index of each external source of the representative. */
  readonly extIndex: ReadonlyMap<number, number>;
  /** sources[k][j]: the global id instance k reads where the representative reads externals[j]. */
  readonly sources: readonly (readonly number[])[];
}

export interface SharedInstanceOptions {
  /** Global id -> representative (see FlatDesign.rep). */
  readonly rep: Int32Array;
  /** Operands of a real node, plus anything else its code reads (a register's domain reset). */
  readonly deps: (g: number) => readonly number[];
  /** Smallest number of real (evaluated or stateful) nodes in a subtree worth a shared function. */
  readonly minRealNodes?: number;
}

/** Chooses the groups of shared instances: the outermost replicated subtrees. */
export function findSharedInstances(flat: FlatDesign, opts: SharedInstanceOptions): SharedGroup[] {
  const { rep, deps } = opts;
  const minReal = opts.minRealNodes ?? 4;
  const n = flat.instances.length;
  const index = new Map<FlatInstance, number>(flat.instances.map((inst, i) => [inst, i]));
  // Subtree extents (node ids and instance indices) and real nodes per subtree.
  const end = new Int32Array(n);
  const lastInst = new Int32Array(n);
  const realNodes = new Int32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const inst = flat.instances[i];
    end[i] = inst.base + inst.module.nodes.length;
    lastInst[i] = i;
    for (let g = inst.base; g < end[i]; g++) {
      const op = flat.nodes[g].op;
      if (rep[g] === g && op !== 'const' && op !== 'undriven') realNodes[i]++;
    }
    for (const c of inst.children) {
      const ci = index.get(c)!;
      end[i] = Math.max(end[i], end[ci]);
      lastInst[i] = Math.max(lastInst[i], lastInst[ci]);
      realNodes[i] += realNodes[ci];
    }
  }

  const banned = new Set<string>();
  for (;;) {
    const count = new Map<string, number>();
    for (let i = 1; i < n; i++) {
      const name = flat.instances[i].module.name;
      count.set(name, (count.get(name) ?? 0) + 1);
    }
    const chosen = new Map<string, number[]>();
    for (let i = 1; i < n; i++) {
      const name = flat.instances[i].module.name;
      if (banned.has(name) || realNodes[i] < minReal || (count.get(name) ?? 0) < 2) continue;
      if (!chosen.has(name)) chosen.set(name, []);
      chosen.get(name)!.push(i);
      i = lastInst[i]; // the subtree is covered
    }
    const groups: SharedGroup[] = [];
    let retry = false;
    for (const [name, members] of chosen) {
      const g = members.length >= 2 ? makeGroup(flat, members.map((i) => flat.instances[i]), end[members[0]] - flat.instances[members[0]].base, rep, deps) : null;
      if (g) groups.push(g);
      else {
        banned.add(name);
        retry = true;
      }
    }
    if (!retry) return groups;
  }
}

/** The group of `instances` of one module, or null if their subtrees are not wired alike. */
function makeGroup(flat: FlatDesign, instances: FlatInstance[], size: number, rep: Int32Array, deps: (g: number) => readonly number[]): SharedGroup | null {
  const b0 = instances[0].base;
  const inside = (g: number, base: number) => g >= base && g < base + size;
  const externals: number[] = [];
  const extIndex = new Map<number, number>();
  const sources: number[][] = instances.map(() => []);
  for (let off = 0; off < size; off++) {
    const g0 = b0 + off;
    if (rep[g0] !== g0) continue;
    for (const a0 of deps(g0)) if (!inside(a0, b0) && !extIndex.has(a0)) {
      extIndex.set(a0, externals.length);
      externals.push(a0);
    }
  }
  for (let k = 0; k < instances.length; k++) {
    const bk = instances[k].base;
    if (instances[k].module !== instances[0].module) return null;
    const row = sources[k];
    for (let off = 0; off < size; off++) {
      const g0 = b0 + off;
      const gk = bk + off;
      const r0 = rep[g0];
      const rk = rep[gk];
      const in0 = inside(r0, b0);
      if (in0 !== inside(rk, bk) || (in0 && r0 - b0 !== rk - bk)) return null;
      if (r0 !== g0) continue;
      const d0 = deps(g0);
      const dk = deps(gk);
      if (d0.length !== dk.length) return null;
      for (let i = 0; i < d0.length; i++) {
        const a0 = d0[i];
        const ak = dk[i];
        const ext0 = !inside(a0, b0);
        if (ext0 !== !inside(ak, bk)) return null;
        if (!ext0) {
          if (a0 - b0 !== ak - bk) return null;
          continue;
        }
        const j = extIndex.get(a0)!;
        if (flat.nodes[ak].width !== flat.nodes[a0].width) return null;
        if (row[j] === undefined) row[j] = ak;
        else if (row[j] !== ak) return null;
      }
    }
  }
  return { module: instances[0].module.name, instances, size, externals, extIndex, sources };
}

/**
 * Depth-first topological order of units (each unit after the units it depends on), visiting roots in
 * the given order; null when the units depend on each other in a cycle.
 */
export function orderUnits(unitCount: number, roots: Iterable<number>, succ: (u: number) => readonly number[]): number[] | null {
  const mark = new Uint8Array(unitCount); // 0 new, 1 on stack, 2 done
  const out: number[] = [];
  for (const root of roots) {
    if (mark[root]) continue;
    const stack: [number, readonly number[], number][] = [[root, succ(root), 0]];
    mark[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [u, s, i] = top;
      if (i < s.length) {
        top[2]++;
        const w = s[i];
        if (mark[w] === 1) return null;
        if (mark[w] === 0) {
          mark[w] = 1;
          stack.push([w, succ(w), 0]);
        }
        continue;
      }
      stack.pop();
      mark[u] = 2;
      out.push(u);
    }
  }
  return out;
}
