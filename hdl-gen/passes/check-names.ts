import type { Diagnostic } from '../core/diagnostics.ts';
import type { SourceLoc } from '../core/source-location.ts';
import type { IrDesign, IrModule } from '../ir/ir.ts';
import { svKeywords } from './sv-keywords.ts';

/**
 * name-collision: every name the emitter will print in a module (ports, wires, registers, memories,
 * instances and the wires it makes for instance ports) must be unique, not an SV keyword, and not
 * start with '_' (reserved for generated temporaries). Module names follow the same rules.
 */
export function checkNames(design: IrDesign): Diagnostic[] {
  const out: Diagnostic[] = [];
  const moduleNames = new Map<string, SourceLoc>();
  for (const m of design.modules) {
    checkOne(m.name, m.loc, 'module', out);
    moduleNames.set(m.name, m.loc);
    checkModule(m, out);
  }
  return out;
}

function checkOne(name: string, loc: SourceLoc, what: string, out: Diagnostic[]): void {
  if (svKeywords.has(name)) {
    out.push({ check: 'name-collision', loc, message: `${what} name '${name}' is a SystemVerilog keyword`, help: `rename it, e.g. '${name}_r'` });
  } else if (name.startsWith('_')) {
    out.push({ check: 'name-collision', loc, message: `${what} name '${name}' starts with '_', which is reserved for generated temporaries`, help: 'start the name with a letter' });
  }
}

function checkModule(m: IrModule, out: Diagnostic[]): void {
  const seen = new Map<string, { loc: SourceLoc; what: string }>();
  const visit = (name: string, loc: SourceLoc, what: string) => {
    checkOne(name, loc, what, out);
    const prev = seen.get(name);
    if (prev) {
      out.push({
        check: 'name-collision',
        loc,
        message: `${what} '${name}' in module '${m.name}' has the same name as the ${prev.what} declared earlier`,
        related: [{ loc: prev.loc, note: `the ${prev.what} '${name}' is declared here` }],
        help: 'rename one of them',
      });
    } else seen.set(name, { loc, what });
  };
  for (const n of m.nodes) {
    if (n.name === undefined) continue;
    const what =
      n.portDir === 'input' ? 'input port' : n.portDir === 'output' ? 'output port' : n.op === 'reg' ? 'register' : n.op === 'memread' ? 'memory read port' : n.instance !== undefined ? `port wire of instance` : 'wire';
    visit(n.name, n.loc, what);
  }
  for (const mem of m.memories) visit(mem.name, mem.loc, 'memory');
  for (const inst of m.instances) visit(inst.name, inst.loc, 'instance');
}
