import { missingTool } from '../../../../support/missing-tool.ts';
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../../../../hdl-gen/index.ts';
import { gemmTile } from '../../../../../hdl-gen/units/speq/golden/arith.ts';
import { ARRAY_OUTPUTS, type ArrayShape, type ArrayTile, resultsFromTrace, runArray, tileSteps } from '../../../../../hdl-gen/units/speq/rtl/array-host.ts';
import { SpeqPeArray } from '../../../../../hdl-gen/units/speq/rtl/pe-array.ts';
import { seededRandom, type SeededRandom } from '../../../../../verif/random.ts';
import { IrSimulator } from '../../../../../verif/sim/ir-simulator.ts';
import { VerilatorSim } from '../../../../../verif/verilator/verilator-sim.ts';
import { haveVerilator, hex, randomTile } from './speq-rtl-support.ts';

/** Every tile's drained results equal golden gemmTile (first 8 mismatches listed). */
function mismatches(tiles: readonly ArrayTile[], results: readonly number[][][], shape: ArrayShape): string[] {
  const bad: string[] = [];
  if (results.length !== tiles.length) bad.push(`${results.length} tiles drained, ${tiles.length} sent`);
  tiles.forEach((t, i) => {
    const want = gemmTile(t.mode, t.x, t.w, t.cfg, t.init).y;
    for (let r = 0; r < shape.rows; r++) {
      for (let c = 0; c < shape.cols; c++) {
        const got = results[i]?.[r]?.[c];
        if (got !== want[r][c] && bad.length < 8) {
          bad.push(`tile ${i} (${t.mode}, K ${t.x[0].length}, k ${t.cfg.k}, fallback ${t.cfg.fallback}, init ${hex(t.init, 8)}) Y[${r}][${c}]: rtl ${got === undefined ? '-' : hex(got, 8)}, golden ${hex(want[r][c], 8)}`);
        }
      }
    }
  });
  return bad;
}

const randomTiles = (rng: SeededRandom, shape: ArrayShape, n: number, maxK: number) => Array.from({ length: n }, () => randomTile(rng, shape.rows, shape.cols, maxK));

/** Random stream rates: some runs at full rate, others with idle sources and a stalling sink. */
const STALL_RATES = [
  { cmd: 1, act: 1, wgt: 1, res: 1 },
  { cmd: 0.5, act: 0.7, wgt: 0.6, res: 0.5 },
  { cmd: 1, act: 0.9, wgt: 1, res: 0.2 },
  { cmd: 0.3, act: 1, wgt: 0.4, res: 1 },
];

describe('SpeqPeArray vs golden gemmTile (IR simulator)', () => {
  for (const shape of [
    { rows: 2, cols: 3, kBits: 6 },
    { rows: 1, cols: 2, kBits: 3 },
    { rows: 3, cols: 1, kBits: 5 },
  ]) {
    it(`${shape.rows}x${shape.cols}: random tiles in both modes (mode switches, fallback tensors, corner data and inits), with stalls`, () => {
      const rng = seededRandom(`speq array ir ${shape.rows}x${shape.cols}`);
      const maxK = Math.min(2 ** shape.kBits, 23);
      for (const rates of STALL_RATES) {
        const tiles = randomTiles(rng, shape, 12, maxK);
        const sim = new IrSimulator(elaborate(SpeqPeArray, shape));
        sim.reset(2);
        const run = runArray(sim, shape, tiles, { rates, coin: rng, junk: () => rng.next32() });
        expect(mismatches(tiles, run.results, shape)).toEqual([]);
        // draft tiles take ceil(K/4) steps (4 MACs per PE per cycle), verify tiles K steps
        expect(run.stepCycles).toBe(tiles.reduce((s, t) => s + tileSteps(t), 0));
      }
    });
  }

  it('K = 2^kBits (the longest tile) and K = 1 in both modes', () => {
    const shape = { rows: 2, cols: 2, kBits: 3 };
    const rng = seededRandom('speq array K limits');
    const tiles: ArrayTile[] = [];
    for (const mode of ['draft', 'verify', 'draft'] as const) for (const K of [8, 1]) tiles.push(randomTile(rng, 2, 2, [K, K], mode));
    const sim = new IrSimulator(elaborate(SpeqPeArray, shape));
    sim.reset(1);
    const run = runArray(sim, shape, tiles, { coin: rng });
    expect(mismatches(tiles, run.results, shape)).toEqual([]);
  });

  it('full rate: back-to-back tiles with mode switches and no bubble; fill 1 cycle, drain R + 1 cycles', () => {
    const shape = { rows: 4, cols: 2, kBits: 8 };
    const rng = seededRandom('speq array full rate');
    // K >= 4R so that even a draft tile (K/4 steps) outlasts the previous tile's R-cycle drain
    const tiles = Array.from({ length: 10 }, (_, i) => randomTile(rng, shape.rows, shape.cols, [4 * shape.rows, 40], i % 3 === 1 ? 'verify' : 'draft'));
    const sim = new IrSimulator(elaborate(SpeqPeArray, shape));
    sim.reset(1);
    const run = runArray(sim, shape, tiles);
    expect(mismatches(tiles, run.results, shape)).toEqual([]);
    const steps = tiles.reduce((s, t) => s + tileSteps(t), 0);
    expect(run.stepCycles).toBe(steps);
    expect(run.firstStep).toBe(1); // the command is accepted in cycle 0
    expect(run.lastStep - run.firstStep + 1).toBe(steps); // every cycle in between is a step
    expect(run.lastResult - run.lastStep).toBe(shape.rows + 1); // copy into the result bank, then one row per cycle
  });

  it('rejects bad parameters with a clear message', () => {
    expect(() => elaborate(SpeqPeArray, { rows: 0, cols: 4 })).toThrow('SpeqPeArray: rows must be an integer from 1 to 64, got 0');
    expect(() => elaborate(SpeqPeArray, { rows: 4, cols: 65 })).toThrow('SpeqPeArray: cols must be an integer from 1 to 64, got 65');
    expect(() => elaborate(SpeqPeArray, { rows: 4, cols: 4, kBits: 2 })).toThrow('SpeqPeArray: kBits must be an integer from 3 to 32, got 2');
    expect(elaborate(SpeqPeArray, { rows: 4, cols: 4 }).top).toBe('SpeqPeArray_r4_c4_k16');
  });
});

describe.skipIf(missingTool(haveVerilator))('SpeqPeArray 4x4: printed SV vs golden (Verilator)', () => {
  it('random tiles with stalls and mode switches: outputs identical to the IR simulator, results equal gemmTile', async () => {
    const shape = { rows: 4, cols: 4, kBits: 6 };
    const rng = seededRandom('speq array verilator 4x4');
    const design = elaborate(SpeqPeArray, shape);
    const tiles = [...randomTiles(rng, shape, 30, 40)];
    const ir = new IrSimulator(design);
    ir.reset(2);
    const stalls = { cmd: 0.6, act: 0.8, wgt: 0.8, res: 0.6 };
    const run = runArray(ir, shape, tiles, { rates: stalls, coin: rng, junk: () => rng.next32() });
    expect(mismatches(tiles, run.results, shape)).toEqual([]);
    const sim = await VerilatorSim.build(design);
    try {
      const out = await sim.runVectors(run.trace, 'clocked', { reset: 2 });
      const diffs: string[] = [];
      for (const p of ARRAY_OUTPUTS) {
        for (let i = 0; i < run.cycles && diffs.length < 8; i++) {
          if (p === 'res_data' && run.outputs.res_valid[i] !== 1n) continue; // the result bank is not reset
          if (out[p][i] !== run.outputs[p][i]) diffs.push(`cycle ${i} ${p}: sv ${out[p][i].toString(16)}, ir ${run.outputs[p][i].toString(16)}`);
        }
      }
      expect(diffs).toEqual([]);
      expect(mismatches(tiles, resultsFromTrace(out, run.trace.res_ready, shape), shape)).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
