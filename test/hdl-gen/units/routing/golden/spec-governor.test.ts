import { describe, expect, it } from 'vitest';
import {
  SpecGovernorModel,
  chooseSpeculationDepth,
  governorCycles,
  governorNumerators,
  governorWidths,
  initialGovernorStats,
  specGovernorParams,
  updateGovernorStats,
  type GovernorTiming,
  type SpecGovernorInputs,
  type SpecGovernorParams,
} from '../../../../../hdl-gen/units/routing/golden/spec-governor.ts';
import { seededRandom } from '../../../../../verif/random.ts';

const SMALL: SpecGovernorParams = { kMax: 4, pFracBits: 4, loadsFracBits: 1, pShift: 2, loadsShift: 3, pInit: 0.75, loadsInit: 0.5 };
const HAND_TIMING: GovernorTiming = { draftCycles: 2, initCycles: 5, newFixedCycles: 1, loadCycles: 4, verifyBaseCycles: 3, verifyPerPosCycles: 1 };
const ZERO_TIMING: GovernorTiming = { draftCycles: 0, initCycles: 0, newFixedCycles: 0, loadCycles: 0, verifyBaseCycles: 0, verifyPerPosCycles: 0 };

describe('MoE-SpeQ governor golden model: parameters', () => {
  it('applies defaults and encodes the reset values by truncation', () => {
    expect(specGovernorParams({ kMax: 8 })).toEqual({ kMax: 8, pFracBits: 16, loadsIntBits: 16, loadsFracBits: 8, timingWidth: 16, pShift: 5, loadsShift: 6, pInit: 0.9, loadsInit: 0, bonusToken: false });
    expect(initialGovernorStats({ kMax: 8 })).toEqual({ p: 58982, loads: 0 }); // floor(0.9 * 65536) = floor(58982.4)
    expect(initialGovernorStats(SMALL)).toEqual({ p: 12, loads: 1 });
    expect(specGovernorParams({ kMax: 1 }).pShift).toBe(3);
  });

  it('rejects bad parameters with the offending name (exact text)', () => {
    const bad = (p: Partial<SpecGovernorParams>) => () => specGovernorParams({ kMax: 8, ...p } as SpecGovernorParams);
    expect(bad({ kMax: 0 })).toThrow('MoeSpecGovernor: kMax must be an integer from 1 to 16, got 0');
    expect(bad({ kMax: 17 })).toThrow('MoeSpecGovernor: kMax must be an integer from 1 to 16, got 17');
    expect(bad({ kMax: 2.5 })).toThrow('MoeSpecGovernor: kMax must be an integer from 1 to 16, got 2.5');
    expect(bad({ pFracBits: 3 })).toThrow('MoeSpecGovernor: pFracBits must be an integer from 4 to 24, got 3');
    expect(bad({ loadsIntBits: 25 })).toThrow('MoeSpecGovernor: loadsIntBits must be an integer from 1 to 24, got 25');
    expect(bad({ loadsFracBits: 17 })).toThrow('MoeSpecGovernor: loadsFracBits must be an integer from 0 to 16, got 17');
    expect(bad({ timingWidth: 0 })).toThrow('MoeSpecGovernor: timingWidth must be an integer from 1 to 32, got 0');
    expect(bad({ pShift: 21 })).toThrow('MoeSpecGovernor: pShift must be an integer from 0 to 20, got 21');
    expect(bad({ pShift: 2 })).toThrow('MoeSpecGovernor: pShift must satisfy 2^pShift >= kMax (8) so an update cannot overshoot, got 2');
    expect(bad({ loadsShift: 3 })).toThrow('MoeSpecGovernor: loadsShift must satisfy 2^loadsShift >= kMax + 1 (9) so an update cannot overshoot, got 3');
    expect(bad({ pInit: 1.5 })).toThrow('MoeSpecGovernor: pInit must be a number from 0 to 1, got 1.5');
    expect(bad({ loadsInit: -1 })).toThrow('MoeSpecGovernor: loadsInit must be a number from 0 to below 2^loadsIntBits (65536), got -1');
    expect(bad({ bonusToken: 1 as never })).toThrow('MoeSpecGovernor: bonusToken must be true or false, got 1');
  });

  it('derives widths from the largest values', () => {
    expect(governorWidths(SMALL)).toEqual({ k: 3, p: 5, loads: 17, draft: 18, verifyPos: 19, loadStep: 33, loadTotal: 36, cycleInt: 20, cycles: 36, num: 7 });
  });
});

describe('MoE-SpeQ governor golden model: arithmetic (hand-computed)', () => {
  it('p update: trials = accepted (+1 if a token was rejected), floor((d + 2) / 4) with pShift 2', () => {
    const s = { p: 12, loads: 1 };
    // t = 3: d = 2*16 - 3*12 = -4 -> floor(-2 / 4) = -1
    expect(updateGovernorStats(SMALL, s, { k: 4, accepted: 2, loads: 0 }).p).toBe(11);
    // all accepted, t = k = 2: d = 32 - 24 = 8 -> floor(10 / 4) = 2
    expect(updateGovernorStats(SMALL, s, { k: 2, accepted: 2, loads: 0 }).p).toBe(14);
    // floor, not truncation toward zero: p = 11, t = 1: d = -11 -> floor(-9 / 4) = -3 (truncation: -2)
    expect(updateGovernorStats(SMALL, { p: 11, loads: 1 }, { k: 1, accepted: 0, loads: 0 }).p).toBe(8);
    // the rounding constant: p = 14, t = 1: d = 2 -> floor(4 / 4) = 1 (without it: 0)
    expect(updateGovernorStats(SMALL, { p: 14, loads: 1 }, { k: 1, accepted: 1, loads: 0 }).p).toBe(15);
    // k = 0: no trial, p unchanged
    expect(updateGovernorStats(SMALL, s, { k: 0, accepted: 0, loads: 0 }).p).toBe(12);
  });

  it('loads update: n = k + 1 positions, floor((d + 4) / 8) with loadsShift 3', () => {
    // d = 7 * 2 - 5 * 1 = 9 -> floor(13 / 8) = 1
    expect(updateGovernorStats(SMALL, { p: 12, loads: 1 }, { k: 4, accepted: 4, loads: 7 }).loads).toBe(2);
    // d = 0 * 2 - 2 * 3 = -6 -> floor(-2 / 8) = -1
    expect(updateGovernorStats(SMALL, { p: 12, loads: 3 }, { k: 1, accepted: 1, loads: 0 }).loads).toBe(2);
  });

  it('refuses k > kMax and accepted > k (stats unchanged); range errors on out-of-width values', () => {
    const s = { p: 12, loads: 1 };
    expect(updateGovernorStats(SMALL, s, { k: 5, accepted: 1, loads: 9 })).toBe(s);
    expect(updateGovernorStats(SMALL, s, { k: 2, accepted: 3, loads: 9 })).toBe(s);
    expect(() => updateGovernorStats(SMALL, s, { k: 8, accepted: 0, loads: 0 })).toThrow('governor update: k must be an integer in [0, 2^3), got 8');
  });

  it('choice: p = 0.75 (Q0.4 12), loads 0.5: Theta = 12/30, 21/36, 27/44, 31/54 -> k = 3', () => {
    expect(governorNumerators(SMALL, 12)).toEqual([0n, 12n, 21n, 27n, 31n]); // q: 12, 9, 6 (6.75), 4 (4.5)
    // T(k) = ((max(2k, 5) + 1 + 3 + (k+1)) << 1) + (k+1) * 1 * 4
    expect([1, 2, 3, 4].map((k) => governorCycles(SMALL, 1, HAND_TIMING, k))).toEqual([30n, 36n, 44n, 54n]);
    expect(chooseSpeculationDepth(SMALL, { p: 12, loads: 1 }, HAND_TIMING)).toEqual({ k: 3, num: 27n, cycles: 44n });
  });

  it('p = 0 chooses k = 1 (all Theta 0: a tie); a tie on equal Theta keeps the smaller k', () => {
    expect(chooseSpeculationDepth({ kMax: 16 }, { p: 0, loads: 0 }, { ...ZERO_TIMING, draftCycles: 10, verifyBaseCycles: 500 }).k).toBe(1);
    // p = 1: N(k) = k; T(k) = k Td: Theta constant -> 1
    expect(chooseSpeculationDepth({ kMax: 16 }, { p: 1 << 16, loads: 0 }, { ...ZERO_TIMING, draftCycles: 3 }).k).toBe(1);
    // Theta(2) = Theta(3) > others: N = 2, 3 with p = 1 and T(2) = 2c, T(3) = 3c needs T(1) larger per token
    const t: GovernorTiming = { ...ZERO_TIMING, draftCycles: 2, initCycles: 4 }; // T = max(2k, 4): 4, 4, 6, 8 -> Theta 1/4, 2/4, 3/6, 4/8
    expect([1, 2, 3, 4].map((k) => governorCycles({ kMax: 4 }, 0, t, k))).toEqual([1024n, 1024n, 1536n, 2048n]);
    expect(chooseSpeculationDepth({ kMax: 4 }, { p: 1 << 16, loads: 0 }, t)).toEqual({ k: 2, num: 2n << 16n, cycles: 1024n });
  });

  it('p near 1 with cheap loads chooses kMax; expensive loads or low p pull k down', () => {
    const t: GovernorTiming = { draftCycles: 10, initCycles: 0, newFixedCycles: 50, loadCycles: 0, verifyBaseCycles: 2000, verifyPerPosCycles: 20 };
    expect(chooseSpeculationDepth({ kMax: 16 }, { p: 65500, loads: 0 }, t).k).toBe(16);
    // per-position load cost makes Theta ~ sum p^j / (k + 1): at p = 0.9 k drops from 16 to 4
    const p09 = Math.floor(0.9 * 65536);
    expect(chooseSpeculationDepth({ kMax: 16 }, { p: p09, loads: 0 }, t).k).toBe(16);
    expect(chooseSpeculationDepth({ kMax: 16 }, { p: p09, loads: 8 << 8 }, { ...t, loadCycles: 5000 }).k).toBe(4);
    expect(chooseSpeculationDepth({ kMax: 16 }, { p: Math.floor(0.5 * 65536), loads: 0 }, t).k).toBe(6);
  });

  it('bonusToken counts the verify pass token: N(k) = sum_{j=0..k} p^j', () => {
    expect(governorNumerators({ ...SMALL, bonusToken: true }, 12)).toEqual([16n, 28n, 37n, 43n, 47n]);
    // p = 0: without the bonus every Theta is 0 (k = 1); with it Theta = 1 / T(k) still picks the cheapest
    expect(chooseSpeculationDepth({ ...SMALL, bonusToken: true }, { p: 0, loads: 1 }, HAND_TIMING)).toEqual({ k: 1, num: 16n, cycles: 30n });
  });

  it('random updates keep p in [0, 2^F] and loads in range, and track the real-valued moving averages', () => {
    const rng = seededRandom('governor golden convergence');
    const P: SpecGovernorParams = { kMax: 8, pShift: 9, loadsShift: 9 };
    let s = initialGovernorStats(P);
    // The same exponential averages in floating point: the fixed point may only differ by its rounding
    // (the final estimates themselves are noisy, so they are not compared with the whole run's ratios).
    let pReal = s.p / 65536;
    let loadsReal = s.loads / 256;
    let worstP = 0;
    let worstLoads = 0;
    let acc = 0;
    let trials = 0;
    for (let r = 0; r < 20000; r++) {
      const k = rng.range(0, 8);
      let a = 0;
      while (a < k && rng.chance(0.7)) a++;
      const l = rng.range(0, 3 * (k + 1));
      s = updateGovernorStats(P, s, { k, accepted: a, loads: l });
      expect(s.p >= 0 && s.p <= 65536 && s.loads >= 0).toBe(true);
      const t = a + (a < k ? 1 : 0);
      pReal += (a - t * pReal) / 2 ** 9;
      loadsReal += (l - (k + 1) * loadsReal) / 2 ** 9;
      worstP = Math.max(worstP, Math.abs(s.p / 65536 - pReal));
      worstLoads = Math.max(worstLoads, Math.abs(s.loads / 256 - loadsReal));
      acc += a;
      trials += t;
    }
    expect(acc / trials).toBeCloseTo(0.7, 1);
    expect(Math.abs(pReal - 0.7)).toBeLessThan(0.1); // the average follows the acceptance rate
    // Over 1,000 seeds the largest rounding drift seen at any round was 0.00026 (p: 17 LSBs of 2^-16)
    // and 0.047 (loads: 12 LSBs of 2^-8; each round rounds once, and one position per round lets the
    // error persist for up to 2^9 rounds); the bounds leave about twice that.
    expect(worstP).toBeLessThan(0.001);
    expect(worstLoads).toBeLessThan(0.1);
  });
});

describe('MoE-SpeQ governor golden model: fixed point vs real-valued Theta', () => {
  it('Q0.16: the chosen k reaches >= 99.9% of the best real-valued Theta on random states', () => {
    const rng = seededRandom('governor golden vs real Theta');
    const P: SpecGovernorParams = { kMax: 16 };
    let worst = 1;
    for (let i = 0; i < 3000; i++) {
      const p = rng.below(65537);
      const loads = rng.below(64 << 8);
      const t: GovernorTiming = { draftCycles: rng.range(1, 200), initCycles: rng.range(0, 2000), newFixedCycles: rng.range(0, 500), loadCycles: rng.range(0, 2000), verifyBaseCycles: rng.range(0, 20000), verifyPerPosCycles: rng.range(0, 300) };
      const theta = (k: number) => {
        let n = 0;
        for (let j = 1; j <= k; j++) n += (p / 65536) ** j;
        return n / (Math.max(k * t.draftCycles, t.initCycles) + t.newFixedCycles + t.verifyBaseCycles + (k + 1) * (t.verifyPerPosCycles + (loads / 256) * t.loadCycles));
      };
      const best = Math.max(...Array.from({ length: 16 }, (_, j) => theta(j + 1)));
      if (best > 0) worst = Math.min(worst, theta(chooseSpeculationDepth(P, { p, loads }, t).k) / best);
    }
    expect(worst).toBeGreaterThan(0.999);
  });
});

describe('MoE-SpeQ governor golden model: cycle timeline', () => {
  const idle: SpecGovernorInputs = {
    set_valid: false,
    set_p: 0,
    set_loads: 0,
    upd_valid: false,
    upd_k: 0,
    upd_accepted: 0,
    upd_loads: 0,
    choose_valid: false,
    cfg_draft_cycles: 2,
    cfg_init_cycles: 5,
    cfg_new_fixed: 1,
    cfg_load_cycles: 4,
    cfg_verify_base: 3,
    cfg_verify_per_pos: 1,
  };
  it('choose taken in cycle 0: busy for kMax cycles, k_valid in cycle kMax + 1, cfg sampled at the request', () => {
    const g = new SpecGovernorModel(SMALL);
    const o0 = g.cycle({ ...idle, choose_valid: true });
    expect([o0.choose_ready, o0.busy, o0.k_valid, o0.k_out]).toEqual([true, false, false, 0]);
    for (let c = 1; c <= 4; c++) {
      const o = g.cycle({ ...idle, cfg_draft_cycles: 999, upd_valid: true, upd_k: 1 }); // ignored while busy
      expect([o.busy, o.upd_ready, o.choose_ready, o.k_valid]).toEqual([true, false, false, false]);
    }
    const o5 = g.cycle(idle);
    expect([o5.busy, o5.k_valid, o5.k_out, o5.k_num, o5.k_cycles, o5.p_out]).toEqual([false, true, 3, 27n, 44n, 12]);
    const o6 = g.cycle(idle);
    expect([o6.k_valid, o6.k_out]).toEqual([false, 3]);
  });
  it('priority set > update > choose, and upd_error until the next valid update', () => {
    const g = new SpecGovernorModel(SMALL);
    const o = g.cycle({ ...idle, set_valid: true, set_p: 31, set_loads: 5, upd_valid: true, choose_valid: true });
    expect([o.set_ready, o.upd_ready, o.choose_ready]).toEqual([true, false, false]);
    expect(g.current).toEqual({ p: 16, loads: 5 }); // set_p clamped to 2^F
    g.cycle({ ...idle, upd_valid: true, upd_k: 2, upd_accepted: 3, choose_valid: true });
    const o2 = g.cycle(idle);
    expect([o2.upd_error, o2.busy, o2.p_out]).toEqual([true, false, 16]);
    g.cycle({ ...idle, upd_valid: true, upd_k: 0 });
    expect(g.cycle(idle).upd_error).toBe(false);
  });
});
