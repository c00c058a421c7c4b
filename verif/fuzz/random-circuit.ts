import { Bits, Bool, SInt, UInt, Vec, cat, clog2, defineModule, input, lit, mux, output, replicate, type GroundKind, type ModuleDef, type Sig } from '../../hdl-gen/index.ts';
import { GroundType } from '../../hdl-gen/core/types.ts';
import { rngFromSeed, type SeededRandom } from '../random.ts';

/**
 * Random well-formed circuits for differential testing of the IR simulator against Verilator on
 * the emitted SV: every operator, widths 1..maxWidth, signed and unsigned values, muxes,
 * when/otherwise with partial overrides, registers (with and without enable) and memories
 * (asynchronous and synchronous reads). Built with the public eDSL, so the front end, lowering,
 * checks and printer are all under test.
 */
export interface RandomCircuitOptions {
  readonly inputs?: number;
  readonly operations?: number;
  readonly registers?: number;
  readonly outputs?: number;
  readonly maxWidth?: number;
}

type AnySig = Sig<GroundKind>;

const kinds: readonly GroundKind[] = ['uint', 'sint', 'bits', 'bool'];

function typeOf(kind: GroundKind, width: number): GroundType {
  if (kind === 'bool') return Bool();
  return kind === 'uint' ? UInt(width) : kind === 'sint' ? SInt(width) : Bits(width);
}

/** Converts any value to the given kind and width (resize keeps it explicit). */
function coerce(x: AnySig, kind: GroundKind, width: number): AnySig {
  if (kind === 'bool') return x.width === 1 ? x.asBool() : x.asUInt().orR();
  const sized = x.width === width ? x : x.type.kind === 'bool' ? x.asUInt().zext(width) : x.resize(width);
  return kind === 'uint' ? sized.asUInt() : kind === 'sint' ? sized.asSInt() : sized.asBits();
}

export function randomCircuit(seed: number, opts: RandomCircuitOptions = {}): { def: ModuleDef<Record<string, never>, any>; name: string } {
  const name = `Fuzz${seed.toString(16).padStart(8, '0')}`;
  const maxWidth = opts.maxWidth ?? 130;
  const rng = rngFromSeed(seed);
  const width = () => (rng.chance(0.15) ? rng.range(33, maxWidth) : rng.chance(0.3) ? rng.range(1, 4) : rng.range(1, 32));
  const nIn = opts.inputs ?? rng.range(1, 6);
  const inputSpecs = Array.from({ length: nIn }, () => {
    const k = rng.pick(kinds);
    return typeOf(k, k === 'bool' ? 1 : width());
  });
  const nOut = opts.outputs ?? rng.range(1, 4);
  const outTypes = Array.from({ length: nOut }, () => {
    const k = rng.pick(kinds);
    return typeOf(k, k === 'bool' ? 1 : width());
  });
  const def = defineModule({
    name,
    io: () => {
      const io: Record<string, ReturnType<typeof input> | ReturnType<typeof output>> = {};
      inputSpecs.forEach((t, i) => (io[`in${i}`] = input(t)));
      outTypes.forEach((t, i) => (io[`out${i}`] = output(t)));
      return io;
    },
    body: (m, io: Record<string, any>) => {
      const pool: AnySig[] = inputSpecs.map((_, i) => io[`in${i}`] as AnySig);
      const regs: { r: any; type: GroundType }[] = [];
      const nRegs = opts.registers ?? rng.range(0, 3);
      for (let i = 0; i < nRegs; i++) {
        const k = rng.pick(kinds);
        const t = typeOf(k, k === 'bool' ? 1 : width());
        const enable = rng.chance(0.3) ? coerce(pool[0], 'bool', 1) : undefined;
        const r = m.reg(`r${i}`, t, { init: rng.chance(0.8) ? 0 : undefined, enable });
        regs.push({ r, type: t });
        pool.push(r as AnySig);
      }
      const pickValue = () => pool[rng.below(pool.length)];
      const memories: { mem: any; aw: number }[] = [];
      if (rng.chance(0.3)) {
        const depth = rng.pick([2, 4, 8, 16]);
        const mem = m.memory('mem', { type: UInt(rng.range(1, 40)), depth });
        memories.push({ mem, aw: clog2(depth) });
        const addr = coerce(pickValue(), 'uint', clog2(depth)) as Sig<'uint'>;
        pool.push(rng.chance(0.5) ? mem.read(addr) : mem.readSync(addr));
      }
      const nOps = opts.operations ?? rng.range(3, 25);
      for (let i = 0; i < nOps; i++) {
        const v = randomOp(rng, pickValue, maxWidth, memories);
        pool.push(v);
        if (rng.chance(0.15)) pool.push(m.let(`w${i}`, v));
      }
      // A vector wire with defaults and conditional element overrides, static and dynamic
      // (exercises when expansion on bit ranges).
      if (rng.chance(0.5)) {
        const ew = rng.range(1, 12);
        const n = rng.range(2, 5);
        const v = m.wire('cv', Vec(UInt(ew), n));
        for (const e of v.elements()) e.set(coerce(pickValue(), 'uint', ew) as Sig<'uint'>);
        m.when(coerce(pickValue(), 'bool', 1), () => {
          v.at(rng.below(n)).set(coerce(pickValue(), 'uint', ew) as Sig<'uint'>);
        }).otherwise(() => {
          v.at(coerce(pickValue(), 'uint', clog2(n)) as Sig<'uint'>).set(coerce(pickValue(), 'uint', ew) as Sig<'uint'>);
        });
        pool.push(v.asBits());
        pool.push(v.at(coerce(pickValue(), 'uint', clog2(n)) as Sig<'uint'>));
      }
      for (const { mem, aw } of memories) {
        const en = coerce(pickValue(), 'bool', 1);
        m.when(en, () => mem.write(coerce(pickValue(), 'uint', aw), coerce(pickValue(), 'uint', mem.type.width)));
      }
      for (const { r, type } of regs) {
        if (rng.chance(0.5)) {
          m.when(coerce(pickValue(), 'bool', 1), () => r.set(coerce(pickValue(), type.kind, type.width)));
        } else r.set(coerce(pickValue(), type.kind, type.width));
      }
      outTypes.forEach((t, i) => io[`out${i}`].set(coerce(pool[pool.length - 1 - (i % pool.length)], t.kind, t.width)));
    },
  });
  return { def, name };
}

function randomOp(rng: SeededRandom, pickValue: () => AnySig, maxWidth: number, memories: { mem: any; aw: number }[]): AnySig {
  const a = pickValue();
  const arith = (x: AnySig): AnySig => (x.type.kind === 'sint' || x.type.kind === 'uint' ? x : coerce(x, rng.chance(0.5) ? 'sint' : 'uint', x.width));
  const same = (x: AnySig): AnySig => coerce(pickValue(), x.type.kind, x.width);
  const choice = rng.below(30);
  switch (choice) {
    case 0:
      return a.and(same(a));
    case 1:
      return a.or(same(a));
    case 2:
      return a.xor(same(a));
    case 3:
      return a.not();
    case 4: {
      const x = arith(a);
      return x.add(same(x));
    }
    case 5: {
      const x = arith(a);
      return x.sub(same(x));
    }
    case 6: {
      const x = arith(a);
      return x.mul(same(x));
    }
    case 7: {
      const x = arith(a);
      const y = coerce(pickValue(), x.type.kind, rng.range(1, Math.min(64, maxWidth - 1)));
      return x.width >= maxWidth || y.width >= maxWidth ? x.add(same(x)) : x.addExpand(y);
    }
    case 8: {
      const x = arith(a);
      const y = coerce(pickValue(), x.type.kind, rng.range(1, 64));
      return Math.max(x.width, y.width) + 1 > maxWidth ? x.sub(same(x)) : x.subExpand(y);
    }
    case 9: {
      const x = arith(a);
      const y = coerce(pickValue(), x.type.kind, rng.range(1, 40));
      return x.width + y.width > maxWidth ? x.mul(same(x)) : x.mulExpand(y);
    }
    case 10: {
      const x = coerce(a, 'sint', a.width);
      return rng.chance(0.5) || x.width >= maxWidth ? x.neg() : x.negExpand();
    }
    case 11:
      return a.eq(same(a));
    case 12:
      return a.ne(same(a));
    case 13: {
      const x = arith(a);
      return rng.pick([() => x.lt(same(x)), () => x.le(same(x)), () => x.gt(same(x)), () => x.ge(same(x))])();
    }
    case 14:
      return a.shl(rng.range(0, a.width + 2));
    case 15:
      return a.shr(rng.range(0, a.width + 2));
    case 16:
      return a.shl(coerce(pickValue(), 'uint', rng.range(1, 8)) as Sig<'uint'>);
    case 17:
      return a.shr(coerce(pickValue(), 'uint', rng.range(1, 8)) as Sig<'uint'>);
    case 18:
      return a.width + 8 > maxWidth ? a.not() : a.shlExpand(rng.range(0, 8));
    case 19:
      return rng.pick([() => a.andR(), () => a.orR(), () => a.xorR()])();
    case 20: {
      const hi = rng.range(0, a.width - 1);
      return a.slice(hi, rng.range(0, hi));
    }
    case 21:
      return a.bit(rng.range(0, a.width - 1));
    case 22: {
      const b = pickValue();
      return a.width + b.width > maxWidth ? a : cat(a, b);
    }
    case 23:
      return a.width * 3 > maxWidth ? a : replicate(a, rng.range(1, 3));
    case 24:
      return a.width >= maxWidth ? a.trunc(Math.max(1, a.width - 1)) : rng.chance(0.5) ? a.zext(rng.range(a.width, maxWidth)) : a.sext(rng.range(a.width, maxWidth));
    case 25:
      return a.resize(rng.range(1, maxWidth));
    case 26:
      return mux(coerce(pickValue(), 'bool', 1), a, same(a));
    case 27:
      return mux(coerce(pickValue(), 'bool', 1), a, lit(rng.bits(a.width) & (a.type.kind === 'sint' ? (1n << BigInt(a.width - 1)) - 1n : -1n), a.type as never));
    case 28:
      return a.trunc(rng.range(1, a.width));
    default: {
      if (memories.length === 0) return a.asUInt();
      const { mem, aw } = memories[0];
      const addr = coerce(pickValue(), 'uint', aw) as Sig<'uint'>;
      return rng.chance(0.5) ? mem.read(addr) : mem.readSync(addr);
    }
  }
}
