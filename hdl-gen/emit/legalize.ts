import type { IrModule, IrNode } from '../ir/ir.ts';
import { evalOp, mask } from '../ir/semantics.ts';

/**
 * Legalisation for the SystemVerilog printer (the printer itself stays dumb):
 * - folds nodes whose value does not depend on their operands (constant operands, shifts by at
 *   least the width, `x - x`, `x != x` and the like, ordered compares that a constant operand decides) so that
 *   Verilator never sees a comparison it would flag as constant;
 * - finds the live nodes (those the printed text will reference);
 * - decides which nodes get a name: user names for declared signals, `_t<N>` temporaries
 *   (numbered in node order) for shared subexpressions and for operands that SV can only
 *   bit-select by name; everything else is printed inline;
 * - lists the bits of named signals that nothing reads, so the printer can route them to
 *   Verilator's `*unused*` sink instead of leaving UNUSEDSIGNAL warnings.
 *
 * Inline printing is safe because every IR operator has operands of its own width (or
 * self-determined operands: concatenations, shift amounts, select and reduction operands), so SV
 * context sizing never widens an inlined subexpression, and all inlined expressions are unsigned.
 * `dshr` of SInt (`$signed(a) >>> b`, a signed result) is always a temporary.
 */
export interface Legalized {
  /** Printed name of each node that has one (declared signals and temporaries). */
  readonly names: ReadonlyMap<number, string>;
  /** Temporaries in node order. */
  readonly temps: readonly number[];
  /** Nodes printed as a literal, with their value. */
  readonly folded: ReadonlyMap<number, bigint>;
  /** For each node whose bits are not all read: the unread [lo, width] ranges, in node order. */
  readonly unused: readonly { readonly node: number; readonly ranges: readonly [number, number][] }[];
}

export function legalize(m: IrModule): Legalized {
  const folded = foldConstants(m);
  const live = liveNodes(m, folded);
  const uses = new Int32Array(m.nodes.length);
  const needsName = new Uint8Array(m.nodes.length);
  for (const n of m.nodes) {
    if (!live[n.id] || folded.has(n.id)) continue;
    for (const a of n.args) uses[a]++;
    if ((n.op === 'slice' || n.op === 'sext' || (n.op === 'shr' && n.signedOp)) && !folded.has(n.args[0])) needsName[n.args[0]] = 1;
    if (n.op === 'dshr' && n.signedOp) needsName[n.id] = 1;
  }
  const named = new Uint8Array(m.nodes.length);
  for (const n of m.nodes) if (n.name !== undefined) named[n.id] = 1;
  const isTemp = new Uint8Array(m.nodes.length);
  for (const n of m.nodes) {
    if (named[n.id] || !live[n.id] || folded.has(n.id) || n.op === 'const') continue;
    if (needsName[n.id] || uses[n.id] > 1) isTemp[n.id] = 1;
  }
  boundInlineDepth(m, (id) => !named[id] && !isTemp[id] && live[id] === 1 && !folded.has(id) && m.nodes[id].op !== 'const', isTemp);
  const names = new Map<number, string>();
  const temps: number[] = [];
  for (const n of m.nodes) if (n.name !== undefined) names.set(n.id, n.name);
  for (const n of m.nodes) {
    if (!isTemp[n.id]) continue;
    names.set(n.id, `_t${temps.length}`);
    temps.push(n.id);
  }
  return { names, temps, folded, unused: unusedBits(m, names, live, folded) };
}

/** Deepest operator nesting printed inline; deeper expressions are cut with temporaries. */
export const MAX_INLINE_DEPTH = 32;

/**
 * Marks as temporaries the inline nodes whose printed expression would nest deeper than
 * MAX_INLINE_DEPTH (e.g. a long reduction chain), keeping lines readable and the printer's
 * recursion shallow. Iterative post-order, so arbitrarily deep netlists are fine here too.
 */
function boundInlineDepth(m: IrModule, inline: (id: number) => boolean, isTemp: Uint8Array): void {
  const depth = new Int32Array(m.nodes.length).fill(-1);
  const argDepth = (a: number) => (inline(a) ? depth[a] : 0);
  for (const root of m.nodes) {
    if (!inline(root.id) || depth[root.id] >= 0) continue;
    const stack: [number, number][] = [[root.id, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const args = m.nodes[top[0]].args;
      if (top[1] < args.length) {
        const a = args[top[1]++];
        if (inline(a) && depth[a] < 0) stack.push([a, 0]);
        continue;
      }
      stack.pop();
      const d = 1 + args.reduce((mx, a) => Math.max(mx, argDepth(a)), 0);
      if (d > MAX_INLINE_DEPTH) {
        isTemp[top[0]] = 1;
        depth[top[0]] = 0;
      } else depth[top[0]] = d;
    }
  }
}

/** Values of nodes that the printer writes as literals. */
function foldConstants(m: IrModule): Map<number, bigint> {
  const folded = new Map<number, bigint>();
  // Operands may come later in node order (wires, registers), so iterate to a fixed point.
  let changed = true;
  while (changed) {
    changed = false;
    for (const n of m.nodes) {
      if (folded.has(n.id)) continue;
      const v = foldOne(m, n, folded);
      if (v !== null) {
        folded.set(n.id, v);
        changed = true;
      }
    }
  }
  return folded;
}

function foldOne(m: IrModule, n: IrNode, folded: ReadonlyMap<number, bigint>): bigint | null {
  if (n.op === 'const') return n.value!;
  // A named wire with a constant driver keeps its name, but Verilator propagates its value.
  if (n.op === 'wire') return folded.get(n.args[0]) ?? null;
  if (n.name !== undefined || n.op === 'undriven' || n.op === 'reg' || n.op === 'memread' || n.op === 'instout' || n.op === 'input') return null;
  if (n.args.length && n.args.every((a) => folded.has(a))) {
    return evalOp(n, n.args.map((a) => folded.get(a)!), n.args.map((a) => m.nodes[a].width)) & mask(n.width);
  }
  // Operations that a constant operand decides alone (Verilator folds them too).
  const k = (i: number) => folded.get(n.args[i]);
  if ((n.op === 'shl' || n.op === 'shr' || n.op === 'dshl' || n.op === 'dshr') && k(0) === 0n) return 0n;
  if ((n.op === 'and' || n.op === 'mul') && (k(0) === 0n || k(1) === 0n)) return 0n;
  if (n.op === 'or' && (k(0) === mask(n.width) || k(1) === mask(n.width))) return mask(n.width);
  if (n.op === 'mux' && k(0) !== undefined) {
    const arm = folded.get(n.args[k(0) ? 1 : 2]);
    if (arm !== undefined) return arm;
  }
  if (n.args.length === 2 && n.args[0] === n.args[1]) {
    // x OP x: Verilator folds these itself and then flags comparisons against the constant.
    if (n.op === 'eq' || n.op === 'le' || n.op === 'ge') return 1n;
    if (n.op === 'ne' || n.op === 'lt' || n.op === 'gt' || n.op === 'sub' || n.op === 'xor') return 0n;
  }
  if ((n.op === 'shl' || (n.op === 'shr' && !n.signedOp)) && n.amount! >= n.width) return 0n;
  if ((n.op === 'dshl' || (n.op === 'dshr' && !n.signedOp)) && (folded.get(n.args[1]) ?? -1n) >= BigInt(n.width)) return 0n;
  if ((n.op === 'lt' || n.op === 'le' || n.op === 'gt' || n.op === 'ge') && (folded.has(n.args[0]) || folded.has(n.args[1]))) {
    // Against a constant, an ordered compare is monotonic in the other operand: it is constant
    // (and Verilator flags it) when it agrees at both ends of that operand's range.
    const w = m.nodes[n.args[0]].width;
    const ends = n.signedOp ? [1n << BigInt(w - 1), (1n << BigInt(w - 1)) - 1n] : [0n, mask(w)];
    const at = (x: bigint) => evalOp(n, folded.has(n.args[0]) ? [folded.get(n.args[0])!, x] : [x, folded.get(n.args[1])!], [w, w]);
    const lo = at(ends[0]);
    if (lo === at(ends[1])) return lo;
  }
  return null;
}

/** Nodes the printed module references: from every declared signal, memory port and instance pin. */
function liveNodes(m: IrModule, folded: ReadonlyMap<number, bigint>): Uint8Array {
  const live = new Uint8Array(m.nodes.length);
  const stack: number[] = [];
  for (const n of m.nodes) if (n.name !== undefined) stack.push(n.id);
  for (const mem of m.memories) for (const w of mem.writes) stack.push(w.addr, w.data, w.enable);
  for (const inst of m.instances) for (const c of inst.connections) stack.push(c.node);
  for (const d of m.domains) {
    stack.push(d.clock);
    if (d.reset !== null) stack.push(d.reset);
  }
  while (stack.length) {
    const id = stack.pop()!;
    if (live[id]) continue;
    live[id] = 1;
    if (!folded.has(id)) stack.push(...m.nodes[id].args);
  }
  return live;
}

/** Bits of named signals (inputs, wires, registers, read ports, instance outputs) that nothing reads. */
function unusedBits(m: IrModule, names: ReadonlyMap<number, string>, live: Uint8Array, folded: ReadonlyMap<number, bigint>): { node: number; ranges: [number, number][] }[] {
  const read: Uint8Array[] = m.nodes.map((n) => (names.has(n.id) ? new Uint8Array(n.width) : new Uint8Array(0)));
  const mark = (id: number, lo: number, width: number) => {
    const r = read[id];
    for (let i = lo; i < lo + width && i < r.length; i++) r[i] = 1;
  };
  for (const n of m.nodes) {
    if (!live[n.id] || folded.has(n.id)) continue;
    if (n.op === 'slice') {
      mark(n.args[0], n.lo!, n.width);
      continue;
    }
    if (n.op === 'shr' && n.signedOp) {
      const a = m.nodes[n.args[0]];
      const k = Math.min(n.amount!, a.width - 1);
      mark(a.id, k, a.width - k);
      continue;
    }
    if ((n.op === 'dshl' || n.op === 'dshr') && folded.has(n.args[1])) {
      // Printed as a shift by a literal amount: the amount signal is not referenced.
      mark(n.args[0], 0, m.nodes[n.args[0]].width);
      continue;
    }
    if (n.op === 'reg' && n.args.length === 1 && n.args[0] === n.id) continue;
    for (const a of n.args) mark(a, 0, m.nodes[a].width);
  }
  for (const mem of m.memories) for (const w of mem.writes) for (const a of [w.addr, w.data, w.enable]) mark(a, 0, m.nodes[a].width);
  for (const inst of m.instances) for (const c of inst.connections) if (c.dir === 'input') mark(c.node, 0, m.nodes[c.node].width);
  // Clocks and resets are read by the sequential elements of their domain.
  m.domains.forEach((d, di) => {
    const sequential =
      m.nodes.some((n) => (n.op === 'reg' && n.domain === di) || (n.op === 'memread' && n.sync && n.domain === di)) || m.memories.some((mem) => mem.writes.some((w) => w.domain === di));
    if (!sequential) return;
    mark(d.clock, 0, 1);
    const resetUsed = m.nodes.some((n) => n.op === 'reg' && n.domain === di && n.init !== null && n.init !== undefined);
    if (d.reset !== null && resetUsed) mark(d.reset, 0, 1);
  });
  const out: { node: number; ranges: [number, number][] }[] = [];
  for (const n of m.nodes) {
    // Outputs and instance inputs are read from outside the module.
    if (!names.has(n.id) || n.portDir === 'output' || (n.op === 'wire' && n.instance !== undefined)) continue;
    const r = read[n.id];
    const ranges: [number, number][] = [];
    for (let i = 0; i < r.length; i++) {
      if (r[i]) continue;
      const lo = i;
      while (i < r.length && !r[i]) i++;
      ranges.push([lo, i - lo]);
    }
    if (ranges.length) out.push({ node: n.id, ranges });
  }
  return out;
}
