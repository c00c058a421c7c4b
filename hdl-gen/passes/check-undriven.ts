import type { Diagnostic } from '../core/diagnostics.ts';
import type { IrDesign, IrModule, IrNode } from '../ir/ir.ts';
import { liveNodes } from './live-nodes.ts';

/** undriven: outputs, wires, registers and instance inputs that nothing drives (on any path). */
export function checkUndriven(design: IrDesign): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of design.modules) {
    m.memories.forEach((mem, i) => {
      if (!m.nodes.some((n) => n.op === 'memread' && n.memory === i)) {
        out.push({ check: 'undriven', loc: mem.loc, message: `memory '${mem.name}' of module '${m.name}' is never read`, help: 'add a read port (read or readSync), or remove the memory' });
      } else if (mem.writes.length === 0 && !mem.init) {
        out.push({ check: 'undriven', loc: mem.loc, message: `memory '${mem.name}' of module '${m.name}' is never written and has no initial contents`, help: 'add a write port, or give init contents for a ROM' });
      }
    });
    const live = liveNodes(m);
    const holes = new Map<number, number>();
    for (const n of m.nodes) {
      if (n.op === 'undriven' && n.undriven!.reason === 'never' && live[n.id]) holes.set(n.undriven!.target, (holes.get(n.undriven!.target) ?? 0) + n.width);
    }
    for (const [target, missing] of holes) {
      const t = m.nodes[target];
      const bits = missing === t.width ? '' : ` (${missing} of its ${t.width} bits)`;
      out.push({
        check: 'undriven',
        loc: t.loc,
        message: `${describe(m, t)} is never driven${bits}`,
        help: t.op === 'reg' ? `assign its next value with .set(...), or remove it` : `drive it with .set(...) on every path (a default assignment before any m.when is simplest)`,
      });
    }
  }
  return out;
}

export function describe(m: IrModule, n: IrNode): string {
  if (n.instance !== undefined) return `input '${n.port}' of instance '${m.instances[n.instance]?.name ?? n.name}' in module '${m.name}'`;
  const kind = n.portDir === 'output' ? 'output port' : n.op === 'reg' ? 'register' : 'wire';
  return `${kind} '${n.name}' of module '${m.name}'`;
}
