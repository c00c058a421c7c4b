import { haveVerilator, missingTool } from '../../../../support/missing-tool.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elaborate } from '../../../../../hdl-gen/index.ts';
import { runSpeculative, type SpecCycleParams, type SpecRoundInput } from '../../../../../hdl-gen/units/speq/golden/controller.ts';
import { SpecController, type SpecControllerParams } from '../../../../../hdl-gen/units/speq/rtl/spec-controller.ts';
import { seededRandom, type SeededRandom } from '../../../../../verif/random.ts';
import { IrSimulator } from '../../../../../verif/sim/ir-simulator.ts';
import {
  SpecControllerHost,
  SpecControllerTrace,
  irDriver,
  randomRound,
  runEventDriven,
  runOnIrSim,
  runOnVerilator,
  scheduledInputs,
  type ControllerDriver,
  type ObservedRun,
  type SpecControllerRun,
  type SpecControllerShape,
} from '../../../../../verif/speq/spec-controller-host.ts';
import { checkAgainstGolden } from '../../../../../verif/verilator/check.ts';
import { VerilatorSim } from '../../../../../verif/verilator/verilator-sim.ts';

const SHAPE: SpecControllerShape = { gammaMax: 8, tokenWidth: 16 };

function irSim(p: SpecControllerParams = SHAPE): IrSimulator {
  const sim = new IrSimulator(elaborate(SpecController, p));
  sim.reset();
  return sim;
}

/** Runs on the IR simulator with a per-cycle check against the golden trace. */
function runIr(sim: IrSimulator, run: SpecControllerRun, rng: SeededRandom, shape: SpecControllerShape = SHAPE, early = 0.3): { observed: ObservedRun; golden: ReturnType<typeof runSpeculative> } {
  const golden = runSpeculative(run.gamma, run.rounds, run.timing, run.maxTokens === undefined ? {} : { maxTokens: run.maxTokens });
  const host = new SpecControllerHost(shape, run, rng, { trace: new SpecControllerTrace(run, golden, shape), early, startNoise: 0.2 });
  return { observed: runOnIrSim(sim, host), golden };
}

/** The golden result in the shape the host observes. */
function goldenView(g: ReturnType<typeof runSpeculative>) {
  return {
    rounds: g.rounds.map((r) => ({ startCycle: r.startCycle, draftStepStartCycles: r.draftStepStartCycles, verifyStartCycle: r.verifyStartCycle, endCycle: r.endCycle, matched: r.matched, accepted: r.accepted })),
    tokens: g.tokens,
    totalCycles: g.totalCycles,
    acceptedTokens: g.tokens.length,
    roundCount: g.rounds.length,
    stallCycles: g.stallCycles,
  };
}

function expectMatchesGolden(o: ObservedRun, g: ReturnType<typeof runSpeculative>, what: string): void {
  expect(o.mismatches, `${what}: per-cycle trace`).toEqual([]);
  expect({ rounds: o.rounds, tokens: o.tokens, totalCycles: o.totalCycles, acceptedTokens: o.acceptedTokens, roundCount: o.roundCount, stallCycles: o.stallCycles }, what).toEqual(goldenView(g));
  expect(o.counterOverflow, what).toBe(false);
}

/** A random run: random timing, acceptance rate, token delays and sometimes a token limit. */
function randomRun(rng: SeededRandom, gammaMax: number, tokenWidth: number): SpecControllerRun {
  const gamma = rng.range(1, gammaMax);
  const timing: SpecCycleParams = { draftCyclesPerStep: rng.range(1, 5), verifyCyclesPerPass: rng.range(1, 12), switchCycles: rng.range(0, 3) };
  const alpha = rng.pick([0, 0.3, 0.6, 0.8, 0.95, 1]);
  const delayed = rng.chance(0.5);
  const rounds: SpecRoundInput[] = Array.from({ length: rng.range(1, 8) }, () => {
    const r = randomRound(rng, gamma, alpha, tokenWidth);
    if (!delayed) return r;
    const d = () => (rng.chance(0.3) ? rng.range(1, 4) : 0);
    return { ...r, draftDelays: Array.from({ length: gamma }, d), verifyDelay: d() };
  });
  const maxTokens = rng.chance(0.3) ? rng.range(1, rounds.length * (gamma + 1)) : undefined;
  return { gamma, timing, rounds, maxTokens };
}

const T: SpecCycleParams = { draftCyclesPerStep: 10, verifyCyclesPerPass: 100, switchCycles: 3 };

describe('SpeqSpecController: generator', () => {
  it('names modules by parameters and validates them', () => {
    expect(elaborate(SpecController, { gammaMax: 4, tokenWidth: 8 }).top).toBe('SpeqSpecController_g4_tok8_t16_c32');
    expect(elaborate(SpecController, { gammaMax: 8, tokenWidth: 16, timingWidth: 12, counterWidth: 24 }).top).toBe('SpeqSpecController_g8_tok16_t12_c24');
    expect(() => elaborate(SpecController, { gammaMax: 0, tokenWidth: 8 })).toThrow('SpeqSpecController: gammaMax must be an integer from 1 to 32, got 0');
    expect(() => elaborate(SpecController, { gammaMax: 4, tokenWidth: 33 })).toThrow('SpeqSpecController: tokenWidth must be an integer from 1 to 32, got 33');
    expect(() => elaborate(SpecController, { gammaMax: 4, tokenWidth: 8, timingWidth: 0 })).toThrow('SpeqSpecController: timingWidth must be an integer from 1 to 32, got 0');
    expect(() => elaborate(SpecController, { gammaMax: 4, tokenWidth: 8, counterWidth: 7 })).toThrow('SpeqSpecController: counterWidth must be an integer from 8 to 64, got 7');
  });
});

describe('SpeqSpecController: cycle-exact against runSpeculative (IR simulator)', () => {
  it('the golden model example: prefix 2, all 4 + bonus, none', () => {
    const rounds: SpecRoundInput[] = [
      { draft: [5, 6, 7, 8], verify: [5, 6, 9, 8, 1] },
      { draft: [1, 2, 3, 4], verify: [1, 2, 3, 4, 5] },
      { draft: [7, 7, 7, 7], verify: [8, 7, 7, 7, 7] },
    ];
    const { observed, golden } = runIr(irSim(), { gamma: 4, timing: T, rounds }, seededRandom('speq controller example'));
    expectMatchesGolden(observed, golden, 'example');
    expect(observed.tokens).toEqual([5, 6, 9, 1, 2, 3, 4, 5, 8]);
    expect(observed.rounds.map((r) => [r.startCycle, r.verifyStartCycle, r.endCycle])).toEqual([
      [0, 43, 143],
      [146, 189, 289],
      [292, 335, 435],
    ]);
    expect(observed.totalCycles).toBe(3 * (4 * 10 + 100) + 5 * 3);
  });

  it('edge cases: all accepted, none accepted, gamma 1, gamma = gammaMax, Ts = 0, Td = Tv = 1, token limits', () => {
    const rng = seededRandom('speq controller edge cases');
    const sim = irSim(); // one simulator: runs follow each other without a reset
    const rounds = (gamma: number, alpha: number, n: number) => Array.from({ length: n }, () => randomRound(rng, gamma, alpha, SHAPE.tokenWidth));
    const cases: [string, SpecControllerRun][] = [
      ['all accepted', { gamma: 4, timing: T, rounds: rounds(4, 1, 5) }],
      ['none accepted', { gamma: 4, timing: T, rounds: rounds(4, 0, 5) }],
      ['gamma 1', { gamma: 1, timing: { draftCyclesPerStep: 3, verifyCyclesPerPass: 7, switchCycles: 2 }, rounds: rounds(1, 0.5, 8) }],
      ['gamma = gammaMax, all accepted', { gamma: 8, timing: { draftCyclesPerStep: 2, verifyCyclesPerPass: 9, switchCycles: 1 }, rounds: rounds(8, 1, 3) }],
      ['Ts = 0', { gamma: 3, timing: { draftCyclesPerStep: 2, verifyCyclesPerPass: 5, switchCycles: 0 }, rounds: rounds(3, 0.7, 6) }],
      ['Td = Tv = 1, Ts = 0', { gamma: 2, timing: { draftCyclesPerStep: 1, verifyCyclesPerPass: 1, switchCycles: 0 }, rounds: rounds(2, 0.5, 6) }],
      ['one round', { gamma: 5, timing: T, rounds: rounds(5, 0.8, 1) }],
      ['maxTokens mid-round', { gamma: 4, timing: T, rounds: rounds(4, 1, 4), maxTokens: 7 }],
      ['maxTokens at a round boundary', { gamma: 4, timing: T, rounds: rounds(4, 1, 4), maxTokens: 10 }],
      ['maxTokens 1', { gamma: 3, timing: T, rounds: rounds(3, 1, 4), maxTokens: 1 }],
      ['late tokens, Ts = 0', { gamma: 3, timing: { draftCyclesPerStep: 1, verifyCyclesPerPass: 2, switchCycles: 0 }, rounds: rounds(3, 0.6, 4).map((r) => ({ ...r, draftDelays: [2, 0, 1], verifyDelay: 3 })) }],
    ];
    for (const [what, run] of cases) {
      const { observed, golden } = runIr(sim, run, rng);
      expectMatchesGolden(observed, golden, what);
    }
  });

  it('random acceptance patterns, timings, token delays and limits (300 runs)', () => {
    const rng = seededRandom('speq controller random');
    const sim = irSim();
    for (let t = 0; t < 300; t++) {
      const run = randomRun(rng, SHAPE.gammaMax, SHAPE.tokenWidth);
      const { observed, golden } = runIr(sim, run, rng);
      expectMatchesGolden(observed, golden, `run ${t}: ${JSON.stringify({ gamma: run.gamma, timing: run.timing, rounds: run.rounds.length, maxTokens: run.maxTokens })}`);
    }
  });

  it('1-bit tokens and a 1-step build', () => {
    const rng = seededRandom('speq controller small builds');
    for (const shape of [
      { gammaMax: 3, tokenWidth: 1 },
      { gammaMax: 1, tokenWidth: 4 },
    ]) {
      const sim = irSim(shape);
      for (let t = 0; t < 30; t++) {
        const run = randomRun(rng, shape.gammaMax, shape.tokenWidth);
        const { observed, golden } = runIr(sim, run, rng, shape);
        expectMatchesGolden(observed, golden, `${JSON.stringify(shape)} run ${t}`);
      }
    }
  });

  it('the per-cycle check fails on a controller that differs from the golden timing', () => {
    // The RTL runs Ts = 3; the trace is built from a golden run with Ts = 2: the check must object.
    const rng = seededRandom('speq controller negative');
    const run: SpecControllerRun = { gamma: 2, timing: T, rounds: [randomRound(rng, 2, 0.5, 16), randomRound(rng, 2, 0.5, 16)] };
    const wrong = runSpeculative(2, run.rounds, { ...T, switchCycles: 2 });
    const host = new SpecControllerHost(SHAPE, run, rng, { trace: new SpecControllerTrace({ ...run, timing: { ...T, switchCycles: 2 } }, wrong, SHAPE) });
    const o = runOnIrSim(irSim(), host);
    expect(o.mismatches.length).toBeGreaterThan(0);
    expect(o.mismatches[0]).toMatch(/^cycle 22: .*mode_switching = 1, golden 0/);
  });

  it('refuses a start with gamma 0, gamma > gammaMax, Td = 0 or Tv = 0 (cfg_error, stays idle)', () => {
    const sim = irSim({ gammaMax: 4, tokenWidth: 8 });
    const good = { cfg_gamma: 2, cfg_draft_cycles: 1, cfg_verify_cycles: 1, cfg_switch_cycles: 0, cfg_max_tokens: 0, cfg_max_rounds: 1 };
    for (const bad of [{ cfg_gamma: 0 }, { cfg_gamma: 5 }, { cfg_gamma: 7 }, { cfg_draft_cycles: 0 }, { cfg_verify_cycles: 0 }]) {
      for (const [k, v] of Object.entries({ ...good, ...bad })) sim.poke(k, v);
      sim.poke('start', 1);
      sim.step();
      sim.poke('start', 0);
      expect([sim.peek('cfg_error'), sim.peek('start_ready'), sim.peek('busy'), sim.peek('done')], JSON.stringify(bad)).toEqual([1n, 1n, 0n, 0n]);
      sim.step(3);
      expect(sim.peek('busy')).toBe(0n);
    }
    // a valid start clears the error and runs
    for (const [k, v] of Object.entries(good)) sim.poke(k, v);
    sim.poke('start', 1);
    sim.step();
    sim.poke('start', 0);
    expect([sim.peek('cfg_error'), sim.peek('busy')]).toEqual([0n, 1n]);
  });

  it('counters saturate and raise counter_overflow (8-bit counters)', () => {
    const shape = { gammaMax: 2, tokenWidth: 4 };
    const sim = irSim({ ...shape, counterWidth: 8 });
    const rng = seededRandom('speq controller saturation');
    const run: SpecControllerRun = { gamma: 2, timing: { draftCyclesPerStep: 40, verifyCyclesPerPass: 100, switchCycles: 2 }, rounds: [randomRound(rng, 2, 1, 4), randomRound(rng, 2, 1, 4)] };
    const golden = runSpeculative(run.gamma, run.rounds, run.timing);
    expect(golden.totalCycles).toBeGreaterThan(255);
    const o = runOnIrSim(sim, new SpecControllerHost(shape, run, rng));
    expect(o.totalCycles).toBe(255);
    expect(o.counterOverflow).toBe(true);
    expect(o.tokens).toEqual(golden.tokens); // sequencing is unaffected
    expect(o.rounds.map((r) => r.endCycle)).toEqual(golden.rounds.map((r) => r.endCycle));
  });
});

describe('SpeqSpecController: fixed-schedule host used by the benchmark (IR simulator)', () => {
  it('agrees with runSpeculative (tokens, counters, no stalls)', async () => {
    const rng = seededRandom('speq controller schedule host');
    const sim = irSim();
    for (let t = 0; t < 40; t++) {
      const run = { ...randomRun(rng, SHAPE.gammaMax, SHAPE.tokenWidth), maxTokens: undefined };
      const plain = { ...run, rounds: run.rounds.map((r) => ({ draft: r.draft, verify: r.verify })) };
      const g = runSpeculative(plain.gamma, plain.rounds, plain.timing);
      const r = await runEventDriven(irDriver(sim), SHAPE, plain);
      expect({ tokens: r.tokens, totalCycles: r.totalCycles, acceptedTokens: r.acceptedTokens, roundCount: r.roundCount, stallCycles: r.stallCycles }, `run ${t}`).toEqual({
        tokens: g.tokens,
        totalCycles: g.totalCycles,
        acceptedTokens: g.tokens.length,
        roundCount: g.rounds.length,
        stallCycles: 0,
      });
    }
  });

  it('catches a controller off the schedule: later (no accept strobe) or earlier (stall cycles)', async () => {
    const rng = seededRandom('speq controller schedule host negative');
    const run: SpecControllerRun = { gamma: 3, timing: { draftCyclesPerStep: 4, verifyCyclesPerPass: 9, switchCycles: 2 }, rounds: [randomRound(rng, 3, 0.5, 16), randomRound(rng, 3, 0.5, 16)] };
    // The driver tampers with the configuration the controller receives; the host keeps its schedule.
    const tampered = (sim: IrSimulator, delta: number): ControllerDriver => {
      const d = irDriver(sim);
      return { ...d, poke: (p, v) => d.poke(p, p === 'cfg_switch_cycles' ? v + BigInt(delta) : v) };
    };
    await expect(runEventDriven(tampered(irSim(), 1), SHAPE, run)).rejects.toThrow("spec-controller: no accept strobe in the cycle after round 0's verify tokens were offered");
    const early = await runEventDriven(tampered(irSim(), -1), SHAPE, run);
    expect(early.stallCycles).toBeGreaterThan(0);
  });
});

// ---- Verilator ------------------------------------------------------------------------------------


describe.skipIf(missingTool(haveVerilator))('SpeqSpecController: printed SV, cycle-exact against runSpeculative (Verilator)', () => {
  const design = elaborate(SpecController, SHAPE);

  it('bulk clocked vectors from the golden timeline, every output every cycle (checkAgainstGolden)', async () => {
    const rng = seededRandom('speq controller verilator bulk');
    const runs: SpecControllerRun[] = [
      { gamma: 4, timing: T, rounds: Array.from({ length: 40 }, () => randomRound(rng, 4, 0.7, 16)), maxTokens: 150 },
      { gamma: 8, timing: { draftCyclesPerStep: 3, verifyCyclesPerPass: 11, switchCycles: 0 }, rounds: Array.from({ length: 60 }, () => randomRound(rng, 8, 0.85, 16)) },
      {
        gamma: 1,
        timing: { draftCyclesPerStep: 1, verifyCyclesPerPass: 1, switchCycles: 1 },
        rounds: Array.from({ length: 100 }, () => ({ ...randomRound(rng, 1, 0.5, 16), draftDelays: [rng.below(3)], verifyDelay: rng.below(3) })),
      },
    ];
    for (const [k, run] of runs.entries()) {
      const golden = runSpeculative(run.gamma, run.rounds, run.timing, run.maxTokens === undefined ? {} : { maxTokens: run.maxTokens });
      const trace = new SpecControllerTrace(run, golden, SHAPE);
      const inputs = scheduledInputs(SHAPE, trace, rng);
      const r = await checkAgainstGolden({
        name: `speq-spec-controller-${k}`,
        design,
        mode: 'clocked',
        seed: rng.seed,
        inputs,
        golden: (_in, i) => trace.at(i - 1),
        reset: 2,
        progress: false,
        log: () => {},
      });
      expect(r.report.split('\n').slice(-3).join('\n'), `run ${k}`).toMatch(/ 0 failed$/);
      expect(r.passed).toBe(golden.totalCycles + 3);
    }
  }, 120_000);

  describe('reactive host, one round trip per cycle', () => {
    let sim: VerilatorSim;
    beforeAll(async () => {
      sim = await VerilatorSim.build(design);
      sim.reset(2);
    }, 120_000);
    afterAll(async () => {
      await sim?.close();
    });
    it('random runs with late and early tokens', async () => {
      const rng = seededRandom('speq controller verilator reactive');
      for (let t = 0; t < 12; t++) {
        const run = randomRun(rng, SHAPE.gammaMax, SHAPE.tokenWidth);
        const golden = runSpeculative(run.gamma, run.rounds, run.timing, run.maxTokens === undefined ? {} : { maxTokens: run.maxTokens });
        const host = new SpecControllerHost(SHAPE, run, rng, { trace: new SpecControllerTrace(run, golden, SHAPE), early: 0.3, startNoise: 0.2 });
        expectMatchesGolden(await runOnVerilator(sim, host), golden, `run ${t}`);
      }
    }, 120_000);
  });
});
