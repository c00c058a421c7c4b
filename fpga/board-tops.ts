import type { BoardRole } from './boards.ts';
import { watchdogCycles, decodeBistParams, type DecodeBistParams } from './bist/puzzlemoe-decode-bist.ts';

/**
 * Generators whose designs are complete board tops: each port has a board role (so any board can
 * constrain it), and a self-test protocol (done/pass/fail outputs, a cycle bound) that Verilator
 * runs before synthesis and on the synthesized netlist.
 */
export interface BoardTop {
  readonly generator: string;
  readonly ports: Readonly<Record<string, BoardRole>>;
  readonly selfTest: {
    readonly done: string;
    readonly pass: string;
    readonly fail: string;
    /** Cycles after reset by which `done` must rise. */
    readonly maxCycles: (params: Record<string, unknown>) => number;
  };
}

export const BOARD_TOPS: readonly BoardTop[] = [
  {
    generator: 'puzzlemoe-decode-bist',
    ports: { clk: 'clock', rst: 'reset', done: 'led_done', pass: 'led_pass', fail: 'led_fail' },
    selfTest: { done: 'done', pass: 'pass', fail: 'fail', maxCycles: (p) => watchdogCycles(decodeBistParams(p as DecodeBistParams).vectors) + 8 },
  },
];

export function boardTopFor(generator: string): BoardTop | undefined {
  return BOARD_TOPS.find((b) => b.generator === generator);
}
