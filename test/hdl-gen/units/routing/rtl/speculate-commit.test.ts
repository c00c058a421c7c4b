import { haveVerilator, missingTool } from '../../../../support/missing-tool.ts';
import { describe, expect, it } from 'vitest';
import { elaborate, packVec, unpackVec } from '../../../../../hdl-gen/index.ts';
import { SpeculateCommitModel, speculateCommitParams, type SpeculateCommitInputs, type SpeculateCommitOutputs, type SpeculateCommitParams } from '../../../../../hdl-gen/units/routing/golden/speculate-commit.ts';
import { SpeculateCommit } from '../../../../../hdl-gen/units/routing/rtl/speculate-commit.ts';
import { seededRandom, type SeededRandom } from '../../../../../verif/random.ts';
import { IrSimulator } from '../../../../../verif/sim/ir-simulator.ts';
import { checkAgainstGolden } from '../../../../../verif/verilator/check.ts';

// ---- port encoding ----------------------------------------------------------------------------------

function inputPorts(p: SpeculateCommitParams, i: SpeculateCommitInputs): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const [k, v] of Object.entries(i)) {
    if (k === 'verify_tokens') out[k] = packVec(v as number[], p.tokenWidth);
    else if (k === 'verify_important') out[k] = packVec(v as boolean[], 1);
    else out[k] = typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v as number);
  }
  return out;
}

function inputsFromPorts(p: SpeculateCommitParams, x: Readonly<Record<string, bigint>>): SpeculateCommitInputs {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) {
    if (k === 'clk' || k === 'rst') continue;
    if (k === 'verify_tokens') r[k] = unpackVec(v, p.gammaMax + 1, p.tokenWidth);
    else if (k === 'verify_important') r[k] = unpackVec(v, p.gammaMax + 1, 1).map((b) => b === 1);
    else if (['start', 'draft_valid', 'verify_valid', 'fallback_ready'].includes(k)) r[k] = v === 1n;
    else r[k] = Number(v);
  }
  return r as unknown as SpeculateCommitInputs;
}

function outputPorts(p: SpeculateCommitParams, o: SpeculateCommitOutputs): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'accept_tokens') out[k] = packVec(v as number[], p.tokenWidth);
    else if (k === 'accept_important' || k === 'fallback_mask') out[k] = packVec(v as boolean[], 1);
    else out[k] = typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v as number | bigint);
  }
  return out;
}

// ---- random open-loop host -------------------------------------------------------------------------

/**
 * One cycle of host inputs, a function of (rng, i) only. Tokens come from a tiny alphabet so drafts
 * match verify tokens with a regime-dependent probability; timing is small so rounds are short.
 */
function randomInputs(p: SpeculateCommitParams, rng: SeededRandom, i: number): SpeculateCommitInputs {
  const G = p.gammaMax;
  const regime = Math.floor(i / 1500) % 4;
  const alpha = [0.95, 0.6, 0.99, 0.3][regime];
  const pImportant = [0.05, 0.2, 0, 0.1][regime];
  const limits = rng.below(3);
  const tokenMax = 2 ** p.tokenWidth - 1;
  const other = () => rng.range(1, tokenMax);
  return {
    start: rng.chance(0.1),
    // refused configurations (Td = 0) at random, and for the first 100 cycles of every 1,500 so that
    // every run has some (the assertion on refused starts must not depend on the seed)
    cfg_draft_cycles: rng.chance(0.03) || i % 1500 < 100 ? 0 : rng.range(1, 3),
    cfg_verify_cycles: rng.chance(0.03) ? 0 : rng.range(1, 8),
    cfg_switch_cycles: rng.chance(0.2) ? rng.range(G, G + 6) : rng.range(0, 3),
    cfg_init_cycles: rng.range(0, 10),
    cfg_new_fixed: rng.range(0, 20),
    cfg_load_cycles: rng.range(0, 6),
    cfg_verify_base: rng.range(0, 80),
    cfg_verify_per_pos: rng.range(0, 4),
    cfg_max_tokens: limits === 1 ? 0 : rng.range(1, 80),
    cfg_max_rounds: limits === 0 ? 0 : rng.range(1, 12),
    draft_valid: rng.chance(0.7),
    draft_token: rng.chance(0.9) ? 0 : other(),
    verify_valid: rng.chance(0.6),
    verify_tokens: Array.from({ length: G + 1 }, () => (rng.chance(alpha) ? 0 : other())),
    verify_important: Array.from({ length: G + 1 }, () => rng.chance(pImportant)),
    verify_loads: rng.range(0, 3 * (G + 1)),
    fallback_ready: rng.chance(0.5),
  };
}

const CONFIGS: [string, SpeculateCommitParams][] = [
  ['gammaMax 8, 2-bit tokens, default governor', { gammaMax: 8, tokenWidth: 2 }],
  ['gammaMax 3, 8-bit counters, narrow governor, bonus token', { gammaMax: 3, tokenWidth: 1, counterWidth: 8, timingWidth: 8, governor: { pFracBits: 8, loadsIntBits: 6, loadsFracBits: 2, pShift: 2, loadsShift: 2, pInit: 0.5, bonusToken: true } }],
  ['gammaMax 1', { gammaMax: 1, tokenWidth: 4 }],
];

function runIr(p: SpeculateCommitParams, cycles: number, label: string) {
  const rng = seededRandom(label);
  const sim = new IrSimulator(elaborate(SpeculateCommit, p));
  sim.reset();
  const model = new SpeculateCommitModel(p);
  const gammas = new Map<number, number>();
  let fallbacks = 0;
  let runs = 0;
  let errors = 0;
  for (let c = 0; c < cycles; c++) {
    const inp = randomInputs(p, rng, c);
    for (const [k, v] of Object.entries(inputPorts(p, inp))) sim.poke(k, v);
    const want = model.cycle(inp);
    const wantPorts = outputPorts(p, want);
    const got = Object.fromEntries(Object.keys(wantPorts).map((k) => [k, sim.peek(k)]));
    if (Object.keys(wantPorts).some((k) => got[k] !== wantPorts[k])) expect({ cycle: c, got }, `${label}: cycle ${c}`).toEqual({ cycle: c, got: wantPorts });
    if (want.accept_valid) gammas.set(want.round_gamma, (gammas.get(want.round_gamma) ?? 0) + 1);
    if (want.fallback_valid && inp.fallback_ready) fallbacks++;
    if (want.start_ready && inp.start) (inp.cfg_draft_cycles && inp.cfg_verify_cycles ? runs++ : errors++);
    sim.step();
  }
  return { gammas, fallbacks, runs, errors };
}

describe('MoeSpeculateCommit: generator', () => {
  it('names modules by parameters and validates them', () => {
    expect(elaborate(SpeculateCommit, CONFIGS[0][1]).top).toBe('MoeSpeculateCommit_g8_tok2_c32_p16s5_l16f8s6_t16_i58982_0');
    expect(() => elaborate(SpeculateCommit, { gammaMax: 17, tokenWidth: 2 })).toThrow('MoeSpeculateCommit: gammaMax must be an integer from 1 to 16, got 17');
    expect(() => elaborate(SpeculateCommit, { gammaMax: 4, tokenWidth: 0 })).toThrow('MoeSpeculateCommit: tokenWidth must be an integer from 1 to 32, got 0');
    expect(() => elaborate(SpeculateCommit, { gammaMax: 4, tokenWidth: 2, counterWidth: 7 })).toThrow('MoeSpeculateCommit: counterWidth must be an integer from 8 to 64, got 7');
    expect(() => elaborate(SpeculateCommit, { gammaMax: 4, tokenWidth: 2, timingWidth: 33 })).toThrow('MoeSpeculateCommit: timingWidth must be an integer from 1 to 32, got 33');
    expect(() => elaborate(SpeculateCommit, { gammaMax: 8, tokenWidth: 2, governor: { pShift: 1 } })).toThrow('MoeSpecGovernor: pShift must satisfy 2^pShift >= kMax (8) so an update cannot overshoot, got 1');
    expect(speculateCommitParams({ gammaMax: 4, tokenWidth: 3 }).governor).toEqual({ kMax: 4, timingWidth: 16 });
  });
});

describe('MoeSpeculateCommit: RTL vs golden, random host, every output every cycle (IR simulator)', () => {
  for (const [label, p] of CONFIGS) {
    it(label, () => {
      const r = runIr(p, 12000, `speculate commit ir ${label}`);
      const rounds = [...r.gammas.values()].reduce((a, n) => a + n, 0);
      expect(rounds, JSON.stringify([...r.gammas])).toBeGreaterThan(200);
      expect(r.gammas.size, JSON.stringify([...r.gammas])).toBeGreaterThanOrEqual(Math.min(3, p.gammaMax));
      expect(r.fallbacks).toBeGreaterThan(10);
      expect(r.runs).toBeGreaterThan(10);
      expect(r.errors).toBeGreaterThan(0);
    });
  }
});

/** The timeline of one run with an always-valid host, against hand-derived cycle numbers. */
describe('MoeSpeculateCommit: directed timeline (IR simulator)', () => {
  it('choose kMax+1 cycles, start, draft, verify, accept, update, fallback handshake, switch back', () => {
    const p: SpeculateCommitParams = { gammaMax: 2, tokenWidth: 4, governor: { pInit: 1 } };
    const sim = new IrSimulator(elaborate(SpeculateCommit, p));
    sim.reset();
    const model = new SpeculateCommitModel(p);
    const base: SpeculateCommitInputs = {
      start: false,
      cfg_draft_cycles: 2,
      cfg_verify_cycles: 3,
      cfg_switch_cycles: 5,
      cfg_init_cycles: 0,
      cfg_new_fixed: 0,
      cfg_load_cycles: 0,
      cfg_verify_base: 100,
      cfg_verify_per_pos: 1,
      cfg_max_tokens: 0,
      cfg_max_rounds: 2,
      draft_valid: true,
      draft_token: 7,
      verify_valid: true,
      verify_tokens: [7, 7, 9],
      verify_important: [false, true, false],
      verify_loads: 0,
      fallback_ready: false,
    };
    const events: string[] = [];
    for (let c = 0; c < 60; c++) {
      const inp = { ...base, start: c === 0, fallback_ready: c === 17 || c === 22 || c === 45 };
      for (const [k, v] of Object.entries(inputPorts(p, inp))) sim.poke(k, v);
      const want = model.cycle(inp);
      const wantPorts = outputPorts(p, want);
      const got = Object.fromEntries(Object.keys(wantPorts).map((k) => [k, sim.peek(k)]));
      expect(got, `cycle ${c}`).toEqual(wantPorts);
      if (want.draft_step_start) events.push(`${c}:draft${want.draft_step}`);
      if (want.verify_start) events.push(`${c}:verify`);
      if (want.accept_valid) events.push(`${c}:accept${want.accept_count}/g${want.round_gamma}`);
      if (want.fallback_valid && inp.fallback_ready) events.push(`${c}:fallback`);
      if (want.done && !events.some((e) => e.endsWith('done'))) events.push(`${c}:done`);
      sim.step();
    }
    // start taken in 0; choose in 1 (p = 1: gamma = kMax = 2), k_valid in 4, round starts in 5: drafts
    // at 6 and 8, the controller's own switch 10..14, verify 15..17, accept at 18 (3 tokens, position 1
    // important; fallback_ready at 17 came too early). Fallback taken at 22; choose at 23 with the
    // switch back 23..27, k_valid at 26, start at 28 = max(26 + 1, 23 + 5): drafts 29, 31, verify 38,
    // accept 41 (round limit 2), fallback again (taken at 45), then done.
    expect(events).toEqual(['6:draft0', '8:draft1', '15:verify', '18:accept3/g2', '22:fallback', '29:draft0', '31:draft1', '38:verify', '41:accept3/g2', '45:fallback', '46:done']);
    expect([model.governor.current.p, Number(sim.peek('rounds')), Number(sim.peek('fallback_passes')), Number(sim.peek('accepted_tokens'))]).toEqual([65536, 2, 2, 6]);
  });
});

// ---- Verilator -----------------------------------------------------------------------------------

describe.skipIf(missingTool(haveVerilator))('MoeSpeculateCommit: printed SV vs golden, random host (Verilator)', () => {
  for (const [label, p] of CONFIGS.slice(0, 2)) {
    it(`${label}: 30,000 cycles, every output every cycle`, async () => {
      const model = new SpeculateCommitModel(p);
      const r = await checkAgainstGolden({
        name: `speculate_commit_g${p.gammaMax}`,
        design: elaborate(SpeculateCommit, p),
        mode: 'clocked',
        seed: seededRandom(`speculate commit verilator ${label}`).seed, // prints the seed (HDL_SEED honoured)
        vectors: 30_000,
        waveOnFailure: false,
        log: () => {},
        stimulus: (rng, i) => inputPorts(p, randomInputs(p, rng, i)),
        golden: (inp) => outputPorts(p, model.cycle(inputsFromPorts(p, inp))),
      });
      expect(r.ok, r.report).toBe(true);
      expect(r.passed).toBe(30_000);
    }, 240_000);
  }
});
