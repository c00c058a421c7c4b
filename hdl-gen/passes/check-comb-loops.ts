import type { Diagnostic } from '../core/diagnostics.ts';
import type { IrDesign, IrModule, IrNode } from '../ir/ir.ts';
import { combDeps, summarize, type CombSummary } from './comb-deps.ts';

/**
 * comb-loop: a cycle of combinational dependencies (through wires, operators and child
 * instances). A cycle between nodes that is not a cycle between bits (a vector wire whose
 * element i+1 is computed from element i) is still refused, with its own message: the emitted SV
 * would be one net depending on itself (Verilator UNOPTFLAT) and the simulator orders whole nodes.
 */
export function checkCombLoops(design: IrDesign): Diagnostic[] {
  const out: Diagnostic[] = [];
  const summaries = new Map<string, CombSummary>();
  for (const m of design.modules) {
    const deps = m.nodes.map((node) => combDeps(m, node, summaries));
    for (const scc of stronglyConnected(m.nodes.length, (v) => deps[v])) {
      const bitLevel = hasBitLevelCycle(m, scc, deps);
      const named = scc.map((id) => m.nodes[id]).filter((n) => n.name !== undefined);
      const shown = named.length ? named : scc.map((id) => m.nodes[id]);
      const names = shown.map((n) => n.name ?? `<${n.op}>`);
      out.push({
        check: 'comb-loop',
        loc: shown[0].loc,
        message: bitLevel
          ? `combinational loop in module '${m.name}': ${[...names, names[0]].join(' -> ')}`
          : `bits of ${names.map((x) => `'${x}'`).join(', ')} in module '${m.name}' are computed from other bits of the same signal (no bit depends on itself, but simulators and synthesis treat the signal as one net)`,
        related: shown.slice(1).map((n) => ({ loc: n.loc, note: `'${n.name ?? n.op}' is part of the loop` })),
        help: bitLevel
          ? 'break the loop with a register (m.reg / m.regNext), or compute the value from signals outside the loop'
          : 'use a separate wire for each stage (e.g. an array of m.wire) instead of elements of one vector wire',
      });
    }
    summaries.set(m.name, summarize(m, summaries));
  }
  return out;
}

/** Bits of operands that bit `i` of node `n` depends on, or null for "every bit of every operand". */
function bitDeps(m: IrModule, n: IrNode, i: number): [number, number][] | null {
  const w = (k: number) => m.nodes[n.args[k]].width;
  switch (n.op) {
    case 'wire':
      return [[n.args[0], i]];
    case 'not':
    case 'and':
    case 'or':
    case 'xor':
      return n.args.map((a) => [a, i]);
    case 'mux':
      return [[n.args[0], 0], [n.args[1], i], [n.args[2], i]];
    case 'slice':
      return [[n.args[0], n.lo! + i]];
    case 'zext':
      return i < w(0) ? [[n.args[0], i]] : [];
    case 'sext':
      return [[n.args[0], Math.min(i, w(0) - 1)]];
    case 'concat': {
      let lo = n.width;
      for (const a of n.args) {
        lo -= m.nodes[a].width;
        if (i >= lo) return [[a, i - lo]];
      }
      return [];
    }
    case 'shl':
      return i >= n.amount! ? [[n.args[0], i - n.amount!]] : [];
    case 'shr':
      if (n.signedOp) return [[n.args[0], Math.min(i + n.amount!, n.width - 1)]];
      return i + n.amount! < n.width ? [[n.args[0], i + n.amount!]] : [];
    default:
      return null;
  }
}

function hasBitLevelCycle(m: IrModule, scc: readonly number[], deps: readonly number[][]): boolean {
  const base = new Map<number, number>();
  let count = 0;
  for (const id of scc) {
    base.set(id, count);
    count += m.nodes[id].width;
  }
  const owner: number[] = [];
  for (const id of scc) for (let b = 0; b < m.nodes[id].width; b++) owner.push(id);
  const edges = (v: number): number[] => {
    const id = owner[v];
    const n = m.nodes[id];
    const bit = v - base.get(id)!;
    const precise = bitDeps(m, n, bit);
    const out: number[] = [];
    if (precise) {
      for (const [a, b] of precise) if (base.has(a)) out.push(base.get(a)! + b);
    } else {
      for (const a of deps[id]) if (base.has(a)) for (let b = 0; b < m.nodes[a].width; b++) out.push(base.get(a)! + b);
    }
    return out;
  };
  return stronglyConnected(count, edges).length > 0;
}

/** Strongly connected components that contain a cycle (Tarjan, iterative), each sorted. */
function stronglyConnected(n: number, deps: (v: number) => readonly number[]): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const succ: (readonly number[])[] = new Array(n);
  const cycles: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    succ[root] = deps(root);
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const top = work[work.length - 1];
      const [v, i] = top;
      if (i < succ[v].length) {
        top[1]++;
        const w = succ[v][i];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          succ[w] = deps(w);
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      work.pop();
      if (work.length) low[work[work.length - 1][0]] = Math.min(low[work[work.length - 1][0]], low[v]);
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1 || succ[v].includes(v)) cycles.push(comp.sort((a, b) => a - b));
      }
    }
  }
  return cycles;
}
