import type { VerilatorSim } from '../../verif/verilator/verilator-sim.ts';
import type { BoardTop } from '../board-tops.ts';

export interface SelfTestResult {
  readonly done: boolean;
  readonly pass: boolean;
  readonly fail: boolean;
  /** Cycles after reset until `done` rose (or the bound, if it never did). */
  readonly cycles: number;
}

/**
 * Runs a board top's self-test in a simulator: `reset` held high for 2 cycles (when given; null
 * runs from the power-up state), then clocked until `done` rises or `maxCycles` pass.
 */
export async function runSelfTest(sim: VerilatorSim, top: BoardTop, params: Record<string, unknown>, reset: string | null): Promise<SelfTestResult> {
  const t = top.selfTest;
  if (reset) {
    sim.poke(reset, 1);
    sim.step(2);
    sim.poke(reset, 0);
  }
  const max = t.maxCycles(params);
  let cycles = 0;
  while (cycles < max && (await sim.peek(t.done)) !== 1n) {
    sim.step(1);
    cycles++;
  }
  const [done, pass, fail] = await sim.run([
    { op: 'peek', port: t.done },
    { op: 'peek', port: t.pass },
    { op: 'peek', port: t.fail },
  ]);
  return { done: done === 1n, pass: pass === 1n, fail: fail === 1n, cycles };
}
