import type { Diagnostic } from '../core/diagnostics.ts';
import type { IrDesign } from '../ir/ir.ts';
import { describe } from './check-undriven.ts';
import { liveNodes } from './live-nodes.ts';

/**
 * latch: a combinational signal assigned on some paths of a `when` but not others would have to
 * remember its value: a latch. Registers are exempt (they hold by design).
 */
export function checkLatches(design: IrDesign): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of design.modules) {
    const reported = new Set<number>();
    const live = liveNodes(m);
    for (const n of m.nodes) {
      if (n.op !== 'undriven' || n.undriven!.reason !== 'partial' || !live[n.id] || reported.has(n.undriven!.target)) continue;
      reported.add(n.undriven!.target);
      const t = m.nodes[n.undriven!.target];
      out.push({
        check: 'latch',
        loc: n.undriven!.whenLoc!,
        message: `${describe(m, t)} is assigned on only some paths of this when: it would infer a latch`,
        related: [{ loc: t.loc, note: `'${t.name}' is declared here` }],
        help: `give '${t.name}' a default with .set(...) before the when, or assign it in an otherwise branch`,
      });
    }
  }
  return out;
}
