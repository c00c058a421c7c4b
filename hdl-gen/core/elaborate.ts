import type { IrBlackbox, IrDesign } from '../ir/ir.ts';
import { lowerModule } from '../ir/lower.ts';
import { runChecks } from '../passes/run-checks.ts';
import type { Diagnostic } from './diagnostics.ts';
import { elaborateModule, newContext, type ModuleDef, type Params } from './module.ts';

/**
 * Front end to checked IR: runs the module generators (AST), lowers every module, and runs the
 * named checks. Throws ElaborationError (a UserError) with every problem and its source location.
 */
export function elaborate<P extends Params>(def: ModuleDef<P, any>, params: P): IrDesign {
  const { design, diagnostics } = elaborateUnchecked(def, params);
  runChecks(design, diagnostics);
  return design;
}

/**
 * The first two phases alone: generators to AST, AST to IR. Returns the lowering diagnostics for
 * `runChecks` to report with its own; only for tools that time the phases separately (the bench).
 */
export function elaborateUnchecked<P extends Params>(def: ModuleDef<P, any>, params: P): { design: IrDesign; diagnostics: Diagnostic[] } {
  const ctx = newContext();
  const top = elaborateModule(def, params, ctx, def.loc);
  const diagnostics: Diagnostic[] = [];
  const modules = ctx.order.map((ast) => {
    const r = lowerModule(ast);
    diagnostics.push(...r.diagnostics);
    return r.module;
  });
  const blackboxes = new Map<string, IrBlackbox>();
  for (const ast of ctx.order) {
    for (const inst of ast.instances) {
      if (!inst.blackbox || blackboxes.has(inst.moduleName)) continue;
      const ports = [
        ...inst.clockBindings.map((b) => ({ name: b.port, dir: 'input' as const, width: 1 })),
        ...inst.ports.map((p) => ({ name: p.extra.port!, dir: p.declKind === 'instance-input' ? ('input' as const) : ('output' as const), width: p.type.width })),
      ];
      blackboxes.set(inst.moduleName, { name: inst.moduleName, source: inst.blackbox.source, ports });
    }
  }
  const design: IrDesign = { top: top.name, modules, blackboxes: [...blackboxes.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) };
  return { design, diagnostics };
}
