import { Bool, SInt, Sig, UInt, cat, clog2, defineModule, input, lit, mux, output, replicate, type ModuleBuilder, type ModuleDef } from '../../hdl-gen/index.ts';
import type { ClockDomain } from '../../hdl-gen/index.ts';

/**
 * Random designs built with the eDSL, for differential testing (IrSimulator vs the reference
 * interpreter, and optionally vs Verilator on the printed SV). Everything is a pure function of
 * the seed. Expressions use every front-end operator: and/or/xor/not, add/sub/mul and their Expand
 * forms, neg/negExpand, the six comparisons (signed and unsigned), static and dynamic shl/shr,
 * shlExpand, andR/orR/xorR, mux, slice/bit, cat/replicate, zext/sext/resize/trunc, with widths 1..130.
 */
export interface RandomDesignParams {
  readonly seed: number;
  /** Operator nodes to create in the top module (default 60). */
  readonly ops?: number;
  /** Registers, memories, a second (async, active-low) clock domain. */
  readonly sequential?: boolean;
  /** Child instance depth (0 = none). */
  readonly depth?: number;
  /** Largest width (default 130). */
  readonly maxWidth?: number;
  /** Output ports of the top module (default 4). */
  readonly outputs?: number;
  [key: string]: unknown;
}

export type Rng = {
  (): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  bits(width: number): bigint;
};

/** mulberry32 with helpers. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (() => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as Rng;
  next.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  next.pick = (xs) => xs[Math.floor(next() * xs.length)];
  next.chance = (p) => next() < p;
  next.bits = (width) => {
    let v = 0n;
    for (let i = 0; i < width; i += 32) v = (v << 32n) | BigInt(Math.floor(next() * 4294967296));
    v &= (1n << BigInt(width)) - 1n;
    // Bias towards interesting patterns: all ones, zero, sign bit only, small numbers.
    const r = next();
    if (r < 0.06) return (1n << BigInt(width)) - 1n;
    if (r < 0.1) return 0n;
    if (r < 0.14) return 1n << BigInt(width - 1);
    if (r < 0.22) return v & 7n;
    return v;
  };
  return next;
}

const boundaryWidths = [1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 47, 53, 63, 64, 65, 96, 127, 128, 129, 130];

export function randomWidth(rng: Rng, max: number): number {
  const r = rng();
  const w = r < 0.35 ? rng.int(1, 12) : r < 0.6 ? rng.pick(boundaryWidths) : r < 0.8 ? rng.int(13, 40) : rng.int(41, max);
  return Math.min(w, max);
}

type AnySig = Sig<'uint'> | Sig<'sint'> | Sig<'bool'>;
type Kind = 'uint' | 'sint';

function toKind(x: Sig, kind: Kind): Sig<Kind> {
  return kind === 'uint' ? x.asUInt() : x.asSInt();
}

/** x as `kind` with `w` bits, by a randomly chosen width operator. */
function coerce(rng: Rng, x: Sig, kind: Kind, w: number): Sig<Kind> {
  const k = toKind(x, kind);
  if (k.width === w) return k;
  if (w > k.width) {
    const r = rng();
    return r < 0.4 ? k.zext(w) : r < 0.7 ? k.sext(w) : k.resize(w);
  }
  return rng.chance(0.5) ? k.trunc(w) : k.resize(w);
}

/** A literal that fits a `kind`/`w` operand, as number or bigint. */
function literalFor(rng: Rng, kind: Kind, w: number): bigint | number {
  let v = rng.bits(w);
  if (kind === 'sint' && v >> BigInt(w - 1)) v -= 1n << BigInt(w);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) && rng.chance(0.5) ? Number(v) : v;
}

/** Builds random expressions over `pool` (appending to it). */
export class ExprGen {
  constructor(
    private readonly rng: Rng,
    private readonly m: ModuleBuilder,
    readonly pool: AnySig[],
    private readonly maxW: number,
    private readonly prefix: string,
  ) {}
  private named = 0;

  pick(): AnySig {
    const p = this.pool;
    if (this.rng.chance(0.5) && p.length > 8) return p[this.rng.int(p.length - 8, p.length - 1)];
    return p[this.rng.int(0, p.length - 1)];
  }
  pickKind(): Kind {
    return this.rng.chance(0.5) ? 'uint' : 'sint';
  }
  operand(kind: Kind): Sig<Kind> {
    return toKind(this.pick(), kind);
  }
  cond(): Sig<'bool'> {
    const x = this.pick();
    const r = this.rng();
    if (x.width === 1 && r < 0.5) return x.asBool();
    return r < 0.75 ? x.orR() : x.bit(this.rng.int(0, x.width - 1));
  }
  /** Second operand of a same-type binary operator: a coerced pool value or a literal. */
  same(a: Sig<Kind>): Sig<Kind> | bigint | number {
    if (this.rng.chance(0.2)) return literalFor(this.rng, a.type.kind as Kind, a.width);
    return coerce(this.rng, this.pick(), a.type.kind as Kind, a.width);
  }

  /** One random operator node; returns it (also pushed on the pool, sometimes named). */
  step(): AnySig {
    const rng = this.rng;
    const maxW = this.maxW;
    const kind = this.pickKind();
    const a = this.operand(kind);
    let out: Sig;
    const op = rng.int(0, 27);
    switch (op) {
      case 0:
        out = a.and(this.same(a) as never);
        break;
      case 1:
        out = a.or(this.same(a) as never);
        break;
      case 2:
        out = a.xor(this.same(a) as never);
        break;
      case 3:
        out = a.not();
        break;
      case 4:
        out = a.add(this.same(a) as never);
        break;
      case 5:
        out = a.sub(this.same(a) as never);
        break;
      case 6:
        out = a.mul(this.same(a) as never);
        break;
      case 7:
      case 8:
      case 9: {
        // Expanding forms take operands of different widths of the same kind.
        let x: Sig<Kind> = a;
        let y: Sig<Kind> = coerce(rng, this.pick(), kind, randomWidth(rng, maxW));
        const fits = () => (op === 9 ? x.width + y.width : Math.max(x.width, y.width) + 1) <= maxW;
        while (!fits()) {
          if (x.width >= y.width) x = x.resize(Math.max(1, x.width >> 1));
          else y = y.resize(Math.max(1, y.width >> 1));
        }
        out = op === 7 ? x.addExpand(y as never) : op === 8 ? x.subExpand(y as never) : x.mulExpand(y as never);
        break;
      }
      case 10: {
        const s = toKind(a, 'sint') as Sig<'sint'>;
        out = rng.chance(0.5) || s.width >= maxW ? s.neg() : s.negExpand();
        break;
      }
      case 11:
      case 12: {
        const b = this.same(a);
        const cmp = rng.pick(['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const);
        out = (a as Sig<'uint'>)[cmp](b as never);
        break;
      }
      case 13:
        out = a.shl(rng.int(0, a.width + 2));
        break;
      case 14:
        out = a.shr(rng.int(0, a.width + 2));
        break;
      case 15:
      case 16: {
        let amtW = rng.chance(0.85) ? rng.int(1, 8) : rng.pick([31, 32, 33, 40, 70]);
        let amt = coerce(rng, this.pick(), 'uint', amtW) as Sig<'uint'>;
        if (rng.chance(0.4)) {
          // Amounts around the operand width (the boundary where results become 0 / all sign bits).
          amtW = Math.max(amtW, clog2(a.width + 2));
          amt = amt.resize(amtW);
          amt = mux(this.cond(), lit(Math.max(0, a.width + rng.int(-1, 1)), UInt(amtW)), amt);
        }
        out = op === 15 ? a.shl(amt) : a.shr(amt);
        break;
      }
      case 17:
        out = a.width >= maxW ? a : a.shlExpand(rng.int(0, Math.min(10, maxW - a.width)));
        break;
      case 18:
        out = rng.pick([() => a.andR(), () => a.orR(), () => a.xorR()])();
        break;
      case 19: {
        const b = this.same(a);
        out = rng.chance(0.2) ? mux(this.cond(), b as never, a) : mux(this.cond(), a, b as never);
        break;
      }
      case 20: {
        const lo = rng.int(0, a.width - 1);
        const hi = rng.int(lo, a.width - 1);
        out = a.slice(hi, lo);
        break;
      }
      case 21:
        out = a.bit(rng.int(0, a.width - 1));
        break;
      case 22: {
        const parts: Sig[] = [a];
        let w = a.width;
        const n = rng.int(1, 4);
        for (let i = 0; i < n; i++) {
          const x = this.pick();
          if (w + x.width > maxW) break;
          parts.push(x);
          w += x.width;
        }
        out = parts.length > 1 ? cat(...parts) : a.width < maxW ? cat(this.cond(), a) : cat(a);
        break;
      }
      case 23: {
        const n = Math.max(1, Math.min(rng.int(1, 5), Math.floor(maxW / a.width)));
        out = replicate(a, n);
        break;
      }
      case 24:
        out = a.width >= maxW ? a : rng.chance(0.5) ? a.zext(rng.int(a.width, maxW)) : a.sext(rng.int(a.width, maxW));
        break;
      case 25:
        out = a.resize(randomWidth(rng, maxW));
        break;
      case 26:
        out = a.trunc(rng.int(1, a.width));
        break;
      default: {
        // Chains of wrap arithmetic (carries across the 32-bit boundary).
        const b = this.same(a);
        out = a.add(b as never).mul(this.same(a) as never).sub(a);
        break;
      }
    }
    let result = out as AnySig;
    if (rng.chance(0.4)) result = this.m.let(`${this.prefix}${this.named++}`, result as Sig) as AnySig;
    this.pool.push(result);
    return result;
  }
}

interface PortPlan {
  readonly inputs: { name: string; kind: Kind | 'bool'; width: number }[];
  readonly outputs: { name: string; width: number }[];
}

function plan(seed: number, maxW: number, nIn: number, nOut: number): PortPlan {
  const rng = makeRng(seed ^ 0x5bd1e995);
  const inputs = Array.from({ length: nIn }, (_, i) => {
    const r = rng();
    return { name: `i${i}`, kind: (r < 0.15 ? 'bool' : r < 0.6 ? 'uint' : 'sint') as Kind | 'bool', width: randomWidth(rng, maxW) };
  });
  const outputs = Array.from({ length: nOut }, (_, i) => ({ name: `o${i}`, width: randomWidth(rng, maxW) }));
  return { inputs, outputs };
}

function ioOf(p: PortPlan) {
  const io: Record<string, ReturnType<typeof input> | ReturnType<typeof output>> = {};
  for (const i of p.inputs) io[i.name] = input(i.kind === 'bool' ? Bool() : i.kind === 'uint' ? UInt(i.width) : SInt(i.width));
  for (const o of p.outputs) io[o.name] = output(UInt(o.width));
  return io;
}

function body(m: ModuleBuilder, io: Record<string, unknown>, p: RandomDesignParams, portPlan: PortPlan, isTop: boolean): void {
  const rng = makeRng(p.seed);
  const maxW = p.maxWidth ?? 130;
  const pool: AnySig[] = portPlan.inputs.map((i) => io[i.name] as AnySig);
  const gen = new ExprGen(rng, m, pool, maxW, 'n');
  // A few constants in the pool.
  for (let i = 0; i < 2; i++) {
    const w = randomWidth(rng, maxW);
    pool.push(m.let(`k${i}`, lit(rng.bits(w), UInt(w))) as AnySig);
  }

  const regs: { r: Sig & { set(v: unknown): void }; kind: Kind; width: number; conditional: boolean }[] = [];
  let other: ClockDomain | null = null;
  if (p.sequential) {
    other = isTop ? m.domain('a', { clock: 'clk_a', reset: 'rst_a_n', resetKind: 'async', resetActiveLow: true }) : null;
    const nRegs = rng.int(2, 6);
    for (let i = 0; i < nRegs; i++) {
      const kind = gen.pickKind();
      const width = randomWidth(rng, maxW);
      const type = kind === 'uint' ? UInt(width) : SInt(width);
      const domain = other && rng.chance(0.4) ? other : undefined;
      const init = rng.chance(0.7) ? literalFor(rng, kind, width) : undefined;
      const enable = rng.chance(0.3) ? gen.cond() : undefined;
      const r = m.reg(`r${i}`, type, { init, domain, enable }) as unknown as Sig & { set(v: unknown): void };
      regs.push({ r, kind, width, conditional: rng.chance(0.3) });
      pool.push(r as AnySig);
    }
  }

  const nOps = p.ops ?? 60;
  const half = Math.floor(nOps / 2);
  for (let i = 0; i < half; i++) gen.step();

  if (p.sequential) {
    // A memory with async and sync reads and one or two write ports; writes share one clock domain
    // (the core rejects multi-domain writes), reads may come from the other domain.
    const kind = gen.pickKind();
    const width = randomWidth(rng, Math.min(maxW, 70));
    const depth = rng.pick([1, 2, 3, 4, 5, 7, 8, 12, 16, 33]);
    const type = kind === 'uint' ? UInt(width) : SInt(width);
    const init = rng.chance(0.5) ? Array.from({ length: rng.int(0, depth) }, () => literalFor(rng, kind, width)) : undefined;
    const mem = m.memory('mem', { type: type as never, depth, init });
    const aw = clog2(depth);
    const addr = () => coerce(rng, gen.pick(), 'uint', aw) as Sig<'uint'>;
    const data = () => coerce(rng, gen.pick(), kind, width);
    const wAddr = addr();
    const wData = data();
    m.when(gen.cond(), () => mem.write(wAddr, wData as never));
    if (rng.chance(0.5)) {
      const a2 = addr();
      const d2 = data();
      const c2 = gen.cond();
      m.when(c2, () => mem.write(a2, d2 as never));
    }
    pool.push(mem.read(addr()) as AnySig);
    pool.push(mem.readSync(addr(), rng.chance(0.5) ? { enable: gen.cond() } : {}) as AnySig);
    if (other) pool.push(mem.readSync(addr(), { domain: other }) as AnySig);
  }

  if ((p.depth ?? 0) > 0) {
    const childParams: RandomDesignParams = { seed: (p.seed * 7 + 13) >>> 0, ops: Math.max(8, Math.floor(nOps / 2)), sequential: p.sequential, depth: p.depth! - 1, maxWidth: maxW };
    for (const name of ['u_c0', 'u_c1']) {
      const inst = m.instance(name, RandomChild, childParams);
      const cio = inst.io as Record<string, { set(v: unknown): void; width: number; type: { kind: string } } & Sig>;
      const cp = childPlan(childParams);
      for (const i of cp.inputs) {
        const v = gen.pick();
        cio[i.name].set(i.kind === 'bool' ? (v.width === 1 ? v.asBool() : v.orR()) : coerce(rng, v, i.kind, i.width));
      }
      for (const o of cp.outputs) pool.push(cio[o.name] as AnySig);
    }
  }

  for (let i = half; i < nOps; i++) gen.step();

  for (const r of regs) {
    const v = coerce(rng, gen.pick(), r.kind, r.width);
    if (r.conditional) m.when(gen.cond(), () => r.r.set(v));
    else r.r.set(v);
  }
  portPlan.outputs.forEach((o, i) => {
    const src = i === 0 ? pool[pool.length - 1] : gen.pick();
    (io[o.name] as { set(v: unknown): void }).set(coerce(rng, src, 'uint', o.width));
  });
}

function topPlan(p: RandomDesignParams): PortPlan {
  return plan(p.seed, p.maxWidth ?? 130, 6, p.outputs ?? 4);
}
function childPlan(p: RandomDesignParams): PortPlan {
  return plan(p.seed, p.maxWidth ?? 130, 3, 3);
}

export const RandomChild: ModuleDef<RandomDesignParams, any> = defineModule({
  name: 'RandChild',
  io: (p: RandomDesignParams) => ioOf(childPlan(p)),
  body: (m, io, p) => body(m, io as Record<string, unknown>, p, childPlan(p), false),
});

export const RandomTop: ModuleDef<RandomDesignParams, any> = defineModule({
  name: 'RandTop',
  io: (p: RandomDesignParams) => ioOf(topPlan(p)),
  body: (m, io, p) => body(m, io as Record<string, unknown>, p, topPlan(p), true),
});
