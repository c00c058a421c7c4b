import { ElaborationError, type Diagnostic } from '../core/diagnostics.ts';
import type { IrDesign } from '../ir/ir.ts';
import { checkCombLoops } from './check-comb-loops.ts';
import { checkLatches } from './check-latches.ts';
import { checkNames } from './check-names.ts';
import { checkUndriven } from './check-undriven.ts';
import { checkWidths } from './check-widths.ts';

/** The named checks, in the order they run. `multiple-drivers` is found while lowering `when` blocks. */
export const checkPasses: readonly { readonly name: string; readonly run: (d: IrDesign) => Diagnostic[] }[] = [
  { name: 'name-collision', run: checkNames },
  { name: 'width-mismatch', run: checkWidths },
  { name: 'undriven', run: checkUndriven },
  { name: 'latch', run: checkLatches },
  { name: 'comb-loop', run: checkCombLoops },
];

/** Runs every check and throws one error listing all problems in source order. */
export function runChecks(design: IrDesign, earlier: readonly Diagnostic[] = []): void {
  const all = [...earlier];
  for (const p of checkPasses) all.push(...p.run(design));
  if (all.length === 0) return;
  all.sort((a, b) => (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.line - b.loc.line || a.loc.col - b.loc.col));
  throw new ElaborationError(all);
}
