import { Bits, Bool, SInt, UInt, Vec, cat, clog2, defineModule, input, lit, mux, output, replicate, type ClockDomain, type GroundKind, type Literal, type ModuleBuilder, type ModuleDef, type Sig } from '../hdl-gen/index.ts';
import { interestingBits, rngFromSeed, type SeededRandom } from './random.ts';

/**
 * Random well-formed eDSL circuits for differential testing: the IR simulator against the reference
 * interpreter (test/verif/sim/random.test.ts), against Verilator on the printed SV
 * (verif/sim/verilator-crosscheck.ts, and batched in verif/fuzz/differential.ts behind `hdlgen fuzz`).
 * Built with the public eDSL, so the front end, lowering, checks and printer are all under test.
 *
 * A circuit is a pure function of its options (elaborating it twice gives the same design). Values
 * are UInt, SInt, Bits and Bool of widths 1..maxWidth (biased to the 32/64-bit boundaries), combined
 * by every front-end operator: and/or/xor/not, add/sub/mul and their Expand forms, neg/negExpand,
 * the six comparisons (signed and unsigned), static and dynamic shl/shr (amounts around the operand
 * width), shlExpand, andR/orR/xorR, mux, slice/bit, cat/replicate, zext/sext/resize/trunc, literals.
 * Optional: registers (reset values, enables, conditional next values), a memory (init contents,
 * one or two conditional write ports, asynchronous and synchronous reads with enables), a second
 * clock domain (async, active-low reset) used by registers and memory ports, when/elsewhen/otherwise
 * and switch blocks with partial overrides (scalar wire, Vec elements by static and dynamic index),
 * and child instances (two instances of one child module per level, `depth` levels).
 */
export interface RandomCircuitOptions {
  readonly seed: number;
  /** Input ports (default 6; children have 3). */
  readonly inputs?: number;
  /** Output ports (default 4; children have 3). */
  readonly outputs?: number;
  /** Operator nodes (default 60; children get half, at least 8). */
  readonly operations?: number;
  /** Largest width of any value (default 130). */
  readonly maxWidth?: number;
  /** Registers (default 0). */
  readonly registers?: number;
  /** One memory with synchronous and asynchronous reads (default false). */
  readonly memory?: boolean;
  /** A second clock domain `a` (ports clk_a, rst_a_n; async active-low reset) for some registers and memory ports (default false). */
  readonly secondDomain?: boolean;
  /** when/elsewhen/otherwise and switch blocks with partial overrides of a scalar and a Vec wire (default false). */
  readonly conditionals?: boolean;
  /** Levels of child instances below this module (default 0). */
  readonly depth?: number;
  /**
   * Widest dynamic shift amount (default 70). Verilator 5.006 shifts a value of up to 64 bits by an
   * amount wider than 64 bits wrongly when the amount is 64..2^32-1 (VL_SHIFTL_QQW / VL_SHIFTR_QQW
   * shift by the amount's low word unchecked), so runs compared against Verilator pass 64.
   */
  readonly maxShiftAmountWidth?: number;
  /**
   * Leave out what makes correct printed SV fail `verilator -Wall` (default false): memory depths
   * that are not powers of two, constant wires and literal operands of ordered comparisons
   * (Verilator proves comparisons such as `0 <= x` constant: UNSIGNED).
   */
  readonly lintClean?: boolean;
}

type AnySig = Sig<GroundKind>;
type Settable = AnySig & { set(v: AnySig | Literal): void };

const boundaryWidths = [1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 47, 53, 63, 64, 65, 96, 127, 128, 129, 130];

/** A width in 1..max: mostly small, often at a 32/64-bit boundary, sometimes wide. */
function randomWidth(rng: SeededRandom, max: number): number {
  const r = rng.below(20);
  const w = r < 7 ? rng.range(1, 12) : r < 12 ? rng.pick(boundaryWidths) : r < 16 ? rng.range(13, 40) : rng.range(41, Math.max(41, max));
  return Math.min(w, max);
}

function typeOf(kind: GroundKind, width: number) {
  return kind === 'bool' ? Bool() : kind === 'uint' ? UInt(width) : kind === 'sint' ? SInt(width) : Bits(width);
}

/** A port/register/memory kind: UInt and SInt most often. */
function randomKind(rng: SeededRandom): GroundKind {
  const r = rng.below(20);
  return r < 3 ? 'bool' : r < 10 ? 'uint' : r < 16 ? 'sint' : 'bits';
}

/** The same bits as `kind` (x must be 1 bit wide for Bool). */
function retype(x: AnySig, kind: GroundKind): AnySig {
  return kind === 'uint' ? x.asUInt() : kind === 'sint' ? x.asSInt() : kind === 'bits' ? x.asBits() : x.asBool();
}

/** x as `kind` with `w` bits (w = 1 for Bool), by a randomly chosen width operator. */
function coerce(rng: SeededRandom, x: AnySig, kind: GroundKind, w: number): AnySig {
  if (kind === 'bool') {
    if (x.width === 1) return x.asBool();
    const r = rng.below(4);
    return r === 0 ? x.xorR() : r === 1 ? x.bit(rng.below(x.width)) : x.orR();
  }
  const k = retype(x.type.kind === 'bool' ? x.asUInt() : x, kind);
  if (k.width === w) return k;
  if (w > k.width) {
    const r = rng.below(10);
    return r < 4 ? k.zext(w) : r < 7 ? k.sext(w) : k.resize(w);
  }
  return rng.chance(0.5) ? k.trunc(w) : k.resize(w);
}

/** A literal that fits a `kind`/`w` operand: boolean for Bool, else a number or a bigint. */
function literalFor(rng: SeededRandom, kind: GroundKind, w: number): Literal {
  if (kind === 'bool') return rng.chance(0.5);
  let v = interestingBits(rng, w);
  if (kind === 'sint' && v >> BigInt(w - 1)) v -= 1n << BigInt(w);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) && rng.chance(0.5) ? Number(v) : v;
}

/** Builds random operator nodes over a pool of values (appending each result to it). */
class ExprGen {
  private named = 0;
  readonly memories: { read(addr: Sig<'uint'>): AnySig; readSync(addr: Sig<'uint'>, o?: { enable?: AnySig }): AnySig; depth: number }[] = [];

  constructor(
    private readonly rng: SeededRandom,
    private readonly m: ModuleBuilder,
    readonly pool: AnySig[],
    readonly maxW: number,
    private readonly lintClean: boolean,
    private readonly wideShiftAmounts: readonly number[],
  ) {}

  /** A pool value, half the time one of the 8 newest (builds deep chains). */
  pick(): AnySig {
    const p = this.pool;
    if (this.rng.chance(0.5) && p.length > 8) return p[this.rng.range(p.length - 8, p.length - 1)];
    return p[this.rng.below(p.length)];
  }
  /** A pool value as UInt or SInt (for arithmetic and ordered comparisons). */
  arith(): Sig<'uint' | 'sint'> {
    const x = this.pick();
    return retype(x.type.kind === 'bool' ? x.asUInt() : x, this.rng.chance(0.5) ? 'uint' : 'sint') as Sig<'uint' | 'sint'>;
  }
  /** A pool value, sometimes reinterpreted as another kind. */
  any(): AnySig {
    const x = this.pick();
    if (this.rng.chance(0.7)) return x;
    const kinds: GroundKind[] = x.width === 1 ? ['uint', 'sint', 'bits', 'bool'] : ['uint', 'sint', 'bits'];
    return retype(x.type.kind === 'bool' ? x.asUInt() : x, this.rng.pick(kinds));
  }
  cond(): Sig<'bool'> {
    return coerce(this.rng, this.pick(), 'bool', 1) as Sig<'bool'>;
  }
  uintOf(w: number): Sig<'uint'> {
    return coerce(this.rng, this.pick(), 'uint', w) as Sig<'uint'>;
  }
  /** Second operand of a same-type binary operator: a coerced pool value or a literal. */
  same(a: AnySig): AnySig | Literal {
    if (this.rng.chance(0.2)) return literalFor(this.rng, a.type.kind, a.width);
    return this.sameSig(a);
  }
  sameSig(a: AnySig): AnySig {
    return coerce(this.rng, this.pick(), a.type.kind, a.width);
  }

  /** One random operator node; returns it (also pushed on the pool, sometimes named). */
  step(): AnySig {
    const rng = this.rng;
    const maxW = this.maxW;
    let out: AnySig;
    const op = rng.below(33);
    switch (op) {
      case 0:
      case 1:
      case 2: {
        const a = this.any();
        const b = this.same(a) as never;
        out = op === 0 ? a.and(b) : op === 1 ? a.or(b) : a.xor(b);
        break;
      }
      case 3:
        out = this.any().not();
        break;
      case 4:
      case 5:
      case 6: {
        const a = this.arith();
        const b = this.same(a) as never;
        out = op === 4 ? a.add(b) : op === 5 ? a.sub(b) : a.mul(b);
        break;
      }
      case 7:
      case 8:
      case 9: {
        // Expanding forms take operands of different widths of the same kind.
        let x = this.arith();
        let y = coerce(rng, this.pick(), x.type.kind, randomWidth(rng, maxW)) as Sig<'uint' | 'sint'>;
        const fits = () => (op === 9 ? x.width + y.width : Math.max(x.width, y.width) + 1) <= maxW;
        while (!fits()) {
          if (x.width >= y.width) x = x.resize(Math.max(1, x.width >> 1));
          else y = y.resize(Math.max(1, y.width >> 1));
        }
        out = op === 7 ? x.addExpand(y as never) : op === 8 ? x.subExpand(y as never) : x.mulExpand(y as never);
        break;
      }
      case 10: {
        const s = this.pick().asSInt();
        out = rng.chance(0.5) || s.width >= maxW ? s.neg() : s.negExpand();
        break;
      }
      case 11: {
        const a = this.any();
        out = rng.chance(0.5) ? a.eq(this.same(a) as never) : a.ne(this.same(a) as never);
        break;
      }
      case 12:
      case 13: {
        const a = this.arith();
        const b = (this.lintClean ? this.sameSig(a) : this.same(a)) as never;
        out = rng.pick([() => a.lt(b), () => a.le(b), () => a.gt(b), () => a.ge(b)])();
        break;
      }
      case 14: {
        const a = this.any();
        out = a.shl(rng.range(0, a.width + 2));
        break;
      }
      case 15: {
        const a = this.any();
        out = a.shr(rng.range(0, a.width + 2));
        break;
      }
      case 16:
      case 17: {
        const a = this.any();
        let amtW = rng.chance(0.85) ? rng.range(1, 8) : rng.pick(this.wideShiftAmounts);
        let amt = this.uintOf(amtW);
        if (rng.chance(0.4)) {
          // Amounts around the operand width (the boundary where results become 0 / all sign bits).
          amtW = Math.max(amtW, clog2(a.width + 2));
          amt = mux(this.cond(), lit(Math.max(0, a.width + rng.range(-1, 1)), UInt(amtW)), amt.resize(amtW));
        }
        out = op === 16 ? a.shl(amt) : a.shr(amt);
        break;
      }
      case 18: {
        const a = this.any();
        out = a.width >= maxW ? a.not() : a.shlExpand(rng.range(0, Math.min(10, maxW - a.width)));
        break;
      }
      case 19: {
        const a = this.any();
        out = rng.pick([() => a.andR(), () => a.orR(), () => a.xorR()])();
        break;
      }
      case 20:
      case 21: {
        const a = this.any();
        const b = this.same(a);
        const c = this.cond();
        out = rng.chance(0.2) ? mux(c, b as never, a) : mux(c, a, b as never);
        break;
      }
      case 22: {
        const a = this.any();
        const lo = rng.below(a.width);
        out = a.slice(rng.range(lo, a.width - 1), lo);
        break;
      }
      case 23: {
        const a = this.any();
        out = a.bit(rng.below(a.width));
        break;
      }
      case 24: {
        const a = this.any();
        const parts: AnySig[] = [a];
        let w = a.width;
        const n = rng.range(1, 4);
        for (let i = 0; i < n; i++) {
          const x = this.any();
          if (w + x.width > maxW) break;
          parts.push(x);
          w += x.width;
        }
        out = parts.length > 1 ? cat(...parts) : a.width < maxW ? cat(this.cond(), a) : cat(a);
        break;
      }
      case 25: {
        const a = this.any();
        out = replicate(a, Math.max(1, Math.min(rng.range(1, 5), Math.floor(maxW / a.width))));
        break;
      }
      case 26: {
        const a = this.any();
        out = a.width >= maxW ? a.trunc(Math.max(1, a.width - 1)) : rng.chance(0.5) ? a.zext(rng.range(a.width, maxW)) : a.sext(rng.range(a.width, maxW));
        break;
      }
      case 27:
        out = this.any().resize(randomWidth(rng, maxW));
        break;
      case 28: {
        const a = this.any();
        out = a.trunc(rng.range(1, a.width));
        break;
      }
      case 29:
      case 30: {
        // Chains of wrap arithmetic (carries across the 32-bit boundary).
        const a = this.arith();
        out = a
          .add(this.same(a) as never)
          .mul(this.same(a) as never)
          .sub(a);
        break;
      }
      default: {
        const mem = this.memories.length ? rng.pick(this.memories) : null;
        if (!mem) {
          out = this.any().not();
          break;
        }
        const addr = this.uintOf(clog2(mem.depth));
        out = rng.chance(0.5) ? mem.read(addr) : mem.readSync(addr, rng.chance(0.3) ? { enable: this.cond() } : {});
      }
    }
    if (rng.chance(0.35)) out = this.m.let(`n${this.named++}`, out);
    this.pool.push(out);
    return out;
  }
}

interface PortPlan {
  readonly inputs: { name: string; kind: GroundKind; width: number }[];
  readonly outputs: { name: string; kind: GroundKind; width: number }[];
}

const defaults = { inputs: 6, outputs: 4, operations: 60, maxWidth: 130, registers: 0, memory: false, secondDomain: false, conditionals: false, depth: 0 };

/** Port kinds and widths: a stream of their own, so io() does not depend on the body. */
function portPlan(o: RandomCircuitOptions): PortPlan {
  const maxW = o.maxWidth ?? defaults.maxWidth;
  const rng = rngFromSeed(o.seed ^ 0x5bd1e995);
  const port = (name: string) => {
    const kind = randomKind(rng);
    return { name, kind, width: kind === 'bool' ? 1 : randomWidth(rng, maxW) };
  };
  return {
    inputs: Array.from({ length: o.inputs ?? defaults.inputs }, (_, i) => port(`i${i}`)),
    outputs: Array.from({ length: o.outputs ?? defaults.outputs }, (_, i) => port(`o${i}`)),
  };
}

function childOptions(o: RandomCircuitOptions): RandomCircuitOptions {
  const ops = o.operations ?? defaults.operations;
  return { ...o, seed: (o.seed * 7 + 13) >>> 0, inputs: 3, outputs: 3, operations: Math.max(8, Math.floor(ops / 2)), depth: (o.depth ?? 0) - 1 };
}

function body(m: ModuleBuilder, io: Record<string, Settable>, o: RandomCircuitOptions): void {
  const plan = portPlan(o);
  const rng = rngFromSeed(o.seed);
  const maxW = o.maxWidth ?? defaults.maxWidth;
  const pool: AnySig[] = plan.inputs.map((i) => io[i.name]);
  const lintClean = o.lintClean ?? false;
  const maxAmountW = o.maxShiftAmountWidth ?? 70;
  const wideAmounts = [31, 32, 33, 40, 70].filter((w) => w <= maxAmountW);
  const gen = new ExprGen(rng, m, pool, maxW, lintClean, wideAmounts.length ? wideAmounts : [Math.max(1, maxAmountW)]);
  for (let i = 0; i < (lintClean ? 0 : 2); i++) {
    const w = randomWidth(rng, maxW);
    pool.push(m.let(`k${i}`, lit(interestingBits(rng, w), UInt(w))));
  }
  const other: ClockDomain | undefined = o.secondDomain ? m.domain('a', { clock: 'clk_a', reset: 'rst_a_n', resetKind: 'async', resetActiveLow: true }) : undefined;

  const regs: { r: Settable; kind: GroundKind; width: number }[] = [];
  for (let i = 0; i < (o.registers ?? defaults.registers); i++) {
    const kind = randomKind(rng);
    const width = kind === 'bool' ? 1 : randomWidth(rng, maxW);
    const domain = other && rng.chance(0.4) ? other : undefined;
    const init = rng.chance(0.7) ? literalFor(rng, kind, width) : undefined;
    const enable = rng.chance(0.3) ? gen.cond() : undefined;
    const r = m.reg(`r${i}`, typeOf(kind, width), { init, domain, enable }) as unknown as Settable;
    regs.push({ r, kind, width });
    pool.push(r);
  }

  // A memory: asynchronous and synchronous reads now (more appear among the operators), writes at the end.
  let writeMemory = () => {};
  if (o.memory) {
    const kind = rng.pick(['uint', 'sint', 'bits'] as const);
    const width = randomWidth(rng, Math.min(maxW, 70));
    const depth = rng.pick(lintClean ? [2, 4, 8, 16] : [1, 2, 3, 4, 5, 7, 8, 12, 16, 33]);
    const init = rng.chance(0.5) ? Array.from({ length: rng.range(0, depth) }, () => literalFor(rng, kind, width) as number | bigint) : undefined;
    const mem = m.memory('mem', { type: typeOf(kind, width) as never, depth, init });
    const aw = clog2(depth);
    gen.memories.push({ read: (a) => mem.read(a), readSync: (a, opts) => mem.readSync(a, opts), depth });
    pool.push(mem.read(gen.uintOf(aw)));
    pool.push(mem.readSync(gen.uintOf(aw), rng.chance(0.5) ? { enable: gen.cond() } : {}));
    if (other) pool.push(mem.readSync(gen.uintOf(aw), { domain: other }));
    // All writes of a memory share one clock domain (the core rejects anything else).
    const domain = other && rng.chance(0.3) ? other : undefined;
    writeMemory = () => {
      for (let i = rng.range(1, 2); i > 0; i--) {
        const pick = gen.uintOf(aw);
        // a constant address past the last word is an elaboration error: use word 0 instead
        const addr = pick.node.op === 'const' && pick.node.value! >= BigInt(depth) ? lit(0, UInt(aw)) : pick;
        const data = coerce(rng, gen.pick(), kind, width);
        m.when(gen.cond(), () => mem.write(addr, data as never, { domain }));
      }
    };
  }

  const nOps = o.operations ?? defaults.operations;
  const half = Math.floor(nOps / 2);
  for (let i = 0; i < half; i++) gen.step();

  if (o.conditionals) conditionalBlocks(m, gen, rng);

  const depth = o.depth ?? defaults.depth;
  if (depth > 0) {
    // Two instances of one child module (shared by both), their inputs from the pool.
    const co = childOptions(o);
    const cp = portPlan(co);
    for (const name of ['u_c0', 'u_c1']) {
      const inst = m.instance(name, RandomCircuit, co, other ? { domains: { a: other } } : {});
      const cio = inst.io as Record<string, Settable>;
      for (const i of cp.inputs) cio[i.name].set(coerce(rng, gen.pick(), i.kind, i.width));
      for (const out of cp.outputs) pool.push(cio[out.name]);
    }
  }

  for (let i = half; i < nOps; i++) gen.step();

  writeMemory();
  for (const { r, kind, width } of regs) {
    const v = coerce(rng, gen.pick(), kind, width);
    const c = rng.below(10);
    if (c < 6) r.set(v);
    else if (c < 9) m.when(gen.cond(), () => r.set(v));
    else {
      const v2 = coerce(rng, gen.pick(), kind, width);
      m.when(gen.cond(), () => r.set(v)).otherwise(() => r.set(v2));
    }
  }
  plan.outputs.forEach((out, i) => io[out.name].set(coerce(rng, i === 0 ? pool[pool.length - 1] : gen.pick(), out.kind, out.width)));
}

/**
 * Conditional assignment: a scalar wire with a default and overrides in when/elsewhen/otherwise
 * (nested) or switch branches, and a Vec wire whose elements are overridden by static and dynamic
 * index (when expansion on bit ranges).
 */
function conditionalBlocks(m: ModuleBuilder, gen: ExprGen, rng: SeededRandom): void {
  const kind = randomKind(rng);
  const w = kind === 'bool' ? 1 : randomWidth(rng, Math.min(64, gen.maxW));
  const cw = m.wire('cw', typeOf(kind, w)) as unknown as Settable;
  const val = () => (rng.chance(0.2) ? literalFor(rng, kind, w) : coerce(rng, gen.pick(), kind, w));
  cw.set(val());
  if (rng.chance(0.7)) {
    const chain = m.when(gen.cond(), () => {
      cw.set(val());
      if (rng.chance(0.5)) m.when(gen.cond(), () => cw.set(val()));
    });
    if (rng.chance(0.6)) chain.elsewhen(gen.cond(), () => cw.set(val()));
    if (rng.chance(0.5)) chain.otherwise(() => cw.set(val()));
  } else {
    const selW = rng.range(1, 3);
    const sel = gen.uintOf(selW);
    const sw = m.switch(sel);
    const cases = [...new Set(Array.from({ length: rng.range(1, 3) }, () => rng.below(1 << selW)))];
    for (const k of cases) sw.is(k, () => cw.set(val()));
    if (rng.chance(0.5)) sw.default(() => cw.set(val()));
  }
  gen.pool.push(cw);

  const ew = rng.range(1, 12);
  const n = rng.range(2, 5);
  const v = m.wire('cv', Vec(UInt(ew), n));
  for (const e of v.elements()) e.set(gen.uintOf(ew));
  m.when(gen.cond(), () => {
    v.at(rng.below(n)).set(gen.uintOf(ew));
    if (rng.chance(0.4)) m.when(gen.cond(), () => v.at(gen.uintOf(clog2(n))).set(gen.uintOf(ew)));
  }).otherwise(() => {
    v.at(gen.uintOf(clog2(n))).set(gen.uintOf(ew));
  });
  gen.pool.push(v.asBits());
  gen.pool.push(v.at(gen.uintOf(clog2(n))));
}

/** FNV-1a of the options other than the seed, for module names. */
function optionsHash(o: RandomCircuitOptions): string {
  const s = JSON.stringify(Object.entries(o).filter(([k, v]) => k !== 'seed' && v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** The random circuit for `options` (instantiate or elaborate it with the options as parameters). */
export const RandomCircuit: ModuleDef<RandomCircuitOptions, any> = defineModule({
  name: 'RandomCircuit',
  moduleName: (o: RandomCircuitOptions) => `Rand_${(o.seed >>> 0).toString(16).padStart(8, '0')}_${optionsHash(o)}`,
  io: (o: RandomCircuitOptions) => {
    const plan = portPlan(o);
    const io: Record<string, ReturnType<typeof input> | ReturnType<typeof output>> = {};
    for (const i of plan.inputs) io[i.name] = input(typeOf(i.kind, i.width));
    for (const out of plan.outputs) io[out.name] = output(typeOf(out.kind, out.width));
    return io;
  },
  body: (m, io, o) => body(m, io as Record<string, Settable>, o),
});
