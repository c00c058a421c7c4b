/**
 * IrSimulator throughput. Run: ./node_modules/.bin/tsx verif/sim/bench.ts
 * Prints cycles/s for the counter example and for ~500-node designs (a 32-bit datapath, and a
 * random design with widths up to 130 bits, i.e. mostly BigInt).
 */
import { UInt, cat, defineModule, elaborate, input, mux, output, type Sig } from '../../hdl-gen/index.ts';
import { Counter } from '../../hdl-gen/examples/counter.ts';
import type { IrDesign } from '../../hdl-gen/ir/ir.ts';
import { IrSimulator } from './ir-simulator.ts';
import { RandomCircuit } from '../random-circuit.ts';

/** A datapath of `lanes` lanes, each an LFSR, an accumulator, compare/shift/mux logic and a shared memory. */
export const BenchDatapath = defineModule({
  name: 'BenchDatapath',
  io: (p: { lanes: number }) => ({ din: input(UInt(32)), sel: input(UInt(3)), dout: output(UInt(32)), flag: output(UInt(p.lanes)) }),
  body: (m, io, p) => {
    const mem = m.memory('scratch', { type: UInt(32), depth: 64 });
    const flags: Sig<'uint'>[] = [];
    let fold: Sig<'uint'> = io.din;
    for (let i = 0; i < p.lanes; i++) {
      const lfsr = m.reg(`lfsr${i}`, UInt(32), { init: 0xace1 + i });
      const fb = lfsr.bit(31).xor(lfsr.bit(21)).xor(lfsr.bit(1)).xor(lfsr.bit(0));
      lfsr.set(cat(lfsr.slice(30, 0), fb));
      const acc = m.reg(`acc${i}`, UInt(32), { init: 0 });
      const x = lfsr.xor(io.din).add(i * 977);
      const y = mux(x.slice(2, 0).eq(io.sel), x.shr(3), x.shl(2));
      const z = y.mul(lfsr.slice(15, 0).zext(32)).sub(acc.shr(lfsr.slice(4, 0)));
      acc.set(mux(z.gt(acc), z, acc.add(y)).xor(fold));
      fold = m.let(`fold${i}`, fold.add(acc).xor(z.slice(15, 0).sext(32)));
      const big = acc.slice(31, 16).lt(lfsr.slice(15, 0)).and(x.orR());
      flags.push(big.asUInt());
      if (i % 2 === 0) m.when(big, () => mem.write(acc.slice(5, 0), z));
    }
    const rd = mem.readSync(fold.slice(5, 0));
    io.dout.set(fold.xor(rd));
    io.flag.set(flags.length === 1 ? flags[0] : cat(...flags.reverse()));
  },
});

export function measure(design: IrDesign, label: string, cycles: number, drive?: (sim: IrSimulator, c: number) => void): { label: string; cyclesPerSecond: number; nodes: number } {
  const sim = new IrSimulator(design);
  sim.reset();
  const run = (n: number) => {
    if (!drive) sim.step(n);
    else
      for (let c = 0; c < n; c++) {
        drive(sim, c);
        sim.step();
      }
  };
  run(Math.min(cycles, 20_000)); // warm up (JIT)
  const t0 = performance.now();
  run(cycles);
  const dt = (performance.now() - t0) / 1000;
  return { label, cyclesPerSecond: Math.round(cycles / dt), nodes: sim.stats.nodes };
}

function main(): void {
  const results = [];
  const counter = elaborate(Counter, { width: 16 });
  results.push(
    measure(counter, 'counter (en=1, step(n))', 5_000_000, undefined),
    measure(counter, 'counter (poke en + step each cycle)', 2_000_000, (s, c) => s.poke('en', c & 1)),
    measure(counter, 'counter (poke + peek count + step)', 1_000_000, (s, c) => {
      s.poke('en', 1);
      if (s.peek('count') < 0n) throw new Error();
      void c;
    }),
  );
  const dp = elaborate(BenchDatapath, { lanes: 12 });
  results.push(
    measure(dp, 'datapath 12 lanes, 32-bit (step(n))', 500_000),
    measure(dp, 'datapath 12 lanes, 32-bit (poke + peek + step)', 300_000, (s, c) => {
      s.poke('din', (c * 2654435761) >>> 0);
      s.poke('sel', c & 7);
      if (s.peek('dout') < 0n) throw new Error();
    }),
  );
  const rnd = elaborate(RandomCircuit, { seed: 7, operations: 260, registers: 4, memory: true, secondDomain: true });
  results.push(measure(rnd, 'random design, widths 1..130 (step(n))', 100_000));
  const rnd32 = elaborate(RandomCircuit, { seed: 7, operations: 260, registers: 4, memory: true, secondDomain: true, maxWidth: 32 });
  results.push(measure(rnd32, 'random design, widths 1..32 (step(n))', 300_000));
  for (const r of results) console.log(`${r.label.padEnd(52)} ${String(r.nodes).padStart(5)} IR nodes  ${r.cyclesPerSecond.toLocaleString('en-US').padStart(12)} cycles/s`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
