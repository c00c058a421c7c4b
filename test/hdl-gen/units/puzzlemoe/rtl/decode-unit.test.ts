import { haveVerilator, missingTool } from '../../../../support/missing-tool.ts';
import { describe, expect, it } from 'vitest';
import { emitDesign } from '../../../../../hdl-gen/emit/sv-printer.ts';
import { elaborate } from '../../../../../hdl-gen/index.ts';
import { decodeWord } from '../../../../../hdl-gen/units/puzzlemoe/golden/format.ts';
import { PuzzleMoeDecodeUnit, type DecodeUnitParams } from '../../../../../hdl-gen/units/puzzlemoe/rtl/decode-unit.ts';
import { seededRandom, type SeededRandom } from '../../../../../verif/random.ts';
import { IrSimulator } from '../../../../../verif/sim/ir-simulator.ts';
import { VerilatorSim } from '../../../../../verif/verilator/verilator-sim.ts';
import { REFERENCE_TABLE } from '../support.ts';

const hex4 = (x: number) => `0x${x.toString(16).padStart(4, '0')}`;
const WORDS = 0x10000;

/** Packs `lanes` 16-bit words into one Vec value (element k at bits [16k+15:16k]). */
function packBeat(words: readonly number[]): bigint {
  let v = 0n;
  for (let k = words.length - 1; k >= 0; k--) v = (v << 16n) | BigInt(words[k]);
  return v;
}
function unpackBeat(v: bigint, lanes: number): number[] {
  return Array.from({ length: lanes }, (_, k) => Number((v >> BigInt(16 * k)) & 0xffffn));
}

function simFor(p: DecodeUnitParams): IrSimulator {
  return new IrSimulator(elaborate(PuzzleMoeDecodeUnit, p));
}

/** Checks every 16-bit word through the IR simulator (beats of `lanes` words; registered: one cycle later). */
function exhaustiveIr(p: DecodeUnitParams): string[] {
  const sim = simFor(p);
  const lanes = p.lanes;
  const off = p.exponentOffset ?? 112;
  const bad: string[] = [];
  if (p.outputRegister) sim.reset();
  sim.poke('in_valid', 1);
  sim.poke('out_ready', 1);
  for (let base = 0; base < WORDS; base += lanes) {
    const words = Array.from({ length: lanes }, (_, k) => (base + k) % WORDS);
    sim.poke('in_words', packBeat(words));
    if (p.outputRegister) sim.step();
    if (sim.peek('out_valid') !== 1n) bad.push(`beat at ${hex4(base)}: out_valid low`);
    const l0 = unpackBeat(sim.peek('out_lane0'), lanes);
    const l1 = unpackBeat(sim.peek('out_lane1'), lanes);
    words.forEach((w, k) => {
      const [g0, g1] = decodeWord(w, off);
      if (l0[k] !== g0 || l1[k] !== g1) bad.push(`${hex4(w)} (lane slot ${k}): rtl ${hex4(l0[k])} ${hex4(l1[k])}, golden ${hex4(g0)} ${hex4(g1)}`);
    });
  }
  return bad;
}

describe('PuzzleMoeDecode: generator', () => {
  it('names modules by parameters and validates them', () => {
    expect(elaborate(PuzzleMoeDecodeUnit, { lanes: 4 }).top).toBe('PuzzleMoeDecode_lanes4_comb_off112');
    expect(elaborate(PuzzleMoeDecodeUnit, { lanes: 2, outputRegister: true, exponentOffset: 100 }).top).toBe('PuzzleMoeDecode_lanes2_reg_off100');
    expect(() => elaborate(PuzzleMoeDecodeUnit, { lanes: 0 })).toThrow(/lanes must be a positive integer, got 0/);
    expect(() => elaborate(PuzzleMoeDecodeUnit, { lanes: 1, exponentOffset: 224 })).toThrow(/exponentOffset must be an integer from 1 to 223/);
  });

  it('forms the exponent without an adder for offset 112 (the spec hardware note), with one otherwise', () => {
    const sv = (p: DecodeUnitParams) => emitDesign(elaborate(PuzzleMoeDecodeUnit, p)).map((m) => m.text).join('\n');
    const exp112 = sv({ lanes: 1 }).split('\n').filter((l) => /assign w0_exp =/.test(l));
    expect(exp112).toHaveLength(1);
    expect(exp112[0]).toMatch(/assign w0_exp = \{\w+\[4\] \? 4'd8 : 4'd7, \w+\[3:0\]\};/);
    expect(sv({ lanes: 1 })).not.toMatch(/ \+ /);
    expect(sv({ lanes: 1, exponentOffset: 100 })).toMatch(/assign w0_exp = .* \+ 8'd100;/);
  });
});

describe('PuzzleMoeDecode: RTL vs golden, exhaustive (IR simulator)', () => {
  it('decodes the spec reference table', () => {
    const sim = simFor({ lanes: REFERENCE_TABLE.length });
    sim.poke('in_words', packBeat(REFERENCE_TABLE.map((r) => r.packed)));
    expect(unpackBeat(sim.peek('out_lane0'), REFERENCE_TABLE.length).map(hex4)).toEqual(REFERENCE_TABLE.map((r) => hex4(r.lane0)));
    expect(unpackBeat(sim.peek('out_lane1'), REFERENCE_TABLE.length).map(hex4)).toEqual(REFERENCE_TABLE.map((r) => hex4(r.lane1)));
  });
  const configs: DecodeUnitParams[] = [
    { lanes: 1 },
    { lanes: 4, outputRegister: true },
    { lanes: 3, exponentOffset: 100 },
    { lanes: 2, outputRegister: true, exponentOffset: 128 },
    { lanes: 1, exponentOffset: 223 },
  ];
  for (const p of configs) {
    it(`all 65,536 words x both positions: ${JSON.stringify(p)}`, () => {
      expect(exhaustiveIr(p).slice(0, 10)).toEqual([]);
    });
  }
});

// ---- cycle behaviour: random backpressure and throughput (IR simulator) -----------------------------

interface RunStats {
  readonly cycles: number;
  readonly accepted: number;
  readonly delivered: number;
}

/**
 * Streams `beats` random beats through the unit with a producer that asserts valid with probability
 * `pValid` (and holds valid and data until accepted, as the protocol requires) and a sink that is
 * ready with probability `pReady`. Checks every delivered beat against the golden decode of the
 * accepted beats, in order (no loss, duplication or reordering), that out_valid/data are held while
 * stalled (registered variant), and that in_ready does not depend combinationally on out_ready
 * (registered variant).
 */
function backpressureRun(p: DecodeUnitParams, rng: SeededRandom, beats: number, pValid: number, pReady: number): RunStats {
  const sim = simFor(p);
  const lanes = p.lanes;
  const inputs: number[][] = Array.from({ length: beats }, () => Array.from({ length: lanes }, () => rng.below(WORDS)));
  const expected = inputs.map((ws) => ws.map((w) => decodeWord(w)));
  if (p.outputRegister) sim.reset();
  let next = 0; // next beat to offer
  let offering = false;
  let delivered = 0;
  let cycles = 0;
  let prevStall: { lane0: bigint; lane1: bigint } | null = null;
  while (delivered < beats) {
    if (cycles > 50 * beats + 100) throw new Error(`no progress: ${delivered}/${beats} beats after ${cycles} cycles (${JSON.stringify(p)})`);
    if (!offering && next < beats && rng.chance(pValid)) offering = true;
    const ready = rng.chance(pReady) ? 1 : 0;
    sim.poke('in_valid', offering ? 1 : 0);
    sim.poke('in_words', offering ? packBeat(inputs[next]) : packBeat(Array.from({ length: lanes }, () => rng.below(WORDS))));
    if (p.outputRegister) {
      // in_ready is a register output: flipping out_ready must not change it within the cycle
      sim.poke('out_ready', 1 - ready);
      const r0 = sim.peek('in_ready');
      sim.poke('out_ready', ready);
      expect(sim.peek('in_ready')).toBe(r0);
    } else {
      sim.poke('out_ready', ready);
    }
    const outValid = sim.peek('out_valid') === 1n;
    const lane0 = sim.peek('out_lane0');
    const lane1 = sim.peek('out_lane1');
    if (p.outputRegister && prevStall) {
      expect(outValid, 'out_valid dropped while stalled').toBe(true);
      expect([lane0, lane1], 'output changed while stalled').toEqual([prevStall.lane0, prevStall.lane1]);
    }
    if (outValid && ready) {
      if (delivered >= next + (offering && sim.peek('in_ready') === 1n ? 1 : 0)) throw new Error(`beat delivered before it was accepted (cycle ${cycles})`);
      const l0 = unpackBeat(lane0, lanes);
      const l1 = unpackBeat(lane1, lanes);
      const want = expected[delivered];
      for (let k = 0; k < lanes; k++) {
        if (l0[k] !== want[k][0] || l1[k] !== want[k][1]) {
          throw new Error(`beat ${delivered} slot ${k} (word ${hex4(inputs[delivered][k])}): got ${hex4(l0[k])} ${hex4(l1[k])}, want ${hex4(want[k][0])} ${hex4(want[k][1])} (cycle ${cycles})`);
        }
      }
      delivered++;
    }
    prevStall = outValid && !ready ? { lane0, lane1 } : null;
    if (offering && sim.peek('in_ready') === 1n) {
      next++;
      offering = false;
    }
    sim.step();
    cycles++;
  }
  // nothing more comes out: no duplicates
  sim.poke('in_valid', 0);
  sim.poke('out_ready', 1);
  for (let c = 0; c < 4; c++) {
    expect(sim.peek('out_valid'), 'extra beat after the stream').toBe(0n);
    sim.step();
  }
  return { cycles, accepted: next, delivered };
}

describe('PuzzleMoeDecode: streaming (IR simulator)', () => {
  for (const outputRegister of [false, true]) {
    const p: DecodeUnitParams = { lanes: 2, outputRegister };
    it(`random backpressure: no loss, duplication or reordering (${outputRegister ? 'registered' : 'combinational'})`, () => {
      const rng = seededRandom(`puzzlemoe decode backpressure ${outputRegister}`);
      for (const [pValid, pReady] of [
        [0.5, 0.5],
        [0.9, 0.3],
        [0.3, 0.9],
        [1, 0.5],
        [0.5, 1],
        [1, 1],
      ]) {
        const s = backpressureRun(p, rng, 400, pValid, pReady);
        expect(s.delivered).toBe(400);
      }
    });

    it(`full throughput with an always-ready sink: one beat per cycle, latency ${outputRegister ? 1 : 0} (${outputRegister ? 'registered' : 'combinational'})`, () => {
      const sim = simFor({ lanes: 3, outputRegister });
      const rng = seededRandom('puzzlemoe decode throughput');
      if (outputRegister) sim.reset();
      sim.poke('in_valid', 1);
      sim.poke('out_ready', 1);
      const n = 1000;
      const beats = Array.from({ length: n }, () => [rng.below(WORDS), rng.below(WORDS), rng.below(WORDS)]);
      const lat = outputRegister ? 1 : 0;
      let got = 0;
      for (let c = 0; c < n + lat; c++) {
        sim.poke('in_valid', c < n ? 1 : 0);
        if (c < n) {
          sim.poke('in_words', packBeat(beats[c]));
          expect(sim.peek('in_ready'), `in_ready at cycle ${c}`).toBe(1n);
        }
        if (c >= lat) {
          expect(sim.peek('out_valid'), `out_valid at cycle ${c}`).toBe(1n);
          const want = beats[c - lat].map((w) => decodeWord(w));
          expect(unpackBeat(sim.peek('out_lane0'), 3)).toEqual(want.map((x) => x[0]));
          expect(unpackBeat(sim.peek('out_lane1'), 3)).toEqual(want.map((x) => x[1]));
          got++;
        } else {
          expect(sim.peek('out_valid')).toBe(0n);
        }
        sim.step();
      }
      expect(got).toBe(n); // n beats in n + latency cycles: no bubbles
    });
  }
});

// ---- exhaustive check on the printed SystemVerilog (Verilator) --------------------------------------


describe.skipIf(missingTool(haveVerilator))('PuzzleMoeDecode: printed SV vs golden, exhaustive (Verilator)', () => {
  it('combinational, 4 lanes: all 65,536 words x both positions (bulk comb vectors)', async () => {
    const lanes = 4;
    const sim = await VerilatorSim.build(elaborate(PuzzleMoeDecodeUnit, { lanes }));
    try {
      const vec: bigint[] = [];
      for (let base = 0; base < WORDS; base += lanes) vec.push(packBeat([base, base + 1, base + 2, base + 3]));
      const out = await sim.runVectors({ in_words: vec, in_valid: vec.map(() => 1), out_ready: vec.map((_, i) => i % 2) }, 'comb');
      const bad: string[] = [];
      for (let i = 0; i < vec.length; i++) {
        if (out.out_valid[i] !== 1n || out.in_ready[i] !== BigInt(i % 2)) bad.push(`vector ${i}: handshake`);
        const l0 = unpackBeat(out.out_lane0[i], lanes);
        const l1 = unpackBeat(out.out_lane1[i], lanes);
        for (let k = 0; k < lanes; k++) {
          const w = i * lanes + k;
          const [g0, g1] = decodeWord(w);
          if (l0[k] !== g0 || l1[k] !== g1) bad.push(`${hex4(w)}: sv ${hex4(l0[k])} ${hex4(l1[k])}, golden ${hex4(g0)} ${hex4(g1)}`);
        }
      }
      expect(bad.slice(0, 10)).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it('registered, 8 lanes, exponent offset 112: all words, one beat per cycle (bulk clocked vectors)', async () => {
    const lanes = 8;
    const sim = await VerilatorSim.build(elaborate(PuzzleMoeDecodeUnit, { lanes, outputRegister: true }));
    try {
      const vec: bigint[] = [];
      for (let base = 0; base < WORDS; base += lanes) vec.push(packBeat(Array.from({ length: lanes }, (_, k) => base + k)));
      vec.push(0n); // one more cycle to see the last beat
      const ones = vec.map(() => 1);
      const out = await sim.runVectors({ in_words: vec, in_valid: ones, out_ready: ones }, 'clocked', { reset: 2 });
      const bad: string[] = [];
      // clocked: output[i] = f(state before edge i), so beat i appears at output i + 1
      if (out.out_valid[0] !== 0n) bad.push('out_valid before the first beat');
      for (let i = 0; i + 1 < vec.length; i++) {
        if (out.out_valid[i + 1] !== 1n || out.in_ready[i] !== 1n) bad.push(`beat ${i}: bubble`);
        const l0 = unpackBeat(out.out_lane0[i + 1], lanes);
        const l1 = unpackBeat(out.out_lane1[i + 1], lanes);
        for (let k = 0; k < lanes; k++) {
          const w = i * lanes + k;
          const [g0, g1] = decodeWord(w);
          if (l0[k] !== g0 || l1[k] !== g1) bad.push(`${hex4(w)}: sv ${hex4(l0[k])} ${hex4(l1[k])}, golden ${hex4(g0)} ${hex4(g1)}`);
        }
      }
      expect(bad.slice(0, 10)).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
