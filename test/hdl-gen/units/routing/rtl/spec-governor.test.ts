import { haveVerilator, missingTool } from '../../../../support/missing-tool.ts';
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../../../../hdl-gen/index.ts';
import {
  SpecGovernorModel,
  chooseSpeculationDepth,
  governorWidths,
  specGovernorParams,
  type GovernorTiming,
  type SpecGovernorInputs,
  type SpecGovernorOutputs,
  type SpecGovernorParams,
} from '../../../../../hdl-gen/units/routing/golden/spec-governor.ts';
import { SpecGovernor } from '../../../../../hdl-gen/units/routing/rtl/spec-governor.ts';
import { seededRandom, type SeededRandom } from '../../../../../verif/random.ts';
import { IrSimulator } from '../../../../../verif/sim/ir-simulator.ts';
import { checkAgainstGolden } from '../../../../../verif/verilator/check.ts';

// ---- port encoding ----------------------------------------------------------------------------------

const b = (x: boolean): bigint => (x ? 1n : 0n);

function inputPorts(i: SpecGovernorInputs): Record<string, bigint> {
  return Object.fromEntries(Object.entries(i).map(([k, v]) => [k, typeof v === 'boolean' ? b(v) : BigInt(v)]));
}

function outputPorts(o: SpecGovernorOutputs): Record<string, bigint> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'boolean' ? b(v) : BigInt(v)]));
}

function inputsFromPorts(x: Readonly<Record<string, bigint>>): SpecGovernorInputs {
  const n = (k: string) => Number(x[k]);
  return {
    set_valid: x.set_valid === 1n,
    set_p: n('set_p'),
    set_loads: n('set_loads'),
    upd_valid: x.upd_valid === 1n,
    upd_k: n('upd_k'),
    upd_accepted: n('upd_accepted'),
    upd_loads: n('upd_loads'),
    choose_valid: x.choose_valid === 1n,
    cfg_draft_cycles: n('cfg_draft_cycles'),
    cfg_init_cycles: n('cfg_init_cycles'),
    cfg_new_fixed: n('cfg_new_fixed'),
    cfg_load_cycles: n('cfg_load_cycles'),
    cfg_verify_base: n('cfg_verify_base'),
    cfg_verify_per_pos: n('cfg_verify_per_pos'),
  };
}

// ---- random stimulus -----------------------------------------------------------------------------

/**
 * One cycle of random commands. The regime (true acceptance rate, timing scale) changes every 400
 * cycles and depends only on the cycle index, so the stream is a function of (seed, i) as
 * checkAgainstGolden requires. Valid is raised without regard to ready (commands not taken are
 * dropped by the host); cfg inputs change every cycle, so sampling at the request is checked.
 */
function randomInputs(params: SpecGovernorParams, rng: SeededRandom, i: number): SpecGovernorInputs {
  const p = specGovernorParams(params);
  const w = governorWidths(p);
  const regime = Math.floor(i / 400) % 6;
  const pTrue = [0.95, 0.5, 0.8, 0.99, 0.1, 0.7][regime];
  const maxT = 2 ** p.timingWidth - 1;
  const zeros = rng.chance(0.2); // sparse timing: Theta ties (e.g. T(k) proportional to k, or 0)
  const cyc = (hi: number) => (zeros && rng.chance(0.7) ? 0 : rng.chance(0.02) ? maxT : rng.range(0, Math.min(hi, maxT)));
  const scale = [1, 10, 100, 1, 1000, 30][regime];
  const kMask = 2 ** w.k - 1;
  const k = rng.chance(0.05) ? rng.range(0, kMask) : rng.range(0, p.kMax);
  let accepted = 0;
  while (accepted < k && rng.chance(pTrue)) accepted++;
  if (rng.chance(0.05)) accepted = rng.range(0, kMask);
  const loadsMax = 2 ** p.loadsIntBits - 1;
  return {
    set_valid: rng.chance(0.02),
    set_p: rng.chance(0.3) ? rng.range(0, 2 ** (p.pFracBits + 1) - 1) : rng.chance(0.5) ? rng.pick([0, 2 ** p.pFracBits]) : Math.floor(pTrue * 2 ** p.pFracBits),
    set_loads: rng.range(0, Math.min(2 ** (p.loadsIntBits + p.loadsFracBits) - 1, 2 ** 31)),
    upd_valid: rng.chance(0.25),
    upd_k: k,
    upd_accepted: accepted,
    upd_loads: rng.chance(0.03) ? loadsMax : rng.range(0, Math.min(loadsMax, 3 * (k + 1))),
    choose_valid: rng.chance(0.3),
    cfg_draft_cycles: cyc(20 * scale),
    cfg_init_cycles: cyc(100 * scale),
    cfg_new_fixed: cyc(50 * scale),
    cfg_load_cycles: cyc(40 * scale),
    cfg_verify_base: cyc(1000 * scale),
    cfg_verify_per_pos: cyc(10 * scale),
  };
}

const CONFIGS: [string, SpecGovernorParams][] = [
  ['kMax 16, Q0.16, defaults', { kMax: 16 }],
  ['kMax 5, Q0.6, narrow widths, bonus token', { kMax: 5, pFracBits: 6, loadsIntBits: 4, loadsFracBits: 2, timingWidth: 6, pShift: 3, loadsShift: 3, pInit: 0.5, loadsInit: 3.25, bonusToken: true }],
  ['kMax 1, no fractional load bits, shift 0', { kMax: 1, pFracBits: 8, loadsFracBits: 0, pShift: 0, loadsShift: 1, timingWidth: 10 }],
  ['kMax 7 (k port all-ones = kMax), 24-bit p, 32-bit timing', { kMax: 7, pFracBits: 24, loadsIntBits: 12, loadsFracBits: 12, timingWidth: 32 }],
];

/** Runs `cycles` random cycles on the IR simulator, every output every cycle against the golden model. */
function runIrRandom(params: SpecGovernorParams, cycles: number, label: string) {
  const rng = seededRandom(label);
  const sim = new IrSimulator(elaborate(SpecGovernor, params));
  sim.reset();
  const model = new SpecGovernorModel(params);
  const chosen = new Map<number, number>();
  let errors = 0;
  for (let c = 0; c < cycles; c++) {
    const inp = randomInputs(params, rng, c);
    for (const [k, v] of Object.entries(inputPorts(inp))) sim.poke(k, v);
    const want = model.cycle(inp);
    const wantPorts = outputPorts(want);
    const got = Object.fromEntries(Object.keys(wantPorts).map((k) => [k, sim.peek(k)]));
    if (Object.keys(wantPorts).some((k) => got[k] !== wantPorts[k])) expect({ cycle: c, got }, `${label}: cycle ${c}`).toEqual({ cycle: c, got: wantPorts });
    if (want.k_valid) chosen.set(want.k_out, (chosen.get(want.k_out) ?? 0) + 1);
    if (want.upd_error) errors++;
    sim.step();
  }
  return { chosen, errors };
}

describe('MoeSpecGovernor: generator', () => {
  it('names modules by parameters (reset values included)', () => {
    expect(elaborate(SpecGovernor, { kMax: 16 }).top).toBe('MoeSpecGovernor_k16_p16s6_l16f8s7_t16_i58982_0');
    expect(elaborate(SpecGovernor, CONFIGS[1][1]).top).toBe('MoeSpecGovernor_k5_p6s3_l4f2s3_t6_i32_13_bonus');
  });
  it('rejects bad parameters with the offending name', () => {
    expect(() => elaborate(SpecGovernor, { kMax: 17 })).toThrow('MoeSpecGovernor: kMax must be an integer from 1 to 16, got 17');
    expect(() => elaborate(SpecGovernor, { kMax: 16, pShift: 3 })).toThrow('MoeSpecGovernor: pShift must satisfy 2^pShift >= kMax (16) so an update cannot overshoot, got 3');
  });
});

describe('MoeSpecGovernor: RTL vs golden, random command streams, every output every cycle (IR simulator)', () => {
  for (const [label, params] of CONFIGS) {
    it(label, () => {
      const { chosen, errors } = runIrRandom(params, 6000, `spec governor ir ${label}`);
      const kMax = specGovernorParams(params).kMax;
      // the stream exercises the paths: many results, refused updates, several depths when kMax > 1
      expect([...chosen.values()].reduce((a, n) => a + n, 0)).toBeGreaterThan(6000 / (kMax + 8));
      expect(errors).toBeGreaterThan(10);
      if (kMax >= 5) expect(chosen.size, JSON.stringify([...chosen])).toBeGreaterThanOrEqual(3);
    });
  }
});

// ---- directed tests through the ports --------------------------------------------------------------

class GovernorDriver {
  readonly sim: IrSimulator;
  constructor(readonly params: SpecGovernorParams) {
    this.sim = new IrSimulator(elaborate(SpecGovernor, params));
    this.sim.reset();
  }
  private command(ports: Record<string, number>): void {
    for (const [k, v] of Object.entries(ports)) this.sim.poke(k, v);
    this.sim.step();
    for (const k of ['set_valid', 'upd_valid', 'choose_valid']) this.sim.poke(k, 0);
  }
  set(pRaw: number, loadsRaw: number): void {
    expect(this.sim.peek('set_ready')).toBe(1n);
    this.command({ set_valid: 1, set_p: pRaw, set_loads: loadsRaw });
  }
  update(k: number, accepted: number, loads: number): void {
    this.command({ upd_valid: 1, upd_k: k, upd_accepted: accepted, upd_loads: loads });
  }
  /** Requests a choice; returns the response and the cycles from request to k_valid. */
  choose(t: GovernorTiming): { k: number; num: bigint; cycles: bigint; latency: number } {
    expect(this.sim.peek('choose_ready')).toBe(1n);
    this.command({
      choose_valid: 1,
      cfg_draft_cycles: t.draftCycles,
      cfg_init_cycles: t.initCycles,
      cfg_new_fixed: t.newFixedCycles,
      cfg_load_cycles: t.loadCycles,
      cfg_verify_base: t.verifyBaseCycles,
      cfg_verify_per_pos: t.verifyPerPosCycles,
    });
    for (const k of ['cfg_draft_cycles', 'cfg_init_cycles', 'cfg_new_fixed', 'cfg_load_cycles', 'cfg_verify_base', 'cfg_verify_per_pos']) this.sim.poke(k, 0);
    let latency = 1;
    while (this.sim.peek('k_valid') === 0n) {
      if (latency > 40) throw new Error('no k_valid');
      this.sim.step();
      latency++;
    }
    return { k: Number(this.sim.peek('k_out')), num: this.sim.peek('k_num'), cycles: this.sim.peek('k_cycles'), latency };
  }
  get stats() {
    return { p: Number(this.sim.peek('p_out')), loads: Number(this.sim.peek('loads_out')) };
  }
}

const SMALL: SpecGovernorParams = { kMax: 4, pFracBits: 4, loadsFracBits: 1, pShift: 2, loadsShift: 3, pInit: 0.75, loadsInit: 0.5 };

describe('MoeSpecGovernor: directed cases through the ports (IR simulator)', () => {
  it('the hand-computed case: p = 12/16, loads 0.5 -> k = 3, N = 27, T = 44 half-cycles; latency kMax + 1', () => {
    const d = new GovernorDriver(SMALL);
    expect(d.stats).toEqual({ p: 12, loads: 1 });
    expect(d.choose({ draftCycles: 2, initCycles: 5, newFixedCycles: 1, loadCycles: 4, verifyBaseCycles: 3, verifyPerPosCycles: 1 })).toEqual({ k: 3, num: 27n, cycles: 44n, latency: 5 });
  });

  it('hand-computed updates: rounding, floor of negative steps, refused updates set upd_error', () => {
    const d = new GovernorDriver(SMALL);
    d.update(4, 2, 7); // p: d = -4 -> -1; loads: d = 14 - 5 = 9 -> floor(13/8) = 1
    expect(d.stats).toEqual({ p: 11, loads: 2 });
    d.update(1, 0, 0); // p: d = -11 -> floor(-9/4) = -3; loads: d = -4 -> floor(0/8) = 0
    expect(d.stats).toEqual({ p: 8, loads: 2 });
    expect(d.sim.peek('upd_error')).toBe(0n);
    d.update(2, 3, 5); // accepted > k: refused
    expect([d.stats, d.sim.peek('upd_error')]).toEqual([{ p: 8, loads: 2 }, 1n]);
    d.update(5, 0, 5); // k > kMax: refused
    expect([d.stats, d.sim.peek('upd_error')]).toEqual([{ p: 8, loads: 2 }, 1n]);
    d.update(0, 0, 3); // k = 0: p unchanged; loads: d = 6 - 2 = 4 -> floor(8/8) = 1
    expect([d.stats, d.sim.peek('upd_error')]).toEqual([{ p: 8, loads: 3 }, 0n]);
    d.set(31, 9); // set_p clamped to 2^F
    expect(d.stats).toEqual({ p: 16, loads: 9 });
  });

  const T: GovernorTiming = { draftCycles: 10, initCycles: 0, newFixedCycles: 50, loadCycles: 2, verifyBaseCycles: 2000, verifyPerPosCycles: 20 };

  it('p near 0 (after rejections) chooses k = 1; p near 1 with cheap loads chooses kMax', () => {
    const d = new GovernorDriver({ kMax: 16 });
    for (let r = 0; r < 800; r++) d.update(4, 0, 2); // one trial each, gain 1/64
    expect(d.stats.p).toBe(32); // p - round(p / 64) stops moving at 2^(pShift-1) = 32 (0.0005)
    expect(d.choose(T).k).toBe(1);
    for (let r = 0; r < 200; r++) d.update(16, 16, 0);
    expect(d.stats.p).toBeGreaterThan(65500);
    expect(d.choose(T)).toEqual({ ...chooseSpeculationDepth({ kMax: 16 }, d.stats, T), k: 16, latency: 17 });
  });

  it('ties choose the smaller k (all Theta equal; and Theta(2) = Theta(3) = Theta(4) at the top)', () => {
    const d = new GovernorDriver({ kMax: 8 });
    d.set(0, 0);
    expect(d.choose({ ...T, loadCycles: 0 }).k).toBe(1);
    d.set(1 << 16, 0);
    expect(d.choose({ draftCycles: 3, initCycles: 0, newFixedCycles: 0, loadCycles: 0, verifyBaseCycles: 0, verifyPerPosCycles: 0 }).k).toBe(1);
    expect(d.choose({ draftCycles: 2, initCycles: 4, newFixedCycles: 0, loadCycles: 0, verifyBaseCycles: 0, verifyPerPosCycles: 0 })).toEqual({ k: 2, num: 2n << 16n, cycles: 1024n, latency: 9 });
  });
});

// ---- Verilator -----------------------------------------------------------------------------------

describe.skipIf(missingTool(haveVerilator))('MoeSpecGovernor: printed SV vs golden, random command streams (Verilator)', () => {
  for (const [label, params] of [CONFIGS[0], CONFIGS[1], CONFIGS[3]]) {
    it(`${label}: 30,000 cycles, every output every cycle`, async () => {
      const model = new SpecGovernorModel(params);
      const r = await checkAgainstGolden({
        name: `spec_governor_k${specGovernorParams(params).kMax}`,
        design: elaborate(SpecGovernor, params),
        mode: 'clocked',
        seed: seededRandom(`spec governor verilator ${label}`).seed, // prints the seed (HDL_SEED honoured)
        vectors: 30_000,
        waveOnFailure: false,
        log: () => {},
        stimulus: (rng, i) => inputPorts(randomInputs(params, rng, i)),
        golden: (inp) => outputPorts(model.cycle(inputsFromPorts(inp))),
      });
      expect(r.ok, r.report).toBe(true);
      expect(r.passed).toBe(30_000);
    }, 240_000);
  }
});
