import { describe, expect, it } from 'vitest';
import { Sig, UInt, defineModule, elaborate, input, lit, output } from '../../../hdl-gen/index.ts';
import { IntMacArray } from '../../../hdl-gen/examples/int-mac-array.ts';
import type { IrDesign } from '../../../hdl-gen/ir/ir.ts';
import { seededRandom } from '../../../verif/random.ts';
import { IrSimulator, ReferenceInterpreter, type IrSimulatorOptions } from '../../../verif/sim/index.ts';

/**
 * Replicated instances simulated by one shared function per module (IrSimulator's default) must
 * give exactly what per-instance code and the reference interpreter give: every named signal of
 * every instance, cycle by cycle, with random inputs. (random.test.ts covers shared instances
 * with memories and both reset kinds on random hierarchical designs.)
 */
function compareAll(design: IrDesign, cycles: number, what: string, opts: IrSimulatorOptions = {}): { shared: IrSimulator; flat: IrSimulator } {
  const shared = new IrSimulator(design, opts);
  const flat = new IrSimulator(design, { ...opts, shareInstances: false });
  const ref = new ReferenceInterpreter(design);
  const rng = seededRandom(`shared-instances ${what}`);
  const top = design.modules.find((m) => m.name === design.top)!;
  const inputs = top.ports.filter((p) => p.dir === 'input' && p.role !== 'clock');
  for (const s of [shared, flat, ref]) s.reset();
  const paths = shared.signalPaths();
  for (let c = 0; c < cycles; c++) {
    for (const p of inputs) {
      const v = p.role === 'reset' ? BigInt(Number(rng.chance(0.05))) : rng.bits(p.width);
      for (const s of [shared, flat, ref]) s.poke(p.name, v);
    }
    for (const path of paths) {
      const want = ref.peekInternal(path);
      const got = [shared.peekInternal(path), flat.peekInternal(path)];
      if (got[0] !== want || got[1] !== want) expect.fail(`${what}, seed ${rng.seed}, cycle ${c}: '${path}' is ${got[0]} shared, ${got[1]} per instance, ${want} in ReferenceInterpreter`);
    }
    for (const s of [shared, flat, ref]) s.step();
  }
  return { shared, flat };
}

const Child = defineModule({
  name: 'SharedChild',
  io: () => ({ x: input(UInt(8)), y: input(UInt(8)), fx: output(UInt(8)), gy: output(UInt(8)), acc: output(UInt(8)) }),
  body: (m, io) => {
    io.fx.set(io.x.add(1));
    io.gy.set(io.y.xor(3));
    const acc = m.reg('acc_r', UInt(8), { init: 7 });
    acc.set(acc.add(io.x).add(io.y));
    io.acc.set(acc);
  },
});

/** fx: a chain of 40 operators on x (so that its shared function is cut into several). */
const ChainChild = defineModule({
  name: 'SharedChainChild',
  io: () => ({ x: input(UInt(8)), y: input(UInt(8)), fx: output(UInt(8)), acc: output(UInt(8)) }),
  body: (m, io) => {
    let v: Sig<'uint'> = io.x;
    for (let i = 0; i < 40; i++) v = i % 2 ? v.xor(i) : v.add(i);
    io.fx.set(v);
    const acc = m.reg('acc_r', UInt(8), { init: 7 });
    acc.set(acc.add(io.x).xor(io.y));
    io.acc.set(acc);
  },
});
const chainFx = (x: number) => {
  for (let i = 0; i < 40; i++) x = i % 2 ? x ^ i : (x + i) & 255;
  return x;
};

describe('IrSimulator shared instances', () => {
  it('a 4x4 int8 MAC array: one shared PE function, same signals as per-instance code', () => {
    const design = elaborate(IntMacArray, { rows: 4, cols: 4, dataWidth: 8, accWidth: 24 });
    const { shared, flat } = compareAll(design, 40, 'IntMacArray 4x4');
    expect(shared.stats.sharedModules).toBe(1);
    expect(shared.stats.sharedInstances).toBe(16);
    expect(flat.stats.sharedInstances).toBe(0);
  });

  it('instances fed by a constant in one place and by an input in another share one function', () => {
    const Top = defineModule({
      name: 'SharedConstTop',
      io: () => ({ a: input(UInt(8)), o0: output(UInt(8)), o1: output(UInt(8)) }),
      body: (m, io) => {
        const u0 = m.instance('u0', Child, {});
        const u1 = m.instance('u1', Child, {});
        u0.io.x.set(lit(5, UInt(8)));
        u0.io.y.set(io.a);
        u1.io.x.set(io.a);
        u1.io.y.set(u0.io.fx);
        io.o0.set(u0.io.acc.add(u1.io.gy));
        io.o1.set(u1.io.acc);
      },
    });
    const { shared } = compareAll(elaborate(Top, {}), 30, 'SharedConstTop');
    expect(shared.stats.sharedInstances).toBe(2);
  });

  it('a combinational chain through instances of one module, each cut into several functions', () => {
    // u1 reads u0's output and u2 reads u1's: one call per instance, in chain order, every cut done.
    const Top = defineModule({
      name: 'SharedChainTop',
      io: () => ({ a: input(UInt(8)), b: input(UInt(8)), o: output(UInt(8)), s: output(UInt(8)) }),
      body: (m, io) => {
        const u = [0, 1, 2, 3].map((i) => m.instance(`u${i}`, ChainChild, {}));
        u[0].io.x.set(io.a);
        for (let i = 1; i < 4; i++) u[i].io.x.set(u[i - 1].io.fx);
        for (let i = 0; i < 4; i++) u[i].io.y.set(i % 2 ? io.b : u[(i + 1) % 4].io.acc);
        io.o.set(u[3].io.fx);
        io.s.set(u[0].io.acc.add(u[3].io.acc));
      },
    });
    const opts = { chunkChars: 1000 };
    const { shared } = compareAll(elaborate(Top, {}), 30, 'SharedChainTop', opts);
    expect(shared.stats.sharedInstances).toBe(4);
    const sim = new IrSimulator(elaborate(Top, {}), opts);
    sim.poke('a', 10);
    expect(sim.peek('o')).toBe(BigInt(chainFx(chainFx(chainFx(chainFx(10))))));
  });

  it('falls back to per-instance code when a combinational path leaves an instance and re-enters it', () => {
    // u1 reads u0.fx and u0 reads u1.fx: no loop node by node, but no order of whole instances.
    const Top = defineModule({
      name: 'SharedCrossTop',
      io: () => ({ a: input(UInt(8)), b: input(UInt(8)), o0: output(UInt(8)), o1: output(UInt(8)) }),
      body: (m, io) => {
        const u0 = m.instance('u0', Child, {});
        const u1 = m.instance('u1', Child, {});
        u0.io.x.set(io.a);
        u1.io.x.set(u0.io.fx);
        u0.io.y.set(u1.io.fx);
        u1.io.y.set(io.b);
        io.o0.set(u0.io.gy);
        io.o1.set(u1.io.acc);
      },
    });
    const design = elaborate(Top, {});
    const { shared } = compareAll(design, 30, 'SharedCrossTop');
    expect(shared.stats.sharedInstances).toBe(0);
    const sim = new IrSimulator(design);
    sim.poke('a', 10);
    expect(sim.peek('o0')).toBe(BigInt((10 + 1 + 1) ^ 3));
  });
});
