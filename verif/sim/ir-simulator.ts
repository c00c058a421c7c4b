import type { IrDesign } from '../../hdl-gen/ir/ir.ts';
import { flattenDesign, type FlatDesign } from './flatten.ts';

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
  readonly stats: { readonly nodes: number; readonly combNodes: number; readonly stateNodes: number; readonly memories: number; readonly functions: number; readonly codeChars: number };

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
    // Dead-code elimination: keep only what a stored value depends on.
    {
      const live = new Uint8Array(N);
      for (let i = order.length - 1; i >= 0; i--) {
        const g = order[i];
        if (needStore[g]) live[g] = 1;
        if (live[g]) for (const a of args[g]) live[a] = 1;
      }
      const kept = order.filter((g) => live[g]);
      order.length = kept.length;
      for (let i = 0; i < kept.length; i++) order[i] = kept[i];
    }
    // The state cone (what the clock edge reads) is evaluated every cycle; the rest (output-only and
    // named-signal logic, e.g. a wide result bus concatenated from every PE) only when observed.
    // Without this split a big array's output concatenation makes each cycle cost O(PEs^2) bits.
    let stateCount: number;
    {
      const inCone = new Uint8Array(N);
      for (let g = 0; g < N; g++) {
        if (!isReal(g)) continue;
        const n = nodes[g];
        if (n.op === 'reg' || (n.op === 'memread' && n.sync)) for (const a of args[g]) inCone[a] = 1;
      }
      for (const m of flat.memories) for (const w of m.writes) inCone[w.addr] = inCone[w.data] = inCone[w.enable] = 1;
      for (const d of flat.domains) if (d.reset !== null) inCone[d.reset] = 1;
      for (let i = order.length - 1; i >= 0; i--) if (inCone[order[i]]) for (const a of args[order[i]]) inCone[a] = 1;
      const cone = order.filter((g) => inCone[g]);
      const rest = order.filter((g) => !inCone[g]);
      stateCount = cone.length;
      for (let i = 0; i < order.length; i++) order[i] = i < cone.length ? cone[i] : rest[i - cone.length];
    }

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
        if (this.chunk >= 0 && chunkOf[g] === this.chunk) return `v${g}`;
        if (slot[g] < 0) throw new SimulatorError(`IrSimulator: internal error, node ${g} (${n.op}) has no slot`);
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
    const memRead = (k: number, addrNode: number, addr: string) => {
      const m = flat.memories[k].memory;
      if (!mayOverflow(k, addrNode)) return `${memVar(k)}[${addr}]`;
      return `(${addr} < ${m.depth} ? ${memVar(k)}[${addr}] : ${m.width > BIG ? '0n' : '0'})`;
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
          return memRead(flat.owner[g].memBase + n.memory!, A[0], r(0));
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
    const chunkOf = new Int32Array(N).fill(-1);
    let nChunks = 0;
    let firstOutputChunk = -1;
    {
      let size = 0;
      let count = 0;
      for (let i = 0; i < order.length; i++) {
        const g = order[i];
        const cost = expr(g, namesOnly).length + 24 + 16 * args[g].length;
        if (count > 0 && (size + cost > chunkChars || count >= chunkSize || i === stateCount)) {
          nChunks++;
          size = 0;
          count = 0;
        }
        if (i === stateCount) firstOutputChunk = nChunks;
        chunkOf[g] = nChunks;
        size += cost;
        count++;
      }
      if (order.length) nChunks++;
    }
    for (const g of order) for (const a of args[g]) if (isComb(a) && chunkOf[a] !== chunkOf[g]) needStore[a] = 1;

    // ---- slots: inputs, then sequential state, then stored combinational values -----------
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
    for (let g = 0; g < N; g++) {
      if (isReal(g) && isState(g) && nodes[g].op !== 'input') {
        alloc(g);
        seqNodes.push(g);
      }
    }
    const seqU1 = nu;
    const seqB1 = nb;
    for (const g of order) if (needStore[g]) alloc(g);
    this.slot = slot;
    this.u = new Uint32Array(Math.max(1, nu));
    this.b = new Array<bigint>(nb).fill(0n);

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

    // Combinational functions.
    {
      const envs = Array.from({ length: nChunks }, (_, c) => new Env(c));
      const bodies: string[][] = envs.map(() => []);
      for (const g of order) {
        const c = chunkOf[g];
        bodies[c].push(`const v${g} = ${expr(g, envs[c])};`);
        if (needStore[g]) bodies[c].push(`${arr(g)} = v${g};`);
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
      const read = memRead(flat.owner[g].memBase + n.memory!, A[0], env.ref(A[0]));
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
    const nextCost = seqNodes.map((g) => nextExpr(g, namesOnly).length + 40);
    const writeCost = writeLines(namesOnly).join('\n').length;
    if (seqNodes.length <= chunkSize && nextCost.reduce((a, b) => a + b, 0) + writeCost <= chunkChars) {
      const env = new Env(-1);
      const body: string[] = [];
      for (const g of seqNodes) body.push(`const n${g} = ${nextExpr(g, env)};`);
      body.push(...writeLines(env));
      for (const g of seqNodes) body.push(`${arr(g)} = n${g};`);
      fns.push(`function edge() {\n${[...env.loads, ...body].join('\n')}\n}`);
    } else {
      for (let i = 0, c = 0; i < seqNodes.length; c++) {
        const env = new Env(-1);
        const body: string[] = [];
        for (let size = 0; i < seqNodes.length && body.length < chunkSize && (body.length === 0 || size + nextCost[i] <= chunkChars); i++) {
          const g = seqNodes[i];
          size += nextCost[i];
          body.push(`${big[g] ? 'nb' : 'nu'}[${slot[g]}] = ${nextExpr(g, env)};`);
        }
        fns.push(`function next${c}() {\n${[...env.loads, ...body].join('\n')}\n}`);
        edgeCalls.push(`next${c}();`);
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
      ...prevDecls,
      ...fns,
      'return { settle, edge, run };',
    ].join('\n');
    opts.dumpCode?.(code);
    this.compiled = new Function('u', 'b', 'mems', 'H', code)(this.u, this.b, this.mems, helpers) as Compiled;
    this.stats = {
      nodes: N,
      combNodes: order.length,
      stateNodes: seqNodes.length,
      memories: flat.memories.length,
      functions: fns.length,
      codeChars: code.length,
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

