import type { IrModule } from '../ir/ir.ts';

/**
 * Nodes that drive something: reachable from declared signals (wires, registers, outputs,
 * instance pins, read ports) and memory write ports. Lowering may leave dead nodes behind (a
 * branch value that a later assignment overrode); checks look only at live ones.
 */
export function liveNodes(m: IrModule): Uint8Array {
  const live = new Uint8Array(m.nodes.length);
  const stack: number[] = [];
  for (const n of m.nodes) if (n.name !== undefined) stack.push(n.id);
  for (const mem of m.memories) for (const w of mem.writes) stack.push(w.addr, w.data, w.enable);
  for (const inst of m.instances) for (const c of inst.connections) stack.push(c.node);
  while (stack.length) {
    const id = stack.pop()!;
    if (live[id]) continue;
    live[id] = 1;
    stack.push(...m.nodes[id].args);
  }
  return live;
}
