import { describe, expect, it } from 'vitest';
import {
  type SpecCycleParams,
  type SpecRoundInput,
  expectedCyclesPerToken,
  expectedTokensPerRound,
  matchedPrefix,
  runSpeculative,
} from '../../../../../hdl-gen/units/speq/golden/controller.ts';
import { seededRandom } from './speq-test-support.ts';

const P: SpecCycleParams = { draftCyclesPerStep: 10, verifyCyclesPerPass: 100, switchCycles: 3 };

describe('speculative-decoding controller golden model', () => {
  it('accepts the longest matching prefix plus one corrected token', () => {
    const rounds: SpecRoundInput[] = [
      { draft: [5, 6, 7, 8], verify: [5, 6, 9, 8, 1] }, // n = 2: accept 5 6, correct to 9
      { draft: [1, 2, 3, 4], verify: [1, 2, 3, 4, 5] }, // n = 4: all accepted + bonus token 5
      { draft: [7, 7, 7, 7], verify: [8, 7, 7, 7, 7] }, // n = 0: only the corrected token 8
    ];
    const r = runSpeculative(4, rounds, P);
    expect(r.rounds.map((x) => [x.matched, x.accepted])).toEqual([
      [2, [5, 6, 9]],
      [4, [1, 2, 3, 4, 5]],
      [0, [8]],
    ]);
    expect(r.tokens).toEqual([5, 6, 9, 1, 2, 3, 4, 5, 8]);
    // Round i: 4 draft steps (40), switch (3), verify (100); switch back (3) between rounds.
    expect(r.rounds.map((x) => x.draftStepStartCycles)).toEqual([
      [0, 10, 20, 30],
      [146, 156, 166, 176],
      [292, 302, 312, 322],
    ]);
    expect(r.stallCycles).toBe(0);
    expect(r.rounds.map((x) => [x.startCycle, x.verifyStartCycle, x.endCycle])).toEqual([
      [0, 43, 143],
      [146, 189, 289],
      [292, 335, 435],
    ]);
    expect(r.totalCycles).toBe(3 * (4 * 10 + 100) + 5 * 3);
    expect(r.switches).toBe(5);
    expect(r.cyclesPerToken).toBeCloseTo(435 / 9, 12);
  });

  it('stops at maxTokens, truncating the last round (its cycles count in full)', () => {
    const rounds: SpecRoundInput[] = [
      { draft: [1, 2], verify: [1, 2, 3] },
      { draft: [4, 5], verify: [4, 5, 6] },
      { draft: [7, 8], verify: [7, 8, 9] },
    ];
    const r = runSpeculative(2, rounds, P, { maxTokens: 4 });
    expect(r.tokens).toEqual([1, 2, 3, 4]);
    expect(r.rounds.length).toBe(2);
    expect(r.rounds[1].accepted).toEqual([4]);
    expect(r.totalCycles).toBe(2 * (2 * 10 + 100) + 3 * 3);
    expect(runSpeculative(2, [], P)).toMatchObject({ tokens: [], totalCycles: 0, switches: 0, cyclesPerToken: Infinity });
  });

  it('total cycles follow R*(gamma*Td + Tv) + (2R - 1)*Ts; accepted tokens equal the verify prefix', () => {
    const rng = seededRandom('speq controller');
    for (let t = 0; t < 200; t++) {
      const gamma = rng.range(1, 8);
      const R = rng.range(1, 10);
      const params = { draftCyclesPerStep: rng.range(0, 20), verifyCyclesPerPass: rng.range(0, 500), switchCycles: rng.range(0, 5) };
      const rounds: SpecRoundInput[] = [];
      const want: number[] = [];
      for (let i = 0; i < R; i++) {
        const verify = Array.from({ length: gamma + 1 }, () => rng.below(4));
        const draft = verify.slice(0, gamma).map((v) => (rng.chance(0.7) ? v : v + 1 + rng.below(3)));
        rounds.push({ draft, verify });
        want.push(...verify.slice(0, matchedPrefix(draft, verify) + 1));
      }
      const r = runSpeculative(gamma, rounds, params);
      expect(r.tokens).toEqual(want);
      expect(r.totalCycles).toBe(R * (gamma * params.draftCyclesPerStep + params.verifyCyclesPerPass) + (2 * R - 1) * params.switchCycles);
    }
  });

  it('late tokens stretch their step or pass and shift every later cycle', () => {
    const rounds: SpecRoundInput[] = [
      { draft: [1, 2, 3], verify: [1, 2, 3, 4], draftDelays: [0, 2, 0], verifyDelay: 5 },
      { draft: [5, 6, 7], verify: [5, 0, 0, 0], draftDelays: [1, 0, 0] },
    ];
    const r = runSpeculative(3, rounds, P);
    // Round 0: steps at 0, 10, 22 (step 1 waits 2 cycles); verify at 32 + 3; end 35 + 100 + 5.
    expect(r.rounds[0]).toMatchObject({ startCycle: 0, draftStepStartCycles: [0, 10, 22], verifyStartCycle: 35, endCycle: 140 });
    // Round 1 starts after the switch back; step 0 waits 1 cycle.
    expect(r.rounds[1]).toMatchObject({ startCycle: 143, draftStepStartCycles: [143, 154, 164], verifyStartCycle: 177, endCycle: 277 });
    expect(r.stallCycles).toBe(8);
    expect(r.totalCycles).toBe(2 * (3 * 10 + 100) + 3 * 3 + 8);
    expect(r.tokens).toEqual([1, 2, 3, 4, 5, 0]);
    expect(runSpeculative(3, rounds.map((x) => ({ draft: x.draft, verify: x.verify })), P).stallCycles).toBe(0);
    expect(() => runSpeculative(3, [{ ...rounds[0], draftDelays: [0, 0] }], P)).toThrow('round 0: 2 draft delays, gamma = 3');
    expect(() => runSpeculative(3, [{ ...rounds[0], verifyDelay: -1 }], P)).toThrow('round 0: verify delay must be an integer >= 0, got -1');
  });

  it('expected tokens per round at acceptance rate alpha', () => {
    expect(expectedTokensPerRound(0, 4)).toBe(1);
    expect(expectedTokensPerRound(1, 4)).toBe(5);
    expect(expectedTokensPerRound(0.5, 2)).toBeCloseTo(1.75, 12);
    expect(expectedCyclesPerToken(0.5, 2, P)).toBeCloseTo((20 + 100 + 6) / 1.75, 12);
    // Monte Carlo through runSpeculative agrees with the closed form (i.i.d. per-token acceptance).
    const rng = seededRandom('speq controller alpha');
    const alpha = 0.8;
    const gamma = 4;
    const rounds: SpecRoundInput[] = Array.from({ length: 20000 }, () => {
      const verify = [0, 0, 0, 0, 0];
      return { verify, draft: verify.slice(0, gamma).map(() => (rng.chance(alpha) ? 0 : 1)) };
    });
    const r = runSpeculative(gamma, rounds, P);
    expect(r.tokens.length / rounds.length).toBeCloseTo(expectedTokensPerRound(alpha, gamma), 1);
  });

  it('validates its inputs', () => {
    expect(() => runSpeculative(0, [], P)).toThrow('gamma must be an integer >= 1');
    expect(() => runSpeculative(2, [{ draft: [1], verify: [1, 2, 3] }], P)).toThrow('round 0: 1 draft tokens, gamma = 2');
    expect(() => runSpeculative(2, [{ draft: [1, 2], verify: [1, 2] }], P)).toThrow('need gamma + 1 = 3');
    expect(() => runSpeculative(1, [], { ...P, switchCycles: -1 })).toThrow('switchCycles');
    expect(() => runSpeculative(1, [{ draft: [1.5], verify: [1, 2] }], P)).toThrow('token');
    expect(() => expectedTokensPerRound(1.5, 2)).toThrow('alpha');
  });
});
