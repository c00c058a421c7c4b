import { haveVerilator, missingTool } from '../support/missing-tool.ts';
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hdl-gen/index.ts';
import { decodeWord } from '../../hdl-gen/units/puzzlemoe/golden/format.ts';
import { cornerWords, decodeBistVectors } from '../../fpga/bist/decode-bist-vectors.ts';
import { PuzzleMoeDecodeBist, watchdogCycles, type DecodeBistParams } from '../../fpga/bist/puzzlemoe-decode-bist.ts';
import { boardTopFor } from '../../fpga/board-tops.ts';
import { runSelfTest } from '../../fpga/flows/self-test.ts';
import { IrSimulator } from '../../verif/sim/ir-simulator.ts';
import { VerilatorSim } from '../../verif/verilator/verilator-sim.ts';

/** Runs the BIST in the IR simulator until done (or the watchdog bound); returns the status. */
function runIr(p: DecodeBistParams, reset = true): { done: bigint; pass: bigint; fail: bigint; cycles: number } {
  const sim = new IrSimulator(elaborate(PuzzleMoeDecodeBist, p));
  if (reset) sim.reset();
  let cycles = 0;
  const limit = watchdogCycles(p.vectors ?? 256) + 8;
  while (sim.peek('done') === 0n && cycles < limit) {
    sim.step();
    cycles++;
  }
  return { done: sim.peek('done'), pass: sim.peek('pass'), fail: sim.peek('fail'), cycles };
}

describe('PuzzleMoE decode BIST: ROM contents', () => {
  it('holds the corner words first, then seeded random words, with golden expected outputs', () => {
    const v = decodeBistVectors({ lanes: 2, vectors: 256, seed: 1, exponentOffset: 112 });
    const flat = v.words.flat();
    const corners = cornerWords();
    expect(corners).toHaveLength(240);
    expect(new Set(corners).size).toBe(240);
    expect(flat.slice(0, corners.length)).toEqual(corners);
    expect(flat).toHaveLength(512);
    v.words.forEach((beat, b) => beat.forEach((w, k) => expect(v.expected[b][k]).toEqual(decodeWord(w, 112))));
    // every mask combination with both lanes' outputs zero and non-zero appears
    const lanes = v.expected.flat();
    expect(lanes.some(([a, b]) => a === 0 && b === 0)).toBe(true);
    expect(lanes.some(([a, b]) => a !== 0 && b !== 0)).toBe(true);
    // deterministic per seed, different across seeds
    expect(decodeBistVectors({ lanes: 2, vectors: 256, seed: 1, exponentOffset: 112 })).toEqual(v);
    expect(decodeBistVectors({ lanes: 2, vectors: 256, seed: 2, exponentOffset: 112 }).words.flat().slice(240)).not.toEqual(flat.slice(240));
  });

  it('validates its parameters', () => {
    expect(() => elaborate(PuzzleMoeDecodeBist, { vectors: 100 })).toThrow('PuzzleMoeDecodeBist: vectors must be a power of two >= 2, got 100');
    expect(() => elaborate(PuzzleMoeDecodeBist, { vectors: 16, corruptBeat: 16 })).toThrow('PuzzleMoeDecodeBist: corruptBeat must be a beat index from 0 to 15, got 16');
  });
});

describe('PuzzleMoE decode BIST: IR simulator', () => {
  const variants: DecodeBistParams[] = [{}, { outputRegister: false }, { backpressure: false }, { lanes: 3, vectors: 64, exponentOffset: 100, seed: 7 }];
  for (const p of variants) {
    it(`passes: ${JSON.stringify(p)}`, () => {
      const r = runIr(p);
      expect(r).toMatchObject({ done: 1n, pass: 1n, fail: 0n });
      // with backpressure a beat takes more than one cycle on average; without, about one
      const beats = p.vectors ?? 256;
      if (p.backpressure === false) expect(r.cycles).toBeLessThan(beats + 8);
      else expect(r.cycles).toBeGreaterThan(beats + 8);
    });
  }
  it('reports fail (and not pass) when one expected beat is corrupted, wherever it is', () => {
    for (const corruptBeat of [0, 17, 255]) expect(runIr({ corruptBeat })).toMatchObject({ done: 1n, pass: 0n, fail: 1n });
  });
  it('runs from the all-zero power-up state without a reset pulse', () => {
    expect(runIr({}, false)).toMatchObject({ done: 1n, pass: 1n, fail: 0n });
  });
});


describe.skipIf(missingTool(haveVerilator))('PuzzleMoE decode BIST: Verilator (before synthesis)', () => {
  const top = boardTopFor('puzzlemoe-decode-bist')!;
  async function verilate(p: DecodeBistParams, reset: boolean) {
    const sim = await VerilatorSim.build(elaborate(PuzzleMoeDecodeBist, p));
    try {
      return await runSelfTest(sim, top, p as Record<string, unknown>, reset ? 'rst' : null);
    } finally {
      await sim.close();
    }
  }
  it('the default board configuration reports pass, with and without a reset pulse', async () => {
    expect(await verilate({}, true)).toMatchObject({ done: true, pass: true, fail: false });
    expect(await verilate({}, false)).toMatchObject({ done: true, pass: true, fail: false });
  }, 120_000);
  it('a corrupted ROM reports fail', async () => {
    expect(await verilate({ corruptBeat: 200 }, true)).toMatchObject({ done: true, pass: false, fail: true });
  }, 120_000);
});
