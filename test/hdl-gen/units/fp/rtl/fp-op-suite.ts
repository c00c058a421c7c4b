import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RTL_FP_OPS, type RtlFpOpName } from '../../../../../verif/fp/rtl-ops.ts';
import { irRunner, verilatorRunner, type FpRtlRunner } from '../../../../../verif/fp/run-rtl.ts';
import {
  cornerColumns,
  expectRtlMatches,
  goldenSet,
  hex,
  loadTestfloat,
  randomColumns,
  rng,
  testfloatFiles,
  type VectorSet,
} from './fp-rtl-test-support.ts';

export interface ExplicitCase {
  readonly operands: readonly number[];
  readonly result: number;
  readonly what: string;
}

export interface FpOpSuiteOptions {
  /** Hand-checked cases: the RTL must give exactly `result`. */
  readonly explicit: readonly ExplicitCase[];
  /** Random vectors against the golden model (same vectors through both simulators). */
  readonly random: number;
  /** Whether ../shared/vectors/testfloat has files for this op (then every file must pass). */
  readonly testfloat: boolean;
  /** Extra golden-checked vector sets (e.g. exhaustive sweeps). */
  readonly extra?: () => { label: string; columns: number[][] }[];
  /** Stage count of the pipelined variant also run through Verilator (0: none). */
  readonly verilatorStages?: number;
}

/**
 * The standard verification of one FP operation's RTL, bit-exact in every case:
 * 1. IR simulator: every TestFloat file, explicit cases, all corner-class combinations, seeded
 *    random vectors against the golden model, and each pipelined variant (1..max stages) on a
 *    sample, with gaps in in_valid;
 * 2. Verilator (one build per design for the whole file): the same vector sets, plus one
 *    pipelined variant.
 */
export function fpOpSuite(op: RtlFpOpName, opts: FpOpSuiteOptions): void {
  const o = RTL_FP_OPS[op];
  const sets: VectorSet[] = [];
  const sample: { columns: number[][]; expected: number[] } = { columns: [], expected: [] };

  beforeAll(async () => {
    if (opts.testfloat) for (const f of testfloatFiles(op)) sets.push(await loadTestfloat(op, f));
    sets.push({
      label: 'explicit cases',
      columns: o.inputs.map((_, k) => opts.explicit.map((c) => c.operands[k])),
      expected: opts.explicit.map((c) => c.result),
      where: (i) => `explicit '${opts.explicit[i].what}'`,
    });
    sets.push(goldenSet(op, 'corner classes', cornerColumns(op)));
    sets.push(goldenSet(op, `random (${opts.random})`, randomColumns(op, opts.random, rng(`${op} random`))));
    for (const x of opts.extra?.() ?? []) sets.push(goldenSet(op, x.label, x.columns));
    const s = goldenSet(op, 'pipeline sample', randomColumns(op, 1500, rng(`${op} pipeline sample`)));
    sample.columns = s.columns;
    sample.expected = s.expected;
  });

  it('has explicit cases that agree with the golden model', () => {
    const g = goldenSet(op, 'explicit', o.inputs.map((_, k) => opts.explicit.map((c) => c.operands[k])));
    expect(g.expected.map((v) => hex(v, o.resultWidth))).toEqual(opts.explicit.map((c) => hex(c.result, o.resultWidth)));
  });

  describe('IR simulator', () => {
    const runner = irRunner(op, 0);
    it(`${runner.top}: TestFloat files, explicit, corner and random vectors are bit-exact`, async () => {
      for (const set of sets) await expectRtlMatches(runner, set);
    });
    for (let stages = 1; stages <= o.maxStages; stages++) {
      it(`${stages} pipeline stage${stages > 1 ? 's' : ''}: results ${stages} cycle${stages > 1 ? 's' : ''} later, valid follows in_valid`, async () => {
        const piped = irRunner(op, stages);
        await expectPipelined(piped, sample);
      });
    }
  });

  describe('Verilator', () => {
    let runner: FpRtlRunner | null = null;
    let piped: FpRtlRunner | null = null;
    beforeAll(async () => {
      [runner, piped] = await Promise.all([verilatorRunner(op, 0), opts.verilatorStages ? verilatorRunner(op, opts.verilatorStages) : null]);
    });
    afterAll(async () => {
      await runner?.close();
      await piped?.close();
    });
    it('the combinational unit is bit-exact on every vector set', async () => {
      for (const set of sets) await expectRtlMatches(runner!, set);
    });
    if (opts.verilatorStages) {
      it(`the ${opts.verilatorStages}-stage pipeline is bit-exact, with gaps in in_valid`, async () => {
        for (const set of sets.slice(0, 2)) await expectRtlMatches(piped!, set);
        await expectPipelined(piped!, sample);
      });
    }
  });
}

/** Full-rate run, then a run with random bubbles: out_valid is in_valid delayed, y follows valid inputs. */
async function expectPipelined(runner: FpRtlRunner, sample: { columns: number[][]; expected: number[] }): Promise<void> {
  const o = runner.op;
  const s = runner.stages;
  await expectRtlMatches(runner, { label: `${runner.top} full rate`, columns: sample.columns, expected: sample.expected, where: (i) => `sample #${i}` });
  const r = rng(`${runner.top} bubbles`);
  const n = sample.expected.length;
  const valid = Array.from({ length: n + s }, (_, i) => (i < n && r.chance(0.6) ? 1 : 0));
  const columns = sample.columns.map((c) => [...c, ...new Array<number>(s).fill(0)]);
  const out = await runner.cycles(columns, valid);
  const badValid: number[] = [];
  const bad: string[] = [];
  for (let i = 0; i < n; i++) {
    if (out.outValid[i + s] !== valid[i]) badValid.push(i + s);
    if (valid[i] && out.y[i + s] !== sample.expected[i]) {
      bad.push(`${o.name} ${sample.columns.map((c, k) => hex(c[i], o.operandWidths[k])).join(' ')}: expected ${hex(sample.expected[i], o.resultWidth)}, got ${hex(out.y[i + s], o.resultWidth)}`);
    }
  }
  expect({ badValid: badValid.slice(0, 8), bad: bad.slice(0, 8) }).toEqual({ badValid: [], bad: [] });
}
