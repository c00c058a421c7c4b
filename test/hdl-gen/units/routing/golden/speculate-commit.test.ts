import { describe, expect, it } from 'vitest';
import { SpeculateCommitModel, type SpeculateCommitInputs } from '../../../../../hdl-gen/units/routing/golden/speculate-commit.ts';
import { runSpeculative } from '../../../../../hdl-gen/units/speq/golden/controller.ts';
import { seededRandom } from '../../../../../verif/random.ts';

/**
 * The top's per-cycle controller round against the SPEQ golden model (runSpeculative): with p = 1 and
 * a large verify cost the governor picks gamma = kMax, so one round's timeline can be compared.
 */
describe('speculate/commit golden model: one round matches runSpeculative', () => {
  it('random gamma, timing and matched prefix (200 rounds)', () => {
    const rng = seededRandom('speculate commit golden vs runSpeculative');
    for (let t = 0; t < 200; t++) {
      const G = rng.range(1, 8);
      const timing = { draftCyclesPerStep: rng.range(1, 4), verifyCyclesPerPass: rng.range(1, 9), switchCycles: rng.range(0, 4) };
      const draft = Array.from({ length: G }, () => rng.range(1, 200));
      const n = rng.range(0, G);
      const verify = [...draft.slice(0, n), ...(n < G ? [draft[n] + 1] : []), ...Array.from({ length: G - Math.min(n + 1, G) }, () => rng.range(1, 200))];
      verify.push(rng.range(1, 200));
      const golden = runSpeculative(G, [{ draft, verify }], timing);
      const model = new SpeculateCommitModel({ gammaMax: G, tokenWidth: 8, governor: { pInit: 1 } });
      const base: SpeculateCommitInputs = {
        start: true,
        cfg_draft_cycles: timing.draftCyclesPerStep,
        cfg_verify_cycles: timing.verifyCyclesPerPass,
        cfg_switch_cycles: timing.switchCycles,
        cfg_init_cycles: 0,
        cfg_new_fixed: 0,
        cfg_load_cycles: 0,
        cfg_verify_base: 1000,
        cfg_verify_per_pos: 0,
        cfg_max_tokens: 0,
        cfg_max_rounds: 1,
        draft_valid: false,
        draft_token: 0,
        verify_valid: true,
        verify_tokens: verify,
        verify_important: new Array<boolean>(G + 1).fill(false),
        verify_loads: 0,
        fallback_ready: false,
      };
      const offset = G + 4; // start 0, choose 1, k_valid G + 2, controller start G + 3, first draft cycle G + 4
      const steps: number[] = [];
      let verifyStart = -1;
      let end = -1;
      let accepted: number[] = [];
      let step = 0;
      for (let c = 0; end < 0; c++) {
        expect(c, `run ${t}: no accept`).toBeLessThan(500);
        // the host answers each draft request with the next draft token
        const o = model.cycle({ ...base, start: c === 0, draft_valid: true, draft_token: draft[Math.min(step, G - 1)] });
        if (o.draft_ready) step++;
        if (o.draft_step_start) steps.push(c - offset);
        if (o.verify_start) verifyStart = c - offset;
        if (o.accept_valid) {
          end = c - offset;
          accepted = o.accept_tokens.slice(0, o.accept_count);
          expect([o.round_gamma, o.accept_matched], `run ${t}`).toEqual([G, golden.rounds[0].matched]);
        }
      }
      const r = golden.rounds[0];
      expect({ steps, verifyStart, end, accepted }, `run ${t}`).toEqual({ steps: r.draftStepStartCycles, verifyStart: r.verifyStartCycle, end: r.endCycle, accepted: r.accepted });
    }
  });
});
