import { missingTool } from '../../../../support/missing-tool.ts';
import { describe, expect, it } from 'vitest';
import { elaborate, packVec, unpackVec } from '../../../../../hdl-gen/index.ts';
import { mac_f16_f32 } from '../../../../../hdl-gen/units/fp/golden/mac.ts';
import { draftMac, draftMacStep } from '../../../../../hdl-gen/units/speq/golden/arith.ts';
import { DRAFT_FORMATS, type DraftTable, type DraftValue, draftValueToFp16 } from '../../../../../hdl-gen/units/speq/golden/draft-format.ts';
import { draftPlane, toNibblePlanes } from '../../../../../hdl-gen/units/speq/golden/layout.ts';
import { feederWeight } from '../../../../../hdl-gen/units/speq/golden/scale.ts';
import { SpeqDraftAdd } from '../../../../../hdl-gen/units/speq/rtl/draft-add.ts';
import { SpeqActivationFeeder, SpeqWeightFeeder } from '../../../../../hdl-gen/units/speq/rtl/feeders.ts';
import { SpeqPe, SpeqPlainPe, type SpeqPeDatapath } from '../../../../../hdl-gen/units/speq/rtl/pe.ts';
import { seededRandom, type SeededRandom } from '../../../../../verif/random.ts';
import { IrSimulator } from '../../../../../verif/sim/ir-simulator.ts';
import { VerilatorSim } from '../../../../../verif/verilator/verilator-sim.ts';
import { anyF16, haveVerilator, hex, randomF16, randomF32, randomTable } from './speq-rtl-support.ts';

/** The 7-bit bus encoding of a decoded draft weight ({ zero, sign, exp[4:0] }). */
const draftBits = (d: DraftValue): number => (d.zero ? 64 : 0) | (d.sign << 5) | (d.exp & 31);

// ---- SpeqDraftAdd: one multiplier-less draft MAC ----------------------------------------------------

interface DraftAddVector {
  acc: number;
  a: number;
  d: DraftValue;
}

function randomDraftAdd(rng: SeededRandom): DraftAddVector {
  const zero = rng.chance(0.1);
  return { acc: randomF32(rng), a: rng.chance(0.5) ? anyF16(rng) : randomF16(rng), d: { zero, sign: rng.below(2), exp: zero ? 0 : rng.range(-16, 15) } };
}

describe('SpeqDraftAdd vs golden draftMac', () => {
  it('random corner-biased operands, every 5-bit exponent (IR simulator)', () => {
    const rng = seededRandom('speq draft-add ir');
    const sim = new IrSimulator(elaborate(SpeqDraftAdd, {}));
    const bad: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const v = randomDraftAdd(rng);
      sim.poke('acc', v.acc);
      sim.poke('a', v.a);
      sim.poke('d', draftBits(v.d));
      const got = Number(sim.peek('y'));
      const want = draftMac(v.acc, v.a, v.d).bits;
      if (got !== want && bad.length < 8) bad.push(`acc ${hex(v.acc, 8)} a ${hex(v.a, 4)} d ${JSON.stringify(v.d)}: rtl ${hex(got, 8)}, golden ${hex(want, 8)}`);
    }
    expect(bad).toEqual([]);
  });

  it.skipIf(missingTool(haveVerilator))('300,000 random corner-biased operands (Verilator, bulk comb vectors)', async () => {
    const rng = seededRandom('speq draft-add verilator');
    const vs = Array.from({ length: 300_000 }, () => randomDraftAdd(rng));
    const sim = await VerilatorSim.build(elaborate(SpeqDraftAdd, {}));
    try {
      const out = await sim.runVectors({ acc: vs.map((v) => v.acc), a: vs.map((v) => v.a), d: vs.map((v) => draftBits(v.d)) }, 'comb');
      const bad: string[] = [];
      vs.forEach((v, i) => {
        const want = draftMac(v.acc, v.a, v.d).bits;
        if (Number(out.y[i]) !== want && bad.length < 8) bad.push(`acc ${hex(v.acc, 8)} a ${hex(v.a, 4)} d ${JSON.stringify(v.d)}: sv ${hex(Number(out.y[i]), 8)}, golden ${hex(want, 8)}`);
      });
      expect(bad).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});

// ---- the PEs: cycle sequences against the golden arithmetic ----------------------------------------

interface PeCycle {
  en: number;
  clear: number;
  draft: number;
  init: number;
  a: number[];
  w: number;
  d: number[];
  /** Golden draft inputs of this cycle (draft mode). */
  codes: number[];
  table: DraftTable;
}

/**
 * Random PE input cycles: steps in both modes with mode switches at random, clears that load a
 * corner-case init (zeros, subnormals, Inf, NaN), idle cycles. In draft mode the bus carries what
 * the weight feeder produces: w = FP16 encoding of draft weight 0, d[j] the decoded draft weights.
 */
function randomPeCycles(rng: SeededRandom, n: number): PeCycle[] {
  const cycles: PeCycle[] = [];
  let table = randomTable(rng);
  let draft = 0;
  for (let i = 0; i < n; i++) {
    if (rng.chance(0.05)) table = randomTable(rng);
    if (rng.chance(0.1)) draft = 1 - draft;
    const a = Array.from({ length: 4 }, () => (rng.chance(0.1) ? anyF16(rng) : randomF16(rng, 0.05)));
    const codes = Array.from({ length: 4 }, () => rng.below(16));
    const dv = codes.map((c) => DRAFT_FORMATS.table.decode(c, table));
    const w = draft ? draftValueToFp16(dv[0]) : rng.chance(0.1) ? anyF16(rng) : randomF16(rng, 0.05);
    cycles.push({ en: rng.chance(0.9) ? 1 : 0, clear: rng.chance(0.08) ? 1 : 0, draft, init: randomF32(rng), a, w, d: dv.map(draftBits), codes, table });
  }
  return cycles;
}

/** The accumulator after each cycle's edge, from the golden model (verify: mac_f16_f32 of lane 0; draft: draftMacStep). */
function goldenPeAccs(cycles: readonly PeCycle[], plain: boolean): number[] {
  let acc = 0;
  return cycles.map((c) => {
    if (c.en) {
      const accIn = c.clear ? c.init : acc;
      acc = plain || !c.draft ? mac_f16_f32(c.a[0], c.w, accIn).bits : draftMacStep(accIn, c.a, c.codes, c.table).bits;
    }
    return acc;
  });
}

function pokePe(sim: { poke(p: string, v: bigint | number): void }, c: PeCycle, plain: boolean): void {
  sim.poke('en', c.en);
  sim.poke('clear', c.clear);
  sim.poke('init', c.init);
  sim.poke('w', c.w);
  if (plain) {
    sim.poke('a', c.a[0]);
    return;
  }
  sim.poke('draft', c.draft);
  sim.poke('a', packVec(c.a, 16));
  sim.poke('d', packVec(c.d, 7));
}

const describeCycle = (c: PeCycle) => `en ${c.en} clear ${c.clear} draft ${c.draft} init ${hex(c.init, 8)} a [${c.a.map((x) => hex(x, 4))}] w ${hex(c.w, 4)} codes [${c.codes}] table [${c.table.exps}]`;

const peVariants: { name: string; plain: boolean; datapath?: SpeqPeDatapath }[] = [
  { name: 'SpeqPe (shared datapath)', plain: false, datapath: 'shared' },
  { name: 'SpeqPe (separate datapaths)', plain: false, datapath: 'separate' },
  { name: 'SpeqPlainPe', plain: true },
];

const elaboratePe = (v: (typeof peVariants)[number]) => (v.plain ? elaborate(SpeqPlainPe, {}) : elaborate(SpeqPe, { datapath: v.datapath }));

describe('SpeqPe / SpeqPlainPe vs golden (verify: mac_f16_f32, draft: draftMacStep)', () => {
  for (const v of peVariants) {
    it(`${v.name}: random sequences with mode switches and corner-case inits (IR simulator)`, () => {
      const rng = seededRandom(`speq pe ir ${v.name}`);
      const cycles = randomPeCycles(rng, 4000);
      const want = goldenPeAccs(cycles, v.plain);
      const sim = new IrSimulator(elaboratePe(v));
      sim.reset(1);
      const bad: string[] = [];
      cycles.forEach((c, i) => {
        pokePe(sim, c, v.plain);
        sim.step();
        const got = Number(sim.peek('acc'));
        if (got !== want[i] && bad.length < 5) bad.push(`cycle ${i} (${describeCycle(c)}), acc before ${hex(i > 0 ? want[i - 1] : 0, 8)}: rtl ${hex(got, 8)}, golden ${hex(want[i], 8)}`);
      });
      expect(bad).toEqual([]);
    });
  }

  for (const v of peVariants.filter((x) => x.datapath !== 'separate')) {
    it.skipIf(missingTool(haveVerilator))(`${v.name}: 40,000 random cycles (Verilator, bulk clocked vectors)`, async () => {
      const rng = seededRandom(`speq pe verilator ${v.name}`);
      const cycles = randomPeCycles(rng, 40_000);
      const want = goldenPeAccs(cycles, v.plain);
      const sim = await VerilatorSim.build(elaboratePe(v));
      try {
        // clocked: output i is the register before edge i, so cycle i's result appears at i + 1
        const run = [...cycles, { ...cycles[0], en: 0 }];
        const cols: Record<string, (number | bigint)[]> = {
          en: run.map((c) => c.en),
          clear: run.map((c) => c.clear),
          init: run.map((c) => c.init),
          w: run.map((c) => c.w),
          a: run.map((c) => (v.plain ? c.a[0] : packVec(c.a, 16))),
        };
        if (!v.plain) {
          cols.draft = run.map((c) => c.draft);
          cols.d = run.map((c) => packVec(c.d, 7));
        }
        const out = await sim.runVectors(cols, 'clocked', { reset: 1 });
        const bad: string[] = [];
        cycles.forEach((c, i) => {
          const got = Number(out.acc[i + 1]);
          if (got !== want[i] && bad.length < 5) bad.push(`cycle ${i} (${describeCycle(c)}): sv ${hex(got, 8)}, golden ${hex(want[i], 8)}`);
        });
        expect(bad).toEqual([]);
      } finally {
        await sim.close();
      }
    });
  }

  it('four separate roundings: a case where one rounding of the exact sum differs', () => {
    // acc = 1 and four products 2^-24 (a = 2^-14, d = 2^-10): each 1 + 2^-24 is a tie and rounds back
    // to 1 (even), so four roundings give 1, where one rounding of the exact sum would give 1 + 2^-22.
    const table: DraftTable = { format: 'table', exps: [0, -10, 0, 0, 0, 0, 0, 0] };
    const a = [0x0400, 0x0400, 0x0400, 0x0400]; // 2^-14
    const codes = [1, 1, 1, 1];
    const golden = draftMacStep(0x3f800000, a, codes, table).bits;
    expect(hex(golden, 8)).toBe('0x3f800000');
    const sim = new IrSimulator(elaborate(SpeqPe, {}));
    const dv = codes.map((c) => DRAFT_FORMATS.table.decode(c, table));
    pokePe(sim, { en: 1, clear: 1, draft: 1, init: 0x3f800000, a, w: draftValueToFp16(dv[0]), d: dv.map(draftBits), codes, table }, false);
    sim.step();
    expect(hex(Number(sim.peek('acc')), 8)).toBe('0x3f800000');
  });

  it('names modules by datapath and rejects an unknown one', () => {
    expect(elaborate(SpeqPe, {}).top).toBe('SpeqPe_shared');
    expect(elaborate(SpeqPe, { datapath: 'separate' }).top).toBe('SpeqPe_separate');
    expect(() => elaborate(SpeqPe, { datapath: 'fused' as SpeqPeDatapath })).toThrow("SpeqPe: datapath must be one of shared, separate, got 'fused'");
  });

  it('the shared PE has one multiplier and three draft slots, the separate one a multiplier and four', () => {
    const count = (d: SpeqPeDatapath, mod: string) => elaborate(SpeqPe, { datapath: d }).modules.find((x) => x.name === `SpeqPe_${d}`)!.instances.filter((i) => i.module.startsWith(mod)).length;
    expect([count('shared', 'FpMac'), count('shared', 'SpeqDraftAdd')]).toEqual([1, 3]);
    expect([count('separate', 'FpMac'), count('separate', 'SpeqDraftAdd')]).toEqual([1, 4]);
  });
});

// ---- feeders --------------------------------------------------------------------------------------

describe('SpeqWeightFeeder / SpeqActivationFeeder vs golden (IR simulator)', () => {
  it('verify: reassembles every lane of random groups to feederWeight (k = 0, 1, fallback); draft: decodes the draft word', () => {
    const rng = seededRandom('speq weight feeder');
    const sim = new IrSimulator(elaborate(SpeqWeightFeeder, {}));
    const bad: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const stored = Array.from({ length: 4 }, () => rng.below(0x10000));
      const planes = toNibblePlanes(stored); // D_0, R_0.0, R_0.1, R_0.2
      const k = rng.below(2) as 0 | 1;
      const fallback = rng.chance(0.25);
      const table = randomTable(rng);
      const lane = rng.below(4);
      const laneValid = rng.chance(0.7) ? 0xf : [0x1, 0x3, 0x7][rng.below(3)];
      const draft = rng.chance(0.5);
      sim.poke('group', packVec([...planes], 16));
      sim.poke('lane', lane);
      sim.poke('lane_valid', laneValid);
      sim.poke('draft', draft ? 1 : 0);
      sim.poke('scale_k1', k);
      sim.poke('fallback', fallback ? 1 : 0);
      sim.poke('exps', packVec(table.exps.map((e) => e & 31), 5));
      const w = Number(sim.peek('w'));
      const d = unpackVec(sim.peek('d'), 4, 7);
      const what = `stored [${stored.map((s) => hex(s, 4))}] k ${k} fallback ${fallback} lane ${lane} valid ${laneValid} draft ${draft}`;
      if (draft) {
        const codes = [0, 1, 2, 3].map((j) => ((laneValid >> j) & 1 ? (draftPlane(planes, 4)[0] >> (4 * j)) & 0xf : 0));
        const dv = codes.map((c) => DRAFT_FORMATS.table.decode(c, table));
        const wantD = dv.map(draftBits).map((x, j) => (dv[j].zero ? x & 0x60 : x)); // exp of a zero is not specified
        const gotD = d.map((x) => (x & 64 ? x & 0x60 : x));
        if (JSON.stringify(gotD) !== JSON.stringify(wantD) && bad.length < 5) bad.push(`${what}: d ${gotD}, golden ${wantD}`);
        if (w !== draftValueToFp16(dv[0]) && bad.length < 5) bad.push(`${what}: w ${hex(w, 4)}, golden ${hex(draftValueToFp16(dv[0]), 4)}`);
      } else {
        const want = feederWeight(stored[lane], { k, fallback });
        if (w !== want && bad.length < 5) bad.push(`${what}: w ${hex(w, 4)}, golden ${hex(want, 4)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('activations: the lane in verify mode, -0 in padding lanes in draft mode', () => {
    const sim = new IrSimulator(elaborate(SpeqActivationFeeder, {}));
    const acts = [0x1111, 0x2222, 0x3333, 0x4444];
    sim.poke('acts', packVec(acts, 16));
    sim.poke('draft', 0);
    sim.poke('lane_valid', 0x3);
    for (let lane = 0; lane < 4; lane++) {
      sim.poke('lane', lane);
      expect(unpackVec(sim.peek('a'), 4, 16)[0]).toBe(acts[lane]);
    }
    sim.poke('draft', 1);
    expect(unpackVec(sim.peek('a'), 4, 16)).toEqual([0x1111, 0x2222, 0x8000, 0x8000]);
  });
});
