import type { Diagnostic } from '../core/diagnostics.ts';
import type { IrDesign, IrModule, IrNode } from '../ir/ir.ts';

/**
 * width-mismatch: re-validates every IR node against the operator width rules, and every
 * connection against the port it drives. The front end already refuses ill-sized expressions at
 * the call site; this pass guards the IR itself (lowering, hand-built or fuzzer-built IR), so that
 * the emitter and simulator may rely on it: nothing is ever truncated or extended silently.
 */
export function checkWidths(design: IrDesign): Diagnostic[] {
  const out: Diagnostic[] = [];
  const portWidths = new Map<string, Map<string, number>>();
  for (const m of design.modules) portWidths.set(m.name, new Map(m.ports.map((p) => [p.name, p.width])));
  for (const m of design.modules) {
    for (const n of m.nodes) {
      const problem = nodeWidthProblem(m, n);
      if (problem) out.push({ check: 'width-mismatch', loc: n.loc, message: `in module '${m.name}': ${problem}`, help: 'make the widths agree with an explicit zext/sext/trunc/resize' });
    }
    for (const inst of m.instances) {
      const widths = portWidths.get(inst.module);
      for (const c of inst.connections) {
        const want = widths?.get(c.port);
        const got = m.nodes[c.node].width;
        if (want !== undefined && want !== got) {
          out.push({ check: 'width-mismatch', loc: inst.loc, message: `port '${c.port}' of instance '${inst.name}' is ${want} bits, connected to ${got} bits`, help: 'connect a value of the port width' });
        }
      }
    }
    for (const mem of m.memories) {
      for (const w of mem.writes) {
        if (m.nodes[w.data].width !== mem.width) {
          out.push({ check: 'width-mismatch', loc: w.loc, message: `write to memory '${mem.name}' has data of ${m.nodes[w.data].width} bits for ${mem.width}-bit words`, help: 'write words of the memory width' });
        }
        if (m.nodes[w.enable].width !== 1) {
          out.push({ check: 'width-mismatch', loc: w.loc, message: `write to memory '${mem.name}' has a ${m.nodes[w.enable].width}-bit enable`, help: 'the write enable is one bit' });
        }
      }
    }
  }
  return out;
}

/** Why a node violates its operator's width rule, or null. */
export function nodeWidthProblem(m: IrModule, n: IrNode): string | null {
  const w = (i: number) => m.nodes[n.args[i]].width;
  const same = (k: number) => (n.args.length === k && n.args.every((_, i) => w(i) === n.width) ? null : `${n.op} needs ${k} operand(s) of ${n.width} bits, got ${n.args.map((_, i) => w(i)).join(', ')}`);
  switch (n.op) {
    case 'input':
    case 'undriven':
    case 'instout':
      return null;
    case 'const':
      return n.value! >= 0n && n.value! < 1n << BigInt(n.width) ? null : `constant ${n.value} does not fit ${n.width} bits`;
    case 'wire':
    case 'reg':
      return n.args.length === 1 && w(0) === n.width ? null : `'${n.name}' (${n.width} bits) is driven by ${n.args.length ? w(0) : 'no'} bits`;
    case 'memread': {
      const mem = m.memories[n.memory!];
      return mem.width === n.width ? null : `read port of memory '${mem.name}' is ${n.width} bits for ${mem.width}-bit words`;
    }
    case 'not':
    case 'neg':
      return same(1);
    case 'and':
    case 'or':
    case 'xor':
    case 'add':
    case 'sub':
    case 'mul':
      return same(2);
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      if (n.width !== 1) return `${n.op} produces ${n.width} bits; a comparison produces 1 bit`;
      return n.args.length === 2 && w(0) === w(1) ? null : `${n.op} compares ${w(0)} with ${w(1)} bits`;
    case 'shl':
    case 'shr':
      return n.args.length === 1 && w(0) === n.width && Number.isInteger(n.amount) && n.amount! >= 0 ? null : `${n.op} by ${n.amount} of ${w(0)} bits into ${n.width}`;
    case 'dshl':
    case 'dshr':
      return n.args.length === 2 && w(0) === n.width ? null : `${n.op} of ${w(0)} bits into ${n.width}`;
    case 'andr':
    case 'orr':
    case 'xorr':
      return n.width === 1 && n.args.length === 1 ? null : `${n.op} must produce 1 bit`;
    case 'mux':
      return n.args.length === 3 && w(0) === 1 && w(1) === n.width && w(2) === n.width ? null : `mux with a ${w(0)}-bit select and arms of ${w(1)} and ${w(2)} bits into ${n.width}`;
    case 'slice':
      return n.args.length === 1 && n.lo! >= 0 && n.lo! + n.width <= w(0) ? null : `slice [${n.lo! + n.width - 1}:${n.lo}] of a ${w(0)}-bit value`;
    case 'concat': {
      const sum = n.args.reduce((s, a) => s + m.nodes[a].width, 0);
      return sum === n.width ? null : `concat of ${sum} bits into ${n.width}`;
    }
    case 'zext':
    case 'sext':
      return n.args.length === 1 && w(0) <= n.width ? null : `${n.op} from ${w(0)} to ${n.width} bits narrows`;
  }
}
