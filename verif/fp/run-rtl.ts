import { elaborate } from '../../hdl-gen/index.ts';
import type { IrDesign } from '../../hdl-gen/ir/ir.ts';
import { IrSimulator } from '../sim/ir-simulator.ts';
import { VerilatorSim, type SimOptions } from '../verilator/verilator-sim.ts';
import { RTL_FP_OPS, type RtlFpOp, type RtlFpOpName } from './rtl-ops.ts';

/**
 * Drives the generated RTL of one FP operation with operand columns and returns the result of
 * every vector, through the IR simulator or a Verilator model. Pipelined variants (stages > 0) are
 * clocked: reset, one vector per cycle with in_valid = 1, `stages` flush cycles; the result of
 * vector i is y at cycle i + stages, where out_valid must be 1 (a RtlRunError otherwise).
 */
export interface FpRtlRunner {
  readonly op: RtlFpOp;
  readonly stages: number;
  readonly top: string;
  /** columns[k][i] = operand k of vector i; returns y of every vector. */
  run(columns: readonly (readonly number[])[]): Promise<number[]>;
  /**
   * Raw clocked run (stages > 0): vectors applied one per cycle with the given in_valid bits;
   * returns y and out_valid of every cycle (no reset inside, no flush: append cycles yourself).
   */
  cycles(columns: readonly (readonly number[])[], valid: readonly number[]): Promise<{ y: number[]; outValid: number[] }>;
  close(): Promise<void>;
}

export class RtlRunError extends Error {}

export function elaborateOp(op: RtlFpOpName, stages = 0): IrDesign {
  const o = RTL_FP_OPS[op];
  return elaborate(o.def, o.params(stages) as never);
}

function checkColumns(o: RtlFpOp, columns: readonly (readonly number[])[]): number {
  if (columns.length !== o.inputs.length) throw new Error(`${o.name}: ${columns.length} operand columns for ${o.inputs.length} inputs`);
  const n = columns[0].length;
  for (const c of columns) if (c.length !== n) throw new Error(`${o.name}: operand columns of different lengths`);
  return n;
}

/** Pads columns with `extra` zero vectors (pipeline flush). */
function flushPadded(columns: readonly (readonly number[])[], extra: number): number[][] {
  return columns.map((c) => [...c, ...new Array<number>(extra).fill(0)]);
}

function alignPipelined(o: RtlFpOp, stages: number, n: number, y: number[], outValid: number[]): number[] {
  for (let i = 0; i < n + stages; i++) {
    const want = i >= stages ? 1 : 0;
    if (outValid[i] !== want) throw new RtlRunError(`${o.name} (${stages} stages): out_valid is ${outValid[i]} at cycle ${i}, expected ${want}`);
  }
  return y.slice(stages, stages + n);
}

/** A runner on the IR simulator (no build step; fast for small and medium runs). */
export function irRunner(op: RtlFpOpName, stages = 0): FpRtlRunner {
  const o = RTL_FP_OPS[op];
  const design = elaborateOp(op, stages);
  const sim = new IrSimulator(design);
  const cycles = async (columns: readonly (readonly number[])[], valid: readonly number[]) => {
    const n = checkColumns(o, columns);
    const y = new Array<number>(n);
    const outValid = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < o.inputs.length; k++) sim.poke(o.inputs[k], columns[k][i]);
      sim.poke('in_valid', valid[i]);
      y[i] = sim.peekNumber('y');
      outValid[i] = sim.peekNumber('out_valid');
      sim.step();
    }
    return { y, outValid };
  };
  return {
    op: o,
    stages,
    top: design.top,
    async run(columns) {
      const n = checkColumns(o, columns);
      if (stages === 0) {
        const y = new Array<number>(n);
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < o.inputs.length; k++) sim.poke(o.inputs[k], columns[k][i]);
          y[i] = sim.peekNumber('y');
        }
        return y;
      }
      sim.reset(2);
      const valid = [...new Array<number>(n).fill(1), ...new Array<number>(stages).fill(0)];
      const r = await cycles(flushPadded(columns, stages), valid);
      return alignPipelined(o, stages, n, r.y, r.outValid);
    },
    cycles,
    async close() {},
  };
}

/** A runner on a Verilator model (built once, cached by content; bulk vector streaming). */
export async function verilatorRunner(op: RtlFpOpName, stages = 0, opts: SimOptions = {}): Promise<FpRtlRunner> {
  const o = RTL_FP_OPS[op];
  const design = elaborateOp(op, stages);
  const sim = await VerilatorSim.build(design, opts);
  const inputsOf = (columns: readonly (readonly number[])[]) => Object.fromEntries(o.inputs.map((p, k) => [p, columns[k]]));
  const cycles = async (columns: readonly (readonly number[])[], valid: readonly number[]) => {
    checkColumns(o, columns);
    const out = await sim.runVectors({ ...inputsOf(columns), in_valid: valid }, 'clocked');
    return { y: out.y.map(Number), outValid: out.out_valid.map(Number) };
  };
  return {
    op: o,
    stages,
    top: design.top,
    async run(columns) {
      const n = checkColumns(o, columns);
      if (n === 0) return [];
      if (stages === 0) return (await sim.runVectors(inputsOf(columns), 'comb')).y.map(Number);
      const valid = [...new Array<number>(n).fill(1), ...new Array<number>(stages).fill(0)];
      const out = await sim.runVectors({ ...inputsOf(flushPadded(columns, stages)), in_valid: valid }, 'clocked', { reset: 2 });
      return alignPipelined(o, stages, n, out.y.map(Number), out.out_valid.map(Number));
    },
    cycles,
    close: () => sim.close(),
  };
}
