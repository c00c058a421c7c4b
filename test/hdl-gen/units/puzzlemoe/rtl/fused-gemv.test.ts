import { haveVerilator, missingTool } from '../../../../support/missing-tool.ts';
import { describe, expect, it } from 'vitest';
import { emitDesign } from '../../../../../hdl-gen/emit/sv-printer.ts';
import { elaborate, packVec, unpackVec } from '../../../../../hdl-gen/index.ts';
import { fusedGemv } from '../../../../../hdl-gen/units/puzzlemoe/golden/fused-gemv.ts';
import { PuzzleMoeFusedGemv, type FusedGemvParams } from '../../../../../hdl-gen/units/puzzlemoe/rtl/fused-gemv.ts';
import { seededRandom, type SeededRandom } from '../../../../../verif/random.ts';
import { IrSimulator } from '../../../../../verif/sim/ir-simulator.ts';
import { VerilatorSim } from '../../../../../verif/verilator/verilator-sim.ts';
import { hex, randomActivation, randomFiniteActivation, randomPackedWord } from '../fused-support.ts';

const h8 = (x: number) => hex(x, 8);

// ---- stimulus: tiles of `rows` rows, one column beat per cycle --------------------------------------

interface Beat {
  readonly words: number[];
  readonly xi: number;
  readonly xj: number;
  readonly last: boolean;
}
interface Stream {
  readonly beats: Beat[];
  /** Golden results per tile, in order: y_i and y_j per row. */
  readonly results: { yi: number[]; yj: number[] }[];
}

/**
 * `tiles` random dot-product tiles of random length (1..maxCols columns) with random packed words
 * (the invalid mask pair 00 included) and BF16 activations: in a third of the tiles any encoding
 * (Inf, NaN, subnormals, zeros), elsewhere finite ones (subnormals and zeros included).
 */
function randomStream(rng: SeededRandom, rows: number, tiles: number, maxCols: number, exponentOffset?: number): Stream {
  const beats: Beat[] = [];
  const results: Stream['results'] = [];
  for (let t = 0; t < tiles; t++) {
    const cols = rng.range(1, maxCols);
    const specials = rng.chance(1 / 3);
    const act = () => (specials ? randomActivation(rng) : randomFiniteActivation(rng));
    const words = Array.from({ length: rows * cols }, () => randomPackedWord(rng));
    const xi = Array.from({ length: cols }, act);
    const xj = Array.from({ length: cols }, act);
    const g = fusedGemv({ rows, cols, words, xi, xj, exponentOffset });
    results.push({ yi: [...g.yi], yj: [...g.yj] });
    for (let k = 0; k < cols; k++) {
      beats.push({ words: Array.from({ length: rows }, (_, r) => words[r * cols + k]), xi: xi[k], xj: xj[k], last: k === cols - 1 });
    }
  }
  return { beats, results };
}

// ---- one testbench for both simulators ---------------------------------------------------------

/** The per-cycle view of a simulator the testbench needs. */
interface Dut {
  poke(port: string, value: bigint | number): void;
  peek(ports: readonly string[]): Promise<bigint[]>;
  step(): void;
  reset(): void;
  /** Whether in_ready can be probed for a combinational dependence on out_ready (cheap on the IR simulator). */
  readonly probeReady: boolean;
}

function irDut(sim: IrSimulator): Dut {
  return {
    poke: (p, v) => sim.poke(p, v),
    peek: async (ps) => ps.map((p) => sim.peek(p)),
    step: () => sim.step(),
    reset: () => sim.reset(),
    probeReady: true,
  };
}

function verilatorDut(sim: VerilatorSim): Dut {
  return {
    poke: (p, v) => sim.poke(p, v),
    peek: (ps) => Promise.all(ps.map((p) => sim.peek(p))),
    step: () => sim.step(),
    reset: () => sim.reset(),
    probeReady: false,
  };
}

interface RunStats {
  readonly cycles: number;
  readonly beats: number;
  readonly results: number;
  /** Cycles in which a beat was offered but in_ready was low (the result buffer was full). */
  readonly inputStalls: number;
}

/**
 * Streams `s` through the unit with a producer that offers a beat with probability `pValid` (holding
 * valid and data until accepted, and driving junk data, junk `in_last` included, while idle) and a
 * sink ready with probability `pReady`. Checks every result beat, in order, bit for bit against the
 * golden; that the output holds while stalled; that in_ready never depends combinationally on
 * out_ready; that (without the operand register) in_ready drops only before a tile's first beat;
 * and that nothing more comes out afterwards.
 */
async function runStream(dut: Dut, p: FusedGemvParams, s: Stream, rng: SeededRandom, pValid: number, pReady: number): Promise<RunStats> {
  const rows = p.rows;
  const stallsOnlyAtTileStart = !p.operandRegister;
  dut.reset();
  let next = 0;
  let offering = false;
  let delivered = 0;
  let cycles = 0;
  let stalled: bigint[] | null = null;
  let inputStalls = 0;
  const total = s.beats.length;
  while (delivered < s.results.length) {
    if (cycles > 50 * total + 200) throw new Error(`no progress: ${delivered}/${s.results.length} results, ${next}/${total} beats after ${cycles} cycles`);
    if (!offering && next < total && rng.chance(pValid)) offering = true;
    const b: Beat = offering
      ? s.beats[next]
      : { words: Array.from({ length: rows }, () => rng.below(0x10000)), xi: rng.below(0x10000), xj: rng.below(0x10000), last: rng.chance(0.5) };
    const ready = rng.chance(pReady) ? 1 : 0;
    dut.poke('in_valid', offering ? 1 : 0);
    dut.poke('in_words', packVec(b.words, 16));
    dut.poke('in_x_i', b.xi);
    dut.poke('in_x_j', b.xj);
    dut.poke('in_last', b.last ? 1 : 0);
    if (dut.probeReady) {
      dut.poke('out_ready', 1 - ready);
      const [r0] = await dut.peek(['in_ready']);
      dut.poke('out_ready', ready);
      const [r1] = await dut.peek(['in_ready']);
      if (r0 !== r1) throw new Error(`in_ready follows out_ready combinationally (cycle ${cycles})`);
    } else {
      dut.poke('out_ready', ready);
    }
    const [inReady, outValid, yiBits, yjBits] = await dut.peek(['in_ready', 'out_valid', 'out_y_i', 'out_y_j']);
    if (stalled) {
      if (outValid !== 1n) throw new Error(`out_valid dropped while stalled (cycle ${cycles})`);
      if (yiBits !== stalled[0] || yjBits !== stalled[1]) throw new Error(`result changed while stalled (cycle ${cycles})`);
    }
    if (outValid === 1n && ready) {
      if (delivered >= s.results.length) throw new Error(`extra result at cycle ${cycles}`);
      const want = s.results[delivered];
      const got = { yi: unpackVec(yiBits, rows, 32), yj: unpackVec(yjBits, rows, 32) };
      if (got.yi.join() !== want.yi.join() || got.yj.join() !== want.yj.join()) {
        throw new Error(`tile ${delivered} (cycle ${cycles}): y_i ${got.yi.map(h8)} y_j ${got.yj.map(h8)}, golden y_i ${want.yi.map(h8)} y_j ${want.yj.map(h8)}`);
      }
      delivered++;
    }
    stalled = outValid === 1n && !ready ? [yiBits, yjBits] : null;
    if (offering && inReady === 1n) {
      next++;
      offering = false;
    } else if (offering) {
      // Without the operand register, in_ready falls only when a result is queued, i.e. after a tile's
      // last beat: a started tile never stalls. (The operand register may hold the next beats.)
      const tileStart = next === 0 || s.beats[next - 1].last;
      if (stallsOnlyAtTileStart && !tileStart) throw new Error(`in_ready low in the middle of a tile (beat ${next}, cycle ${cycles})`);
      inputStalls++;
    }
    dut.step();
    cycles++;
  }
  if (next !== total) throw new Error(`all results out but only ${next}/${total} beats taken`);
  dut.poke('in_valid', 0);
  dut.poke('out_ready', 1);
  for (let c = 0; c < 4; c++) {
    const [v] = await dut.peek(['out_valid']);
    if (v !== 0n) throw new Error('extra result after the stream');
    dut.step();
  }
  return { cycles, beats: total, results: delivered, inputStalls };
}

/**
 * [pValid, pReady, longest tile]: the last two make the sink slower than the results arrive, so the
 * result buffer fills and in_ready drops while a beat is offered (each run asserts that it did).
 */
const HANDSHAKES: [number, number, number][] = [
  [1, 1, 12],
  [0.5, 0.5, 12],
  [0.9, 0.3, 12],
  [0.3, 0.9, 12],
  [1, 0.2, 2],
  [0.8, 0.15, 4],
];
const stallsExpected = (pReady: number) => pReady < 0.25;

// ---- generator --------------------------------------------------------------------------------

describe('PuzzleMoeFusedGemv: generator', () => {
  it('names modules by parameters and validates them', () => {
    expect(elaborate(PuzzleMoeFusedGemv, { rows: 4 }).top).toBe('PuzzleMoeFusedGemv_rows4_direct_off112');
    expect(elaborate(PuzzleMoeFusedGemv, { rows: 2, operandRegister: true, exponentOffset: 100 }).top).toBe('PuzzleMoeFusedGemv_rows2_opreg_off100');
    expect(() => elaborate(PuzzleMoeFusedGemv, { rows: 0 })).toThrow('PuzzleMoeFusedGemv: rows must be a positive integer, got 0');
    expect(() => elaborate(PuzzleMoeFusedGemv, { rows: 1, exponentOffset: 0 })).toThrow(
      'PuzzleMoeFusedGemv: exponentOffset must be an integer from 1 to 223 (E = e5 + offset must be a normal bf16 exponent), got 0',
    );
  });

  it('reads each word once: one decoder and 2 * rows bf16 MACs, no pipelined MAC inside the accumulation loop', () => {
    const text = emitDesign(elaborate(PuzzleMoeFusedGemv, { rows: 3 }))
      .map((m) => m.text)
      .join('\n');
    expect(text.match(/^\s*PuzzleMoeDecode_lanes3_comb_off112 decode \(/gm)).toHaveLength(1);
    expect(text.match(/^\s*FpMac_bf16_f32 mac_[ij]_\d \(/gm)).toHaveLength(6);
  });
});

// ---- IR simulator ---------------------------------------------------------------------------------

describe('PuzzleMoeFusedGemv: RTL vs golden (IR simulator)', () => {
  const configs: FusedGemvParams[] = [{ rows: 1 }, { rows: 3 }, { rows: 2, operandRegister: true }, { rows: 2, exponentOffset: 100 }];
  for (const p of configs) {
    it(`random tiles with input gaps and output backpressure: ${JSON.stringify(p)}`, async () => {
      const sim = new IrSimulator(elaborate(PuzzleMoeFusedGemv, p));
      const rng = seededRandom(`puzzlemoe fused gemv ir ${JSON.stringify(p)}`);
      for (const [pValid, pReady, maxCols] of HANDSHAKES) {
        const r = await runStream(irDut(sim), p, randomStream(rng, p.rows, 40, maxCols, p.exponentOffset), rng, pValid, pReady);
        expect(r.results).toBe(40);
        if (stallsExpected(pReady)) expect(r.inputStalls, 'the result buffer never filled').toBeGreaterThan(0);
      }
    });
  }

  for (const operandRegister of [false, true]) {
    it(`one column beat per cycle, no bubbles, with an always-ready sink (${operandRegister ? 'operand register' : 'direct'})`, async () => {
      const rows = 2;
      const sim = new IrSimulator(elaborate(PuzzleMoeFusedGemv, { rows, operandRegister }));
      const rng = seededRandom('puzzlemoe fused gemv throughput');
      // tiles of length 1 included: a result every cycle must not stall the stream either
      const s = randomStream(rng, rows, 60, 4);
      const latency = operandRegister ? 2 : 1;
      sim.reset();
      sim.poke('out_ready', 1);
      let got = 0;
      const lastBeats = new Set(s.beats.flatMap((b, i) => (b.last ? [i] : [])));
      for (let c = 0; c < s.beats.length + latency; c++) {
        const b = s.beats[c];
        sim.poke('in_valid', b ? 1 : 0);
        if (b) {
          sim.poke('in_words', packVec(b.words, 16));
          sim.poke('in_x_i', b.xi);
          sim.poke('in_x_j', b.xj);
          sim.poke('in_last', b.last ? 1 : 0);
          expect(sim.peek('in_ready'), `in_ready at cycle ${c}`).toBe(1n);
        }
        const expectOut = lastBeats.has(c - latency);
        expect(sim.peek('out_valid'), `out_valid at cycle ${c}`).toBe(expectOut ? 1n : 0n);
        if (expectOut) {
          const want = s.results[got++];
          expect(unpackVec(sim.peek('out_y_i'), rows, 32).map(h8)).toEqual(want.yi.map(h8));
          expect(unpackVec(sim.peek('out_y_j'), rows, 32).map(h8)).toEqual(want.yj.map(h8));
        }
        sim.step();
      }
      expect(got).toBe(60);
    });
  }
});

// ---- Verilator ----------------------------------------------------------------------------------


describe.skipIf(missingTool(haveVerilator))('PuzzleMoeFusedGemv: printed SV vs golden (Verilator)', () => {
  const configs: FusedGemvParams[] = [{ rows: 3 }, { rows: 2, operandRegister: true }];
  for (const p of configs) {
    it(`random tiles with input gaps and output backpressure: ${JSON.stringify(p)}`, { timeout: 240_000 }, async () => {
      const sim = await VerilatorSim.build(elaborate(PuzzleMoeFusedGemv, p));
      try {
        const rng = seededRandom(`puzzlemoe fused gemv verilator ${JSON.stringify(p)}`);
        for (const [pValid, pReady, maxCols] of HANDSHAKES) {
          const r = await runStream(verilatorDut(sim), p, randomStream(rng, p.rows, 60, maxCols), rng, pValid, pReady);
          expect(r.results).toBe(60);
          if (stallsExpected(pReady)) expect(r.inputStalls, 'the result buffer never filled').toBeGreaterThan(0);
        }
      } finally {
        await sim.close();
      }
    });
  }
});
