import { defineModule, elaborate, type ModuleDef } from '../../hdl-gen/index.ts';
import type { IrDesign } from '../../hdl-gen/ir/ir.ts';
import { RandomCircuit, type RandomCircuitOptions } from '../random-circuit.ts';
import { interestingBits, rngFromSeed } from '../random.ts';
import { IrSimulator } from '../sim/index.ts';
import { VerilatorSim } from '../verilator/verilator-sim.ts';

/**
 * Differential fuzzing: a batch of random circuits (verif/random-circuit.ts), each a child
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

/**
 * The shape of the fuzz circuit for `seed`: small (3..20 operators, up to 3 registers) so that
 * hundreds fit one Verilator build; a memory on 30%, when/switch blocks on 30%, a child level on 5%.
 */
export function fuzzCircuitOptions(seed: number): RandomCircuitOptions {
  const rng = rngFromSeed(seed ^ 0x85ebca6b);
  return {
    seed,
    inputs: rng.range(1, 6),
    outputs: rng.range(1, 4),
    operations: rng.range(3, 20),
    registers: rng.range(0, 3),
    memory: rng.chance(0.3),
    conditionals: rng.chance(0.3),
    depth: rng.chance(0.05) ? 1 : 0,
    // One lint warning fails the whole batch's Verilator build (it runs with -Wall).
    lintClean: true,
    maxShiftAmountWidth: 64,
  };
}

/** One top module instantiating the circuits of `seeds`; ports are `c<i>_<port>`. */
export function fuzzBatch(seeds: readonly number[], options: (seed: number) => RandomCircuitOptions = fuzzCircuitOptions): { def: ModuleDef<Record<string, never>, any>; owners: Map<string, number> } {
  const circuits = seeds.map(options);
  const owners = new Map<string, number>();
  const def = defineModule({
    name: `FuzzBatch_${seeds[0].toString(16)}_${seeds.length}`,
    io: () => {
      const io: Record<string, any> = {};
      circuits.forEach((c, i) => {
        for (const [name, spec] of Object.entries(RandomCircuit.io(c) as Record<string, any>)) {
          io[`c${i}_${name}`] = spec;
          owners.set(`c${i}_${name}`, seeds[i]);
        }
      });
      return io;
    },
    body: (m, io: Record<string, any>) => {
      circuits.forEach((c, i) => {
        const u = m.instance(`u${i}`, RandomCircuit, c) as { io: Record<string, any> };
        for (const [name, spec] of Object.entries(RandomCircuit.io(c) as Record<string, { dir: string }>)) {
          if (spec.dir === 'input') u.io[name].set(io[`c${i}_${name}`]);
          else io[`c${i}_${name}`].set(u.io[name]);
        }
      });
    },
  });
  return { def, owners };
}

export async function runFuzzBatch(seeds: readonly number[], cycles: number, stimulusSeed: number, options: (seed: number) => RandomCircuitOptions = fuzzCircuitOptions): Promise<FuzzBatchResult> {
  const { def, owners } = fuzzBatch(seeds, options);
  const design: IrDesign = elaborate(def, {});
  const top = design.modules.find((m) => m.name === design.top)!;
  const inputs = top.ports.filter((p) => p.dir === 'input' && !p.role);
  const outputs = top.ports.filter((p) => p.dir === 'output');
  const rng = rngFromSeed(stimulusSeed);
  const stimulus: Record<string, bigint[]> = {};
  for (const p of inputs) stimulus[p.name] = Array.from({ length: cycles }, () => interestingBits(rng, p.width));
  const t0 = performance.now();
  // -fno-expand: Verilator 5.006's V3Expand drops the 1-bit mask of a register whose next value it
  // folds to a constant (`if (rst) r <= 0; else r <= |(~{97'd0, a});` becomes `r = ~rst`, 0xfe).
  const vsim = await VerilatorSim.build(design, { extraArgs: ['-fno-expand'] });
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
