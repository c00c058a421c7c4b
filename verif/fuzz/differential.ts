import { defineModule, elaborate, type ModuleDef } from '../../hdl-gen/index.ts';
import type { IrDesign, IrPort } from '../../hdl-gen/ir/ir.ts';
import { rngFromSeed } from '../random.ts';
import { IrSimulator } from '../sim/index.ts';
import { VerilatorSim } from '../verilator/verilator-sim.ts';
import { randomCircuit } from './random-circuit.ts';

/**
 * Differential fuzzing: a batch of random circuits (verif/fuzz/random-circuit.ts), each a child
 * instance of one top module so that one Verilator build covers the whole batch, run for random
 * cycles in the IR simulator and in Verilator on the emitted SV. Any difference is a bug in the
 * front end, lowering, printer or one of the simulators.
 */
export interface FuzzMismatch {
  readonly circuitSeed: number;
  readonly port: string;
  readonly cycle: number;
  readonly ir: bigint;
  readonly verilator: bigint;
}

export interface FuzzBatchResult {
  readonly circuits: number;
  readonly cycles: number;
  readonly comparisons: number;
  readonly mismatches: FuzzMismatch[];
  readonly buildSeconds: number;
}

/** One top module instantiating the circuits of `seeds`; ports are `c<i>_<port>`. */
export function fuzzBatch(seeds: readonly number[]): { def: ModuleDef<Record<string, never>, any>; owners: Map<string, number> } {
  const circuits = seeds.map((s) => randomCircuit(s));
  const owners = new Map<string, number>();
  const def = defineModule({
    name: `FuzzBatch_${seeds[0].toString(16)}_${seeds.length}`,
    io: () => {
      const io: Record<string, any> = {};
      circuits.forEach((c, i) => {
        for (const [name, spec] of Object.entries(c.def.io({}) as Record<string, any>)) {
          io[`c${i}_${name}`] = spec;
          owners.set(`c${i}_${name}`, seeds[i]);
        }
      });
      return io;
    },
    body: (m, io: Record<string, any>) => {
      circuits.forEach((c, i) => {
        const u = m.instance(`u${i}`, c.def, {}) as { io: Record<string, any> };
        for (const [name, spec] of Object.entries(c.def.io({}) as Record<string, { dir: string }>)) {
          if (spec.dir === 'input') u.io[name].set(io[`c${i}_${name}`]);
          else io[`c${i}_${name}`].set(u.io[name]);
        }
      });
    },
  });
  return { def, owners };
}

export async function runFuzzBatch(seeds: readonly number[], cycles: number, stimulusSeed: number): Promise<FuzzBatchResult> {
  const { def, owners } = fuzzBatch(seeds);
  const design: IrDesign = elaborate(def, {});
  const top = design.modules.find((m) => m.name === design.top)!;
  const inputs = top.ports.filter((p) => p.dir === 'input' && !p.role);
  const outputs = top.ports.filter((p) => p.dir === 'output');
  const rng = rngFromSeed(stimulusSeed);
  const stimulus: Record<string, bigint[]> = {};
  for (const p of inputs) stimulus[p.name] = Array.from({ length: cycles }, () => randomValue(p, rng));
  const t0 = performance.now();
  const vsim = await VerilatorSim.build(design);
  const buildSeconds = (performance.now() - t0) / 1000;
  const hasReset = top.ports.some((p) => p.role === 'reset');
  let rtl: Record<string, bigint[]>;
  try {
    rtl = await vsim.runVectors(stimulus, 'clocked', hasReset ? { reset: 2 } : {});
  } finally {
    await vsim.close();
  }
  const ir = new IrSimulator(design);
  if (hasReset) ir.reset(2);
  const mismatches: FuzzMismatch[] = [];
  let comparisons = 0;
  for (let c = 0; c < cycles; c++) {
    for (const p of inputs) ir.poke(p.name, stimulus[p.name][c]);
    for (const p of outputs) {
      const a = ir.peek(p.name);
      const b = rtl[p.name][c];
      comparisons++;
      if (a !== b && mismatches.length < 20) mismatches.push({ circuitSeed: owners.get(p.name)!, port: p.name, cycle: c, ir: a, verilator: b });
    }
    ir.step();
  }
  return { circuits: seeds.length, cycles, comparisons, mismatches, buildSeconds };
}

function randomValue(p: IrPort, rng: ReturnType<typeof rngFromSeed>): bigint {
  // Bias toward edge values: all zeros, all ones, the sign bit, small numbers.
  const w = p.width;
  const r = rng.below(8);
  if (r === 0) return 0n;
  if (r === 1) return (1n << BigInt(w)) - 1n;
  if (r === 2) return 1n << BigInt(w - 1);
  if (r === 3) return BigInt(rng.below(4)) & ((1n << BigInt(w)) - 1n);
  return rng.bits(w);
}
