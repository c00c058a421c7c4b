import type { IrDesign } from '../../hdl-gen/ir/ir.ts';
import { flattenDesign, type FlatDesign } from './flatten.ts';
import { findSharedInstances, orderUnits, type SharedGroup } from './shared-instances.ts';

/**
 * A cycle-accurate, two-state simulator of an IrDesign (the same IR the SystemVerilog printer
 * consumes), compiled once to JavaScript with `new Function`.
 *
 * Model (chosen to match the printed SV as Verilator runs it; verif/sim/verilator-crosscheck.ts
 * compares the two on random designs):
 * - Values are unsigned bit patterns of the node width. Nodes of at most 32 bits are JS numbers
 *   (stored in a Uint32Array), wider nodes are BigInts. Every combinational operator has exactly
 *   the meaning of `evalOp` in hdl-gen/ir/semantics.ts.
 * - The instance tree is flattened at construction. Blackbox instances are rejected.
 * - ONE CLOCK: every clock domain ticks on the same edge, once per `step()`. A design with several
 *   clocks is simulated as if all its clocks were the same signal. Clock ports cannot be poked.
 * - At the edge, registers take their next value, or their reset value when their domain's reset is
 *   at its active level (sync and async alike; registers without `init` ignore reset, as in the
 *   printed SV where they live in a separate `always_ff` without reset). Synchronous read ports
 *   capture mem[addr] when enabled (else hold); memory writes happen after every read has sampled
 *   (SV nonblocking semantics: a sync read of an address written in the same cycle returns the OLD
 *   word; an async read sees the new word after the edge). Several writes to the same word in one
 *   cycle: the last in the printer's order wins (domain order, then write order).
 * - Asynchronous reset is edge-triggered like the printed `always_ff @(posedge clk or posedge rst)`
 *   in Verilator: when the design settles (on peek or step) and an async reset has become active
 *   since the previous settle, the domain's registers (with init) take their reset value at once,
 *   without a clock edge, and keep it after reset is released until the next clock edge; while it
 *   stays active every clock edge reloads it. As in Verilator, whose first eval() sees no edges, the
 *   first settle only records the reset level: a reset already active then (e.g. an active-low
 *   reset left at its initial 0) acts at the first clock edge. (Checked with Verilator 5.006.)
 * - Memory addresses beyond `depth - 1` (depth not a power of two) read as 0 and writes to them are
 *   dropped: what Verilator 5 does for the printed `mem[addr]` (checked with verilator --binary).
 * - Initial state: registers, sync read ports and memories without `init` start at 0 (Verilator's
 *   default with no X randomization, +verilator+rand+reset+0). Registers with a reset value also
 *   start at 0 until reset is applied. Memory `init` contents apply at construction.
 * - Inputs start at 0.
 */
export interface IrSimulatorOptions {
  /**
   * Size limits of each generated function: V8 does not optimize very large functions, so big
   * netlists are split. `chunkChars` (default 16000) bounds the code size, `chunkSize` (default
   * unlimited) the number of nodes; small values are useful only to test the splitting.
   */
  readonly chunkChars?: number;
  readonly chunkSize?: number;
  /** Receives the generated JavaScript (for debugging). */
  readonly dumpCode?: (code: string) => void;
  /**
   * Simulate replicated instances (same module, wired alike) with one shared function per module
   * (default true). false generates code per instance; the results are the same.
   */
  readonly shareInstances?: boolean;
}

export class SimulatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorError';
  }
}

interface PortInfo {
  readonly name: string;
  readonly dir: 'input' | 'output';
  readonly width: number;
  readonly role?: 'clock' | 'reset';
  /** Rep of the port node. */
  readonly node: number;
}

/** How generated code refers to a node's value. */
interface Refs {
  ref(g: number): string;
  /** The array of memory k (default: the global m<k>). */
  mem?(k: number): string;
}

interface Compiled {
  settle(): void;
  edge(): void;
  run(n: number): void;
}

const BIG = 32;

function maskNum(w: number): string {
  return w === 32 ? '0xffffffff' : String(2 ** w - 1);
}
function maskBig(w: number): string {
  return `0x${((1n << BigInt(w)) - 1n).toString(16)}n`;
}
/** Normalizes an int32-ish number expression to a w-bit unsigned value (w <= 32). */
function normS(e: string, w: number): string {
  return w === 32 ? `((${e}) >>> 0)` : `((${e}) & ${maskNum(w)})`;
}
/**
 * BigInt code avoids BigInt.asUintN / BigInt.asIntN on purpose: with 64 bits or fewer, V8 11.3
 * (Node 20) lowers them to machine words and its optimizing compiler aborts the whole process
 * ("RepresentationChangerError: Phi of kRepTagged (UnsignedBigInt64) cannot be changed to
 * kRepWord64") when such a value flows through a conditional into another asUintN. Constant masks
 * and sign-bit arithmetic have the same meaning and are not affected.
 */
function maskB(e: string, w: number): string {
  return `((${e}) & ${maskBig(w)})`;
}
function signBit(w: number): string {
  return `0x${(1n << BigInt(w - 1)).toString(16)}n`;
}
/** Two's complement value of a w-bit BigInt pattern: (x ^ S) - S with S the sign bit. */
function signedB(e: string, w: number): string {
  return `((${e} ^ ${signBit(w)}) - ${signBit(w)})`;
}
/** Two's complement value of a w-bit (w <= 32) number, as an int32. */
function signedS(e: string, w: number): string {
  return w === 32 ? `(${e} | 0)` : `((${e} << ${32 - w}) >> ${32 - w})`;
}

/** Runtime helpers referenced by generated code. */
const helpers = {
  par32(x: number): number {
    x ^= x >>> 16;
    x ^= x >>> 8;
    x ^= x >>> 4;
    x ^= x >>> 2;
    x ^= x >>> 1;
    return x & 1;
  },
  parBig(x: bigint): number {
    let p = 0;
    while (x) {
      p ^= helpers.par32(Number(x & 0xffffffffn));
      x >>= 32n;
    }
    return p;
  },
};

export class IrSimulator {
  /** Number of clock edges since construction (including those of `reset()`). */
  cycle = 0;

  readonly flat: FlatDesign;
  /** Size statistics of the compiled netlist. */
  readonly stats: { readonly nodes: number; readonly combNodes: number; readonly stateNodes: number; readonly memories: number; readonly functions: number; readonly codeChars: number; readonly sharedModules: number; readonly sharedInstances: number };

  private readonly u: Uint32Array;
  private readonly b: bigint[];
  private readonly mems: (Uint32Array | bigint[])[];
  private readonly big: Uint8Array;
  /** Global rep id -> slot in u/b (or -1). */
  private readonly slot: Int32Array;
  private readonly ports = new Map<string, PortInfo>();
  private readonly compiled: Compiled;
  private dirty = true;

  constructor(design: IrDesign, opts: IrSimulatorOptions = {}) {
    const chunkSize = Math.max(1, opts.chunkSize ?? Infinity);
    const chunkChars = Math.max(1000, opts.chunkChars ?? 16000);
    const flat = flattenDesign(design, 'IrSimulator');
    this.flat = flat;
    const { nodes, rep, args } = flat;
    const N = nodes.length;
    const big = new Uint8Array(N);
    for (let g = 0; g < N; g++) big[g] = nodes[g].width > BIG ? 1 : 0;
    this.big = big;

    // ---- classify real nodes ------------------------------------------------------------
    const isReal = (g: number) => rep[g] === g;
    const top = flat.top;
    const isState = (g: number) => {
      const n = nodes[g];
      return n.op === 'reg' || (n.op === 'memread' && n.sync) || n.op === 'input';
    };
    const isComb = (g: number) => {
      const n = nodes[g];
      if (n.op === 'memread') return !n.sync;
      return n.op !== 'reg' && n.op !== 'input' && n.op !== 'const' && n.op !== 'undriven';
    };
    for (let g = 0; g < N; g++) {
      if (!isReal(g)) continue;
      const n = nodes[g];
      if (n.op === 'input' && flat.owner[g] !== top) throw new SimulatorError(`IrSimulator: internal error, unresolved input '${n.name}'`);
      if (n.op === 'instout' || n.op === 'wire') throw new SimulatorError(`IrSimulator: internal error, unresolved ${n.op} '${n.name}'`);
      if (n.op === 'memread') {
        const aw = nodes[args[g][0]].width;
        if (aw > BIG) throw new SimulatorError(`IrSimulator: memory address of ${aw} bits is not supported`);
      }
    }

    // ---- topological order of combinational nodes ----------------------------------------
    const order: number[] = [];
    const mark = new Uint8Array(N); // 0 new, 1 on stack, 2 done
    for (let root = 0; root < N; root++) {
      if (!isReal(root) || !isComb(root) || mark[root]) continue;
      const stack: [number, number][] = [[root, 0]];
      mark[root] = 1;
      while (stack.length) {
        const top2 = stack[stack.length - 1];
        const [v, i] = top2;
        const a = args[v];
        if (i < a.length) {
          top2[1]++;
          const w = a[i];
          if (!isComb(w)) continue;
          if (mark[w] === 1) throw new SimulatorError(`IrSimulator: combinational loop through '${nodes[w].name ?? nodes[w].op}' in '${flat.owner[w].path || flat.owner[w].module.name}'`);
          if (mark[w] === 0) {
            mark[w] = 1;
            stack.push([w, 0]);
          }
          continue;
        }
        stack.pop();
        mark[v] = 2;
        order.push(v);
      }
    }

    // ---- which combinational values must be kept in the state arrays ----------------------
    const needStore = new Uint8Array(N);
    for (const g of flat.named.values()) needStore[g] = 1;
    for (const p of top.module.ports) needStore[rep[top.base + p.node]] = 1;
    for (let g = 0; g < N; g++) {
      if (!isReal(g)) continue;
      const n = nodes[g];
      if (n.op === 'reg' || (n.op === 'memread' && n.sync)) for (const a of args[g]) needStore[a] = 1;
    }
    for (const m of flat.memories) for (const w of m.writes) needStore[w.addr] = needStore[w.data] = needStore[w.enable] = 1;
    for (const d of flat.domains) if (d.reset !== null) needStore[d.reset] = 1;

    // ---- replicated instances: one shared function per module (see shared-instances.ts) -----
    // Unit ids: a combinational node outside the groups is unit g (< N); shared instance t is N + t.
    const regReset = (g: number): number | null => {
      const n = nodes[g];
      if (n.op !== 'reg' || n.init === null || n.init === undefined) return null;
      return flat.domains[flat.owner[g].domainBase + n.domain!].reset;
    };
    const deps = (g: number): readonly number[] => {
      const r = regReset(g);
      return r === null ? args[g] : [...args[g], r];
    };
    let groups: SharedGroup[] = opts.shareInstances === false ? [] : findSharedInstances(flat, { rep, deps });
    const sharedOf = new Int32Array(N).fill(-1); // global id -> shared instance t
    const sharedGroup: number[] = []; // t -> group index
    const sharedIndex: number[] = []; // t -> instance index within its group
    const assignShared = () => {
      sharedOf.fill(-1);
      sharedGroup.length = sharedIndex.length = 0;
      groups.forEach((grp, gi) =>
        grp.instances.forEach((inst, k) => {
          const t = sharedGroup.length;
          sharedGroup.push(gi);
          sharedIndex.push(k);
          sharedOf.fill(t, inst.base, inst.base + grp.size);
        }),
      );
    };
    assignShared();
    const unitOf = (g: number) => (sharedOf[g] >= 0 ? N + sharedOf[g] : g);
    /** What a unit reads from other combinational units (restricted to `keep`). */
    const unitSucc = (keep: Uint8Array) => {
      const memo = new Map<number, number[]>();
      return (unit: number): readonly number[] => {
        if (unit < N) return args[unit].filter((a) => isComb(a) && keep[a]).map(unitOf);
        let s = memo.get(unit);
        if (!s) {
          const inst = groups[sharedGroup[unit - N]].instances[sharedIndex[unit - N]];
          const set = new Set<number>();
          for (let g = inst.base; g < inst.base + groups[sharedGroup[unit - N]].size; g++) {
            if (!isReal(g) || !isComb(g) || !keep[g]) continue;
            for (const a of args[g]) if (isComb(a) && keep[a] && unitOf(a) !== unit) set.add(unitOf(a));
          }
          s = [...set];
          memo.set(unit, s);
        }
        return s;
      };
    };
    if (groups.length) {
      // Evaluating a whole instance at once must not break a combinational path that leaves the
      // instance and comes back (legal node by node): then simulate everything flat.
      const all = new Uint8Array(N);
      for (const g of order) all[g] = 1;
      if (orderUnits(N + sharedGroup.length, order.map(unitOf), unitSucc(all)) === null) {
        groups = [];
        assignShared();
      }
    }

    // Dead-code elimination: keep only what a stored value depends on. A shared function computes
    // what any instance of its group needs.
    const live = new Uint8Array(N);
    {
      const propagate = () => {
        for (let i = order.length - 1; i >= 0; i--) {
          const g = order[i];
          if (needStore[g]) live[g] = 1;
          if (live[g]) for (const a of args[g]) live[a] = 1;
        }
      };
      propagate();
      for (const grp of groups) {
        for (let off = 0; off < grp.size; off++) {
          if (grp.instances.some((inst) => live[inst.base + off])) for (const inst of grp.instances) live[inst.base + off] = 1;
        }
      }
      if (groups.length) propagate();
      const kept = order.filter((g) => live[g]);
      order.length = kept.length;
      for (let i = 0; i < kept.length; i++) order[i] = kept[i];
    }
    // The state cone (what the clock edge reads) is evaluated every cycle; the rest (output-only and
    // named-signal logic, e.g. a wide result bus concatenated from every PE) only when observed.
    // Without this split a big array's output concatenation makes each cycle cost O(PEs^2) bits.
    // Shared instances are evaluated every cycle.
    let stateCount: number;
    {
      const inCone = new Uint8Array(N);
      for (let g = 0; g < N; g++) {
        if (!isReal(g)) continue;
        const n = nodes[g];
        if (n.op === 'reg' || (n.op === 'memread' && n.sync)) for (const a of args[g]) inCone[a] = 1;
        if (sharedOf[g] >= 0 && isComb(g)) inCone[g] = 1;
      }
      for (const m of flat.memories) for (const w of m.writes) inCone[w.addr] = inCone[w.data] = inCone[w.enable] = 1;
      for (const d of flat.domains) if (d.reset !== null) inCone[d.reset] = 1;
      for (let i = order.length - 1; i >= 0; i--) if (inCone[order[i]]) for (const a of args[order[i]]) inCone[a] = 1;
      const cone = order.filter((g) => inCone[g]);
      const rest = order.filter((g) => !inCone[g]);
      stateCount = cone.length;
      for (let i = 0; i < order.length; i++) order[i] = i < cone.length ? cone[i] : rest[i - cone.length];
    }
    // Evaluation units in order: cone first (a shared instance after everything it reads).
    const coneMark = new Uint8Array(N);
    for (let i = 0; i < stateCount; i++) coneMark[order[i]] = 1;
    const coneMarkOf = (g: number) => coneMark[g] === 1;
    const units = orderUnits(N + sharedGroup.length, order.map(unitOf), unitSucc(live))!;
    /** Unit -> length of the longest chain of units it depends on (instances of a group can depend on each other). */
    const level = new Map<number, number>();
    if (groups.length) {
      // Instances of a group at the same depth go next to each other, so that one call loops over them.
      const succ = unitSucc(live);
      for (const x of units) level.set(x, succ(x).reduce((m, y) => Math.max(m, level.get(y)! + 1), 0));
      const key = (x: number) => [x >= N || coneMarkOf(x) ? 0 : 1, level.get(x)!, x >= N ? sharedGroup[x - N] : -1, x >= N ? sharedIndex[x - N] : 0];
      const keyed = units.map((x, i) => ({ x, i, k: key(x) }));
      keyed.sort((p, q) => p.k[0] - q.k[0] || p.k[1] - q.k[1] || p.k[2] - q.k[2] || p.k[3] - q.k[3] || p.i - q.i);
      for (let i = 0; i < units.length; i++) units[i] = keyed[i].x;
    }
    const stateUnits = units.filter((x) => x >= N || coneMark[x]).length;

    // ---- code generation -----------------------------------------------------------------
    const lit = (g: number): string => {
      const n = nodes[g];
      const v = n.op === 'const' ? n.value! : 0n;
      return big[g] ? `${v}n` : String(Number(v));
    };
    const arr = (g: number) => `${big[g] ? 'b' : 'u'}[${slot[g]}]`;
    /** A chunk-local reference environment: loads state/stored values once at the chunk start. */
    class Env implements Refs {
      readonly loads: string[] = [];
      private readonly loaded = new Set<number>();
      constructor(private readonly chunk: number) {}
      ref(g: number): string {
        const n = nodes[g];
        if (n.op === 'const' || n.op === 'undriven') return lit(g);
        if (this.chunk >= 0 && sharedOf[g] < 0 && chunkOf[g] === this.chunk) return `v${g}`;
        if (slot[g] < 0) throw new SimulatorError(`IrSimulator: internal error, node ${g} (${n.op}) has no slot`);
        // A shared instance's value may be computed by a call in this very chunk: read it in place.
        if (this.chunk >= 0 && sharedOf[g] >= 0 && isComb(g)) return arr(g);
        if (!this.loaded.has(g)) {
          this.loaded.add(g);
          this.loads.push(`const v${g} = ${arr(g)};`);
        }
        return `v${g}`;
      }
    }
    const memVar = (k: number) => `m${k}`;
    /** Whether an address node can exceed the memory (depth not a power of two, or depth 1). */
    const mayOverflow = (k: number, addrNode: number) => 2 ** nodes[addrNode].width > flat.memories[k].memory.depth;
    const memRead = (k: number, addrNode: number, addr: string, env: Refs) => {
      const m = flat.memories[k].memory;
      const mv = env.mem ? env.mem(k) : memVar(k);
      if (!mayOverflow(k, addrNode)) return `${mv}[${addr}]`;
      return `(${addr} < ${m.depth} ? ${mv}[${addr}] : ${m.width > BIG ? '0n' : '0'})`;
    };

    const expr = (g: number, env: Refs): string => {
      const n = nodes[g];
      const w = n.width;
      const A = args[g];
      const r = (i: number) => env.ref(A[i]);
      const aw = (i: number) => nodes[A[i]].width;
      const ab = (i: number) => aw(i) > BIG;
      const B = w > BIG;
      /** A shift amount as a JS number expression, clamped to `limit` when the operand is a BigInt. */
      const amount = (i: number, limit: number) => (ab(i) ? `(${r(i)} >= ${limit}n ? ${limit} : Number(${r(i)}))` : r(i));
      switch (n.op) {
        case 'memread':
          return memRead(flat.owner[g].memBase + n.memory!, A[0], r(0), env);
        case 'not':
          return B ? `(${r(0)} ^ ${maskBig(w)})` : w === 32 ? `(~${r(0)} >>> 0)` : `(${r(0)} ^ ${maskNum(w)})`;
        case 'and':
        case 'or':
        case 'xor': {
          const sym = n.op === 'and' ? '&' : n.op === 'or' ? '|' : '^';
          return !B && w === 32 ? `((${r(0)} ${sym} ${r(1)}) >>> 0)` : `(${r(0)} ${sym} ${r(1)})`;
        }
        case 'add':
        case 'sub': {
          const sym = n.op === 'add' ? '+' : '-';
          return B ? maskB(`${r(0)} ${sym} ${r(1)}`, w) : normS(`${r(0)} ${sym} ${r(1)}`, w);
        }
        case 'mul':
          return B ? maskB(`${r(0)} * ${r(1)}`, w) : w <= 16 ? `((${r(0)} * ${r(1)}) & ${maskNum(w)})` : normS(`Math.imul(${r(0)}, ${r(1)})`, w);
        case 'neg':
          return B ? maskB(`-${r(0)}`, w) : normS(`-${r(0)}`, w);
        case 'eq':
          return `(${r(0)} === ${r(1)} ? 1 : 0)`;
        case 'ne':
          return `(${r(0)} !== ${r(1)} ? 1 : 0)`;
        case 'lt':
        case 'le':
        case 'gt':
        case 'ge': {
          const sym = { lt: '<', le: '<=', gt: '>', ge: '>=' }[n.op];
          let x = r(0);
          let y = r(1);
          if (n.signedOp) {
            // BigInt: flipping the sign bit maps signed order onto unsigned order.
            x = ab(0) ? `(${x} ^ ${signBit(aw(0))})` : signedS(x, aw(0));
            y = ab(1) ? `(${y} ^ ${signBit(aw(1))})` : signedS(y, aw(1));
          }
          return `(${x} ${sym} ${y} ? 1 : 0)`;
        }
        case 'shl': {
          const k = n.amount!;
          if (k === 0) return r(0);
          if (k >= w) return B ? '0n' : '0';
          return B ? maskB(`${r(0)} << ${k}n`, w) : normS(`${r(0)} << ${k}`, w);
        }
        case 'shr': {
          const k = n.amount!;
          if (!n.signedOp) {
            if (k === 0) return r(0);
            if (k >= w) return B ? '0n' : '0';
            return B ? `(${r(0)} >> ${k}n)` : `(${r(0)} >>> ${k})`;
          }
          const k2 = Math.min(k, w - 1);
          if (k2 === 0) return r(0);
          if (B) return maskB(`${signedB(r(0), w)} >> ${k2}n`, w);
          return normS(`(${r(0)} << ${32 - w}) >> ${32 - w + k2}`, w);
        }
        case 'dshl': {
          if (B) {
            if (ab(1)) return `(${r(1)} >= ${w}n ? 0n : ${maskB(`${r(0)} << ${r(1)}`, w)})`;
            return `(${r(1)} >= ${w} ? 0n : ${maskB(`${r(0)} << BigInt(${r(1)})`, w)})`;
          }
          const s = amount(1, w);
          return `(${s} >= ${w} ? 0 : ${normS(`${r(0)} << ${s}`, w)})`;
        }
        case 'dshr': {
          if (!n.signedOp) {
            if (B) {
              if (ab(1)) return `(${r(1)} >= ${w}n ? 0n : ${r(0)} >> ${r(1)})`;
              return `(${r(1)} >= ${w} ? 0n : ${r(0)} >> BigInt(${r(1)}))`;
            }
            const s = amount(1, w);
            return `(${s} >= ${w} ? 0 : ${r(0)} >>> ${s})`;
          }
          if (B) {
            const s = ab(1) ? `(${r(1)} >= ${w}n ? ${w}n : ${r(1)})` : `BigInt(${r(1)} >= ${w} ? ${w} : ${r(1)})`;
            return maskB(`${signedB(r(0), w)} >> ${s}`, w);
          }
          const s = amount(1, w);
          return normS(`(${r(0)} << ${32 - w}) >> (${32 - w} + (${s} >= ${w} ? ${w - 1} : ${s}))`, w);
        }
        case 'andr':
          return ab(0) ? `(${r(0)} === ${maskBig(aw(0))} ? 1 : 0)` : `(${r(0)} === ${maskNum(aw(0))} ? 1 : 0)`;
        case 'orr':
          return ab(0) ? `(${r(0)} !== 0n ? 1 : 0)` : `(${r(0)} !== 0 ? 1 : 0)`;
        case 'xorr':
          return aw(0) === 1 ? r(0) : ab(0) ? `parBig(${r(0)})` : `par32(${r(0)})`;
        case 'mux':
          return `(${r(0)} ? ${r(1)} : ${r(2)})`;
        case 'slice': {
          const lo = n.lo!;
          const src = aw(0);
          if (lo === 0 && w === src) return r(0);
          if (!ab(0)) {
            const sh = lo === 0 ? r(0) : `(${r(0)} >>> ${lo})`;
            return lo + w === src ? sh : `(${sh} & ${maskNum(w)})`;
          }
          const sh = lo === 0 ? r(0) : `(${r(0)} >> ${lo}n)`;
          if (B) return lo + w === src ? sh : maskB(sh, w);
          return `Number(${lo + w === src ? sh : maskB(sh, w)})`;
        }
        case 'concat':
          return concat(g, env);
        case 'zext':
          return B && !ab(0) ? `BigInt(${r(0)})` : r(0);
        case 'sext': {
          const from = aw(0);
          if (from === w) return r(0);
          if (!B) return normS(signedS(r(0), from), w);
          if (!ab(0)) return maskB(`BigInt(${signedS(r(0), from)})`, w);
          return maskB(signedB(r(0), from), w);
        }
        default:
          throw new SimulatorError(`IrSimulator: cannot compile operator '${n.op}'`);
      }
    };

    /** Concatenation, first operand most significant. Runs of small operands are packed in numbers. */
    const concat = (g: number, env: Refs): string => {
      const w = nodes[g].width;
      const A = args[g];
      // Operands from the LSB up, with their bit offsets.
      const parts: { g: number; off: number; w: number }[] = [];
      let off = 0;
      for (let i = A.length - 1; i >= 0; i--) {
        const aw = nodes[A[i]].width;
        parts.push({ g: A[i], off, w: aw });
        off += aw;
      }
      const smallRun = (run: { g: number; off: number; w: number }[], base: number) => {
        const width = run.reduce((s, p) => s + p.w, 0);
        const terms = run.map((p) => (p.off - base === 0 ? env.ref(p.g) : `(${env.ref(p.g)} << ${p.off - base})`));
        const e = terms.length === 1 ? terms[0] : `(${terms.join(' | ')})`;
        return width === 32 && terms.length > 1 ? `(${e} >>> 0)` : e;
      };
      if (w <= BIG) return smallRun(parts, 0);
      const terms: string[] = [];
      let i = 0;
      while (i < parts.length) {
        const p = parts[i];
        if (p.w > BIG) {
          terms.push(p.off === 0 ? env.ref(p.g) : `(${env.ref(p.g)} << ${p.off}n)`);
          i++;
          continue;
        }
        const run = [p];
        let rw = p.w;
        i++;
        while (i < parts.length && parts[i].w <= BIG && rw + parts[i].w <= 32) {
          rw += parts[i].w;
          run.push(parts[i]);
          i++;
        }
        const e = `BigInt(${smallRun(run, p.off)})`;
        terms.push(p.off === 0 ? e : `(${e} << ${p.off}n)`);
      }
      return terms.length === 1 ? terms[0] : `(${terms.join(' | ')})`;
    };

    // ---- function boundaries --------------------------------------------------------------
    // TurboFan does not optimize functions beyond a bytecode size (a ~10x slowdown), so the netlist
    // is cut into functions of about `chunkChars` characters of code (and at most `chunkSize` nodes).
    // Expression text does not depend on the cut (operands are always named v<id>).
    const namesOnly: Refs = { ref: (g) => (nodes[g].op === 'const' || nodes[g].op === 'undriven' ? lit(g) : `v${g}`) };
    const exprCost = (g: number) => expr(g, namesOnly).length + 24 + 16 * args[g].length;
    // Shared groups: the representative's live combinational nodes and registers, cut the same way.
    const chunkOf = new Int32Array(N).fill(-1);
    const groupComb: number[][] = groups.map(() => []);
    const groupRegs: number[][] = groups.map(() => []);
    const groupChunks: number[] = groups.map(() => 0);
    for (const g of order) if (sharedOf[g] >= 0 && sharedIndex[sharedOf[g]] === 0) groupComb[sharedGroup[sharedOf[g]]].push(g);
    for (let g = 0; g < N; g++) if (sharedOf[g] >= 0 && sharedIndex[sharedOf[g]] === 0 && isReal(g) && isState(g)) groupRegs[sharedGroup[sharedOf[g]]].push(g);
    groups.forEach((grp, gi) => {
      let size = 0;
      let count = 0;
      let c = 0;
      for (const g of groupComb[gi]) {
        const cost = exprCost(g);
        if (count > 0 && (size + cost > chunkChars || count >= chunkSize)) {
          c++;
          size = count = 0;
        }
        chunkOf[g] = c;
        size += cost;
        count++;
      }
      groupChunks[gi] = groupComb[gi].length ? c + 1 : 0;
      // Values crossing the cut, and values any instance's outside readers need, are stored.
      for (const g of groupComb[gi]) for (const a of args[g]) if (isComb(a) && sharedOf[a] === sharedOf[g] && chunkOf[a] !== chunkOf[g]) needStore[a] = 1;
    });
    /** Whether unit i continues a run of consecutive instances of one group (one looping call). */
    const continuesRun = (i: number) =>
      i > 0 &&
      units[i] >= N &&
      units[i - 1] >= N &&
      sharedGroup[units[i] - N] === sharedGroup[units[i - 1] - N] &&
      sharedIndex[units[i] - N] === sharedIndex[units[i - 1] - N] + 1 &&
      level.get(units[i]) === level.get(units[i - 1]);
    const flatUnits = units.filter((x) => x < N);
    let nChunks = 0;
    let firstOutputChunk = -1;
    const unitChunk = new Int32Array(units.length);
    {
      let size = 0;
      let count = 0;
      for (let i = 0; i < units.length; i++) {
        const x = units[i];
        const cost = x < N ? exprCost(x) : continuesRun(i) ? 1 : 40 * groupChunks[sharedGroup[x - N]];
        if (count > 0 && (size + cost > chunkChars || count >= chunkSize || i === stateUnits)) {
          nChunks++;
          size = 0;
          count = 0;
        }
        if (i === stateUnits) firstOutputChunk = nChunks;
        unitChunk[i] = nChunks;
        if (x < N) chunkOf[x] = nChunks;
        size += cost;
        count++;
      }
      if (units.length) nChunks++;
    }
    for (const g of flatUnits) for (const a of args[g]) if (isComb(a) && (sharedOf[a] >= 0 || chunkOf[a] !== chunkOf[g])) needStore[a] = 1;
    for (const grp of groups) for (const a of grp.externals) if (isComb(a)) for (const row of grp.sources) needStore[row[grp.extIndex.get(a)!]] = 1;
    for (const grp of groups) {
      for (let off = 0; off < grp.size; off++) {
        if (grp.instances.some((inst) => needStore[inst.base + off])) for (const inst of grp.instances) needStore[inst.base + off] = 1;
      }
    }

    // ---- slots: inputs, then sequential state, then stored combinational values -----------
    // A shared instance's registers and stored values take the same positions relative to its
    // four bases (small/big state, small/big values), passed to the shared functions.
    const slot = new Int32Array(N).fill(-1);
    let nu = 0;
    let nb = 0;
    const alloc = (g: number) => {
      if (slot[g] === -1) slot[g] = big[g] ? nb++ : nu++;
    };
    for (const p of top.module.ports) if (p.dir === 'input') alloc(top.base + p.node);
    const seqU0 = nu;
    const seqB0 = nb;
    const seqNodes: number[] = [];
    const flatSeq: number[] = [];
    for (let g = 0; g < N; g++) {
      if (isReal(g) && isState(g) && nodes[g].op !== 'input') {
        seqNodes.push(g);
        if (sharedOf[g] < 0) {
          alloc(g);
          flatSeq.push(g);
        }
      }
    }
    /** Per shared instance: [state u, state b, values u, values b, row of its external table]. */
    const sharedSlots: number[][] = sharedGroup.map(() => [0, 0, 0, 0, 0]);
    for (let t = 0; t < sharedGroup.length; t++) {
      const grp = groups[sharedGroup[t]];
      const base = grp.instances[sharedIndex[t]].base - grp.instances[0].base;
      sharedSlots[t][0] = nu;
      sharedSlots[t][1] = nb;
      sharedSlots[t][4] = sharedIndex[t] * grp.externals.length;
      for (const g of groupRegs[sharedGroup[t]]) alloc(g + base);
    }
    const seqU1 = nu;
    const seqB1 = nb;
    for (const g of flatUnits) if (needStore[g]) alloc(g);
    for (let t = 0; t < sharedGroup.length; t++) {
      const grp = groups[sharedGroup[t]];
      const base = grp.instances[sharedIndex[t]].base - grp.instances[0].base;
      sharedSlots[t][2] = nu;
      sharedSlots[t][3] = nb;
      for (const g of groupComb[sharedGroup[t]]) if (needStore[g]) alloc(g + base);
    }
    // External sources of shared instances that are constants get a slot holding the constant.
    const constSlots: number[] = [];
    for (const grp of groups) {
      for (const row of grp.sources) {
        for (const g of row) {
          const op = nodes[g].op;
          if ((op === 'const' || op === 'undriven') && slot[g] === -1) {
            alloc(g);
            constSlots.push(g);
          }
          if (slot[g] === -1) throw new SimulatorError(`IrSimulator: internal error, shared-instance source ${g} (${op}) has no slot`);
        }
      }
    }
    const tables = groups.map((grp) => Int32Array.from(grp.sources.flatMap((row) => row.map((g) => slot[g]))));
    const bases = groups.map((_, gi) => Int32Array.from(sharedSlots.filter((_, t) => sharedGroup[t] === gi).flat()));
    this.slot = slot;
    this.u = new Uint32Array(Math.max(1, nu));
    this.b = new Array<bigint>(nb).fill(0n);
    for (const g of constSlots) this.write(g, nodes[g].op === 'const' ? nodes[g].value! : 0n);

    // ---- memories ------------------------------------------------------------------------
    this.mems = flat.memories.map(({ memory }) => {
      if (memory.width > BIG) {
        const a = new Array<bigint>(memory.depth).fill(0n);
        if (memory.init) memory.init.forEach((v, i) => (a[i] = v));
        return a;
      }
      const a = new Uint32Array(memory.depth);
      if (memory.init) memory.init.forEach((v, i) => (a[i] = Number(v)));
      return a;
    });
    // Memories of shared instances: MT<group>[memoriesPerInstance * i + j] is memory j of instance i.
    const groupMems = groups.map((grp) => flat.memories.filter((m) => m.instance.base >= grp.instances[0].base && m.instance.base < grp.instances[0].base + grp.size).length);
    const memTables = groups.map((grp, gi) => grp.instances.flatMap((inst) => this.mems.slice(inst.memBase, inst.memBase + groupMems[gi])));

    // ---- ports -------------------------------------------------------------------------
    for (const p of top.module.ports) this.ports.set(p.name, { name: p.name, dir: p.dir, width: p.width, role: p.role, node: rep[top.base + p.node] });

    const fns: string[] = [];
    const settleCalls: string[] = [];
    const outputCalls: string[] = [];

    // Async resets (edge-triggered, as Verilator runs `always_ff @(posedge clk or posedge rst)`):
    // a settle that sees the reset go active since the previous settle forces the registers to
    // their reset value. The first settle only records the level (Verilator's first eval has no edges).
    const prevDecls: string[] = [];
    {
      const lines: string[] = [];
      for (let k = 0; k < flat.domains.length; k++) {
        const d = flat.domains[k];
        if (d.reset === null || d.domain.resetKind !== 'async') continue;
        const regs = seqNodes.filter((g) => nodes[g].op === 'reg' && flat.owner[g].domainBase + nodes[g].domain! === k && nodes[g].init !== null && nodes[g].init !== undefined);
        if (!regs.length) continue;
        if (nodes[d.reset].op !== 'input') throw new SimulatorError(`IrSimulator: the async reset of domain '${d.domain.name}' in '${d.instance.path || d.instance.module.name}' is not a top-level input`);
        prevDecls.push(`let prev${k} = -1;`);
        lines.push(`const a${k} = ${arr(d.reset)} === ${d.domain.resetActiveLow ? 0 : 1} ? 1 : 0;`);
        lines.push(`if (a${k} === 1 && prev${k} === 0) {`);
        for (const g of regs) lines.push(`  ${arr(g)} = ${big[g] ? `${nodes[g].init!}n` : Number(nodes[g].init!)};`);
        lines.push('}');
        lines.push(`prev${k} = a${k};`);
      }
      if (lines.length) {
        fns.push(`function asyncReset() {\n${lines.join('\n')}\n}`);
        settleCalls.push('asyncReset();');
      }
    }

    // Shared functions. Names are the representative's ids; its state and stored values are read at
    // the bases passed in, its external sources through the group's table X<group>.
    const stateNames = ['su', 'sb', 'cu', 'cb'];
    const groupSlotBase = groups.map((_, gi) => sharedSlots[sharedGroup.indexOf(gi)]);
    /** The representative's slot of `g`, relative to the base parameter of its region. */
    const sharedArr = (gi: number, g: number) => {
      const region = (isState(g) ? 0 : 2) + big[g];
      return `${big[g] ? 'b' : 'u'}[${stateNames[region]} + ${slot[g] - groupSlotBase[gi][region]}]`;
    };
    class SharedEnv implements Refs {
      readonly loads: string[] = [];
      private readonly loaded = new Set<number>();
      /** `chunk` -1: an edge function (every value is loaded). */
      constructor(
        private readonly gi: number,
        private readonly chunk: number,
      ) {}
      ref(g: number): string {
        const grp = groups[this.gi];
        const b0 = grp.instances[0].base;
        const inside = g >= b0 && g < b0 + grp.size;
        const n = nodes[g];
        if (inside && (n.op === 'const' || n.op === 'undriven')) return lit(g);
        if (inside && this.chunk >= 0 && isComb(g) && chunkOf[g] === this.chunk) return `v${g}`;
        if (!this.loaded.has(g)) {
          this.loaded.add(g);
          if (inside) {
            if (slot[g] < 0) throw new SimulatorError(`IrSimulator: internal error, shared node ${g} (${n.op}) has no slot`);
            this.loads.push(`const v${g} = ${sharedArr(this.gi, g)};`);
          } else {
            const j = grp.extIndex.get(g);
            if (j === undefined) throw new SimulatorError(`IrSimulator: internal error, node ${g} (${n.op}) is not an external source of '${grp.module}'`);
            this.loads.push(`const v${g} = ${big[g] ? 'b' : 'u'}[X${this.gi}[x + ${j}]];`);
          }
        }
        return `v${g}`;
      }
      mem(k: number): string {
        const j = k - groups[this.gi].instances[0].memBase;
        if (!this.loaded.has(-1 - j)) {
          this.loaded.add(-1 - j);
          this.loads.push(`const mm${j} = MT${this.gi}[${groupMems[this.gi]} * i + ${j}];`);
        }
        return `mm${j}`;
      }
    }
    // A shared function runs instances i0 .. i1 - 1 of its group; B<group> holds their bases.
    const params = '(i0, i1)';
    /** The loop over instances, loading the bases the body uses. */
    const loopHead = (gi: number, body: string[]) => {
      const text = body.join('\n');
      const used = ['su', 'sb', 'cu', 'cb', 'x'].map((name, k) => (new RegExp(`\\b${name}\\b`).test(text) ? `${name} = B${gi}[5 * i + ${k}]` : null)).filter((d) => d !== null);
      return [`for (let i = i0; i < i1; i++) {`, ...(used.length ? [`const ${used.join(', ')};`] : [])];
    };
    groups.forEach((_, gi) => {
      const envs = Array.from({ length: groupChunks[gi] }, (_, c) => new SharedEnv(gi, c));
      const bodies: string[][] = envs.map(() => []);
      for (const g of groupComb[gi]) {
        const c = chunkOf[g];
        bodies[c].push(`const v${g} = ${expr(g, envs[c])};`);
        if (needStore[g]) bodies[c].push(`${sharedArr(gi, g)} = v${g};`);
      }
      envs.forEach((env, c) => fns.push(`function s${gi}c${c}${params} {\n${[...loopHead(gi, [...env.loads, ...bodies[c]]), ...env.loads, ...bodies[c], '}'].join('\n')}\n}`));
    });

    // Combinational functions.
    {
      const envs = Array.from({ length: nChunks }, (_, c) => new Env(c));
      const bodies: string[][] = envs.map(() => []);
      for (let i = 0; i < units.length; i++) {
        const x = units[i];
        const c = unitChunk[i];
        if (x >= N) {
          let j = i + 1;
          while (j < units.length && unitChunk[j] === c && continuesRun(j)) j++;
          const gi = sharedGroup[x - N];
          const i0 = sharedIndex[x - N];
          for (let k = 0; k < groupChunks[gi]; k++) bodies[c].push(`s${gi}c${k}(${i0}, ${i0 + j - i});`);
          i = j - 1;
          continue;
        }
        bodies[c].push(`const v${x} = ${expr(x, envs[c])};`);
        if (needStore[x]) bodies[c].push(`${arr(x)} = v${x};`);
      }
      for (let c = 0; c < nChunks; c++) {
        fns.push(`function comb${c}() {\n${[...envs[c].loads, ...bodies[c]].join('\n')}\n}`);
        (firstOutputChunk >= 0 && c >= firstOutputChunk ? outputCalls : settleCalls).push(`comb${c}();`);
      }
    }

    // The clock edge. Phase 1: next values of registers and sync reads; phase 2: memory writes;
    // phase 3: commit. A single function with locals when small, else chunks writing shadow arrays.
    const resetActive = (env: Refs, domain: number) => {
      const d = flat.domains[domain];
      if (d.reset === null) return null;
      return `${env.ref(d.reset)} === ${d.domain.resetActiveLow ? 0 : 1}`;
    };
    const nextExpr = (g: number, env: Refs): string => {
      const n = nodes[g];
      const A = args[g];
      if (n.op === 'reg') {
        const next = env.ref(A[0]);
        const rst = n.init === null || n.init === undefined ? null : resetActive(env, flat.owner[g].domainBase + n.domain!);
        return rst ? `(${rst} ? ${big[g] ? `${n.init}n` : Number(n.init)} : ${next})` : next;
      }
      // sync read port
      const read = memRead(flat.owner[g].memBase + n.memory!, A[0], env.ref(A[0]), env);
      return A.length > 1 ? `(${env.ref(A[1])} ? ${read} : ${env.ref(g)})` : read;
    };
    const writeLines = (env: Refs): string[] => {
      const lines: string[] = [];
      flat.memories.forEach((m, k) => {
        for (const w of m.writes) {
          const en = nodes[w.enable];
          const addr = env.ref(w.addr);
          const data = env.ref(w.data);
          const conds = [en.op === 'const' && en.value === 1n ? null : `${env.ref(w.enable)}`, mayOverflow(k, w.addr) ? `${addr} < ${m.memory.depth}` : null].filter((x) => x !== null);
          const stmt = `${memVar(k)}[${addr}] = ${data};`;
          lines.push(conds.length ? `if (${conds.join(' && ')}) ${stmt}` : stmt);
        }
      });
      return lines;
    };
    const edgeCalls: string[] = [];
    const nextCost = flatSeq.map((g) => nextExpr(g, namesOnly).length + 40);
    const writeCost = writeLines(namesOnly).join('\n').length;
    if (!groups.length && flatSeq.length <= chunkSize && nextCost.reduce((a, b) => a + b, 0) + writeCost <= chunkChars) {
      const env = new Env(-1);
      const body: string[] = [];
      for (const g of flatSeq) body.push(`const n${g} = ${nextExpr(g, env)};`);
      body.push(...writeLines(env));
      for (const g of flatSeq) body.push(`${arr(g)} = n${g};`);
      fns.push(`function edge() {\n${[...env.loads, ...body].join('\n')}\n}`);
    } else {
      for (let i = 0, c = 0; i < flatSeq.length; c++) {
        const env = new Env(-1);
        const body: string[] = [];
        for (let size = 0; i < flatSeq.length && body.length < chunkSize && (body.length === 0 || size + nextCost[i] <= chunkChars); i++) {
          const g = flatSeq[i];
          size += nextCost[i];
          body.push(`${big[g] ? 'nb' : 'nu'}[${slot[g]}] = ${nextExpr(g, env)};`);
        }
        fns.push(`function next${c}() {\n${[...env.loads, ...body].join('\n')}\n}`);
        edgeCalls.push(`next${c}();`);
      }
      // Shared registers: one next-value function per group (cut like the rest), called per instance.
      const calls: string[] = [];
      groups.forEach((_, gi) => {
        const regs = groupRegs[gi];
        let count = 0;
        for (let i = 0; i < regs.length; count++) {
          const env = new SharedEnv(gi, -1);
          const body: string[] = [];
          for (let size = 0; i < regs.length && body.length < chunkSize && (body.length === 0 || size <= chunkChars); i++) {
            const g = regs[i];
            const line = `${big[g] ? 'nb[sb' : 'nu[su'} + ${slot[g] - groupSlotBase[gi][big[g]]}] = ${nextExpr(g, env)};`;
            size += line.length + 16;
            body.push(line);
          }
          fns.push(`function s${gi}e${count}${params} {\n${[...loopHead(gi, [...env.loads, ...body]), ...env.loads, ...body, '}'].join('\n')}\n}`);
        }
        for (let c = 0; c < count; c++) calls.push(`s${gi}e${c}(0, ${groups[gi].instances.length});`);
      });
      for (let i = 0, c = 0; i < calls.length; c++) {
        const body: string[] = [];
        for (let size = 0; i < calls.length && body.length < chunkSize && (body.length === 0 || size + calls[i].length <= chunkChars); i++) {
          size += calls[i].length;
          body.push(calls[i]);
        }
        fns.push(`function nextShared${c}() {\n${body.join('\n')}\n}`);
        edgeCalls.push(`nextShared${c}();`);
      }
      const env = new Env(-1);
      const w = writeLines(env);
      fns.push(`function writes() {\n${[...env.loads, ...w].join('\n')}\n}`);
      edgeCalls.push('writes();');
      if (seqU1 > seqU0) edgeCalls.push(`u.set(nuView, ${seqU0});`);
      if (seqB1 > seqB0) edgeCalls.push(`for (let i = ${seqB0}; i < ${seqB1}; i++) b[i] = nb[i];`);
      fns.push(`function edge() {\n${edgeCalls.join('\n')}\n}`);
    }
    fns.push(`function settleState() {\n${settleCalls.join('\n')}\n}`);
    fns.push(`function settle() {\nsettleState();\n${outputCalls.join('\n')}\n}`);
    fns.push('function run(n) {\nfor (let i = 0; i < n; i++) {\nsettleState();\nedge();\n}\n}');

    const code = [
      '"use strict";',
      'const par32 = H.par32, parBig = H.parBig;',
      `const nu = new Uint32Array(${Math.max(1, seqU1)});`,
      `const nuView = nu.subarray(${seqU0}, ${seqU1});`,
      `const nb = new Array(${seqB1}).fill(0n);`,
      ...flat.memories.map((_, k) => `const ${memVar(k)} = mems[${k}];`),
      ...groups.map((_, gi) => `const X${gi} = T[${gi}], B${gi} = T[${groups.length + gi}], MT${gi} = T[${2 * groups.length + gi}];`),
      ...prevDecls,
      ...fns,
      'return { settle, edge, run };',
    ].join('\n');
    opts.dumpCode?.(code);
    this.compiled = new Function('u', 'b', 'mems', 'H', 'T', code)(this.u, this.b, this.mems, helpers, [...tables, ...bases, ...memTables]) as Compiled;
    this.stats = {
      nodes: N,
      combNodes: order.length,
      stateNodes: seqNodes.length,
      memories: flat.memories.length,
      functions: fns.length,
      codeChars: code.length,
      sharedModules: groups.length,
      sharedInstances: sharedGroup.length,
    };
  }

  // ---- ports ---------------------------------------------------------------------------------
  private port(name: string): PortInfo {
    const p = this.ports.get(name);
    if (!p) throw new SimulatorError(`IrSimulator: module '${this.flat.top.module.name}' has no port '${name}' (ports: ${[...this.ports.keys()].join(', ')})`);
    return p;
  }

  /** Drives a top-level input. Negative values are accepted within the signed range of the port. */
  poke(port: string, value: bigint | number): void {
    const p = this.port(port);
    if (p.dir !== 'input') throw new SimulatorError(`IrSimulator: '${port}' is an output and cannot be poked`);
    if (p.role === 'clock') throw new SimulatorError(`IrSimulator: '${port}' is a clock: it is driven by step(), not poke()`);
    if (typeof value === 'number' && p.width <= BIG && value >= 0 && value < 2 ** p.width && Number.isInteger(value)) this.u[this.slot[p.node]] = value;
    else this.write(p.node, encode(value, p.width, port));
    this.dirty = true;
  }

  /** The value of a top-level port (unsigned bit pattern). */
  peek(port: string): bigint {
    return this.read(this.port(port).node);
  }

  /** `peek` as a JS number (ports of at most 53 bits). */
  peekNumber(port: string): number {
    const p = this.port(port);
    if (p.width > 53) throw new SimulatorError(`IrSimulator: '${port}' is ${p.width} bits: use peek()`);
    return Number(this.read(p.node));
  }

  /** The value of a named signal of any instance: 'value', 'u_child.value', 'u_a.u_b.mem_rdata0'. */
  peekInternal(path: string): bigint {
    const g = this.flat.named.get(path);
    if (g === undefined) throw new SimulatorError(`IrSimulator: no signal '${path}'${suggest(path, this.flat.named.keys())}`);
    return this.read(g);
  }

  /** Paths accepted by `peekInternal`, in instance pre-order. */
  signalPaths(): string[] {
    return [...this.flat.named.keys()];
  }

  /** A word of a memory ('mem' or 'u_child.mem'). */
  peekMemory(path: string, addr: number): bigint {
    const k = this.memIndex(path, addr);
    return BigInt(this.mems[k][addr]);
  }

  /** Overwrites a word of a memory (takes effect immediately, like a testbench backdoor write). */
  pokeMemory(path: string, addr: number, value: bigint | number): void {
    const k = this.memIndex(path, addr);
    const m = this.flat.memories[k].memory;
    const v = encode(value, m.width, path);
    const a = this.mems[k];
    if (a instanceof Uint32Array) a[addr] = Number(v);
    else a[addr] = v;
    this.dirty = true;
  }

  private memIndex(path: string, addr: number): number {
    const k = this.flat.memories.findIndex((m) => m.path === path);
    if (k < 0) throw new SimulatorError(`IrSimulator: no memory '${path}'${suggest(path, this.flat.memories.map((m) => m.path))}`);
    const depth = this.flat.memories[k].memory.depth;
    if (!Number.isInteger(addr) || addr < 0 || addr >= depth) throw new SimulatorError(`IrSimulator: address ${addr} is out of range for memory '${path}' (depth ${depth})`);
    return k;
  }

  // ---- time --------------------------------------------------------------------------------
  /** `n` clock edges (all domains tick together). */
  step(n = 1): void {
    if (!Number.isInteger(n) || n < 0) throw new SimulatorError(`IrSimulator: step(${n}) needs a non-negative integer`);
    if (n === 0) return;
    this.compiled.run(n);
    this.cycle += n;
    this.dirty = true;
  }

  /**
   * Holds every reset port of the top module at its active level for `cycles` clock edges, then
   * releases it (the design is left settled with reset inactive; other inputs are untouched).
   */
  reset(cycles = 1): void {
    const resets = this.flat.top.module.domains.filter((d) => d.reset !== null);
    const ports = resets.map((d) => ({ name: this.flat.top.module.nodes[d.reset!].name!, activeLow: d.resetActiveLow }));
    for (const p of ports) this.poke(p.name, p.activeLow ? 0 : 1);
    this.step(cycles);
    for (const p of ports) this.poke(p.name, p.activeLow ? 1 : 0);
    this.settle();
  }

  /** Recomputes combinational values from the current state (done lazily by peek). */
  settle(): void {
    this.compiled.settle();
    this.dirty = false;
  }

  // ---- raw access ------------------------------------------------------------------------------
  private read(g: number): bigint {
    const n = this.flat.nodes[g];
    if (n.op === 'const') return n.value!;
    if (n.op === 'undriven') return 0n;
    if (this.dirty) this.settle();
    const s = this.slot[g];
    if (s < 0) throw new SimulatorError(`IrSimulator: internal error, node ${g} is not observable`);
    return this.big[g] ? this.b[s] : BigInt(this.u[s]);
  }

  private write(g: number, v: bigint): void {
    const s = this.slot[g];
    if (this.big[g]) this.b[s] = v;
    else this.u[s] = Number(v);
  }
}

/** An unsigned `width`-bit pattern for `value`; negative values are two's complement encoded. */
export function encode(value: bigint | number, width: number, what: string): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new SimulatorError(`IrSimulator: ${what}: ${value} is not a safe integer (use a bigint)`);
  const v = BigInt(value);
  const w = BigInt(width);
  if (v >= 1n << w || v < -(1n << (w - 1n))) throw new SimulatorError(`IrSimulator: ${what}: ${value} does not fit ${width} bits`);
  return v < 0n ? v + (1n << w) : v;
}

function suggest(path: string, options: Iterable<string>): string {
  const last = path.split('.').pop()!;
  const near = [...options].filter((o) => o.split('.').pop() === last || o.startsWith(path)).slice(0, 5);
  return near.length ? ` (did you mean ${near.map((x) => `'${x}'`).join(', ')}?)` : '';
}

