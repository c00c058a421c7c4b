import type { IrModule, IrNode } from '../ir/ir.ts';
import { combinationalOps } from '../ir/ir.ts';

/** For each output port of a module, the input ports it depends on within the same cycle. */
export type CombSummary = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Same-cycle dependencies of a node: its operands for combinational operators and asynchronous
 * memory reads, the child's input connections for instance outputs, nothing for sources
 * (inputs, constants, registers, synchronous reads). Blackboxes are assumed to be registered.
 */
export function combDeps(m: IrModule, n: IrNode, summaries: ReadonlyMap<string, CombSummary>): number[] {
  if (combinationalOps.has(n.op)) return n.args;
  if (n.op === 'memread' && !n.sync) return n.args;
  if (n.op === 'instout') {
    const inst = m.instances[n.instance!];
    const deps = summaries.get(inst.module)?.get(n.port!);
    if (!deps) return [];
    return inst.connections.filter((c) => c.dir === 'input' && deps.has(c.port)).map((c) => c.node);
  }
  return [];
}

export function summarize(m: IrModule, summaries: ReadonlyMap<string, CombSummary>): CombSummary {
  const out = new Map<string, Set<string>>();
  for (const p of m.ports) {
    if (p.dir !== 'output') continue;
    const reach = new Set<string>();
    const seen = new Set<number>();
    const stack = [p.node];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const n = m.nodes[id];
      if (n.op === 'input') reach.add(n.name!);
      stack.push(...combDeps(m, n, summaries));
    }
    out.set(p.name, reach);
  }
  return out;
}
