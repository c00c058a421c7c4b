import { Bool, UInt, Vec, clog2, defineModule, input, lit, mux, output, type Sig } from '../../../index.ts';
import { fsm } from '../../../lib/fsm.ts';
import { SpecController } from '../../speq/rtl/spec-controller.ts';
import { governorWidths, specGovernorParams } from '../golden/spec-governor.ts';
import { speculateCommitParams, type SpeculateCommitParams } from '../golden/speculate-commit.ts';
import { SpecGovernor } from './spec-governor.ts';

/**
 * Speculate/commit top: the SPEQ controller (one round per start) with each round's gamma from the
 * MoE-SpeQ governor, the round's accepted count fed back to it, and MoBiLE's fallback request for
 * rounds with an important accepted token. Timeline and every rule: the golden model,
 * hdl-gen/units/routing/golden/speculate-commit.ts (matched cycle for cycle).
 */
export type SpeculateCommitRtlParams = SpeculateCommitParams;

const STATES = ['idle', 'choose', 'wait', 'run', 'fallback'] as const;
const TIMING_INPUTS = ['cfg_draft_cycles', 'cfg_verify_cycles', 'cfg_switch_cycles', 'cfg_init_cycles', 'cfg_new_fixed', 'cfg_load_cycles', 'cfg_verify_base', 'cfg_verify_per_pos'] as const;
type TimingInput = (typeof TIMING_INPUTS)[number];

/** a + b clamped to a's all-ones value (b no wider than a). */
function saturatingAdd(a: Sig<'uint'>, b: Sig<'uint'>): Sig<'uint'> {
  const wide = a.addExpand(b.zext(a.width));
  return mux(wide.bit(a.width), (1n << BigInt(a.width)) - 1n, wide.trunc(a.width));
}

export const SpeculateCommit = defineModule({
  name: 'MoeSpeculateCommit',
  io: (params: SpeculateCommitRtlParams) => {
    const p = speculateCommitParams(params);
    const gw = governorWidths(p.governor);
    const G = p.gammaMax;
    const timing = UInt(p.timingWidth);
    const counter = UInt(p.counterWidth);
    const token = UInt(p.tokenWidth);
    const gammaT = UInt(clog2(G + 1));
    return {
      start: input(Bool()),
      start_ready: output(Bool()),
      cfg_draft_cycles: input(timing),
      cfg_verify_cycles: input(timing),
      cfg_switch_cycles: input(timing),
      cfg_init_cycles: input(timing),
      cfg_new_fixed: input(timing),
      cfg_load_cycles: input(timing),
      cfg_verify_base: input(timing),
      cfg_verify_per_pos: input(timing),
      cfg_max_tokens: input(counter),
      cfg_max_rounds: input(counter),
      cfg_error: output(Bool()),
      busy: output(Bool()),
      done: output(Bool()),
      round_gamma: output(gammaT),
      mode_verify: output(Bool()),
      mode_switching: output(Bool()),
      draft_step_start: output(Bool()),
      draft_step: output(gammaT),
      draft_valid: input(Bool()),
      draft_ready: output(Bool()),
      draft_token: input(token),
      verify_start: output(Bool()),
      verify_valid: input(Bool()),
      verify_ready: output(Bool()),
      verify_tokens: input(Vec(token, G + 1)),
      verify_important: input(Vec(Bool(), G + 1)),
      verify_loads: input(UInt(specGovernorParams(p.governor).loadsIntBits)),
      accept_valid: output(Bool()),
      accept_count: output(UInt(clog2(G + 2))),
      accept_matched: output(gammaT),
      accept_tokens: output(Vec(token, G + 1)),
      accept_important: output(Vec(Bool(), G + 1)),
      fallback_valid: output(Bool()),
      fallback_ready: input(Bool()),
      fallback_mask: output(Vec(Bool(), G + 1)),
      accepted_tokens: output(counter),
      rounds: output(counter),
      fallback_passes: output(counter),
      gov_p: output(UInt(gw.p)),
      gov_loads: output(UInt(gw.loads)),
    };
  },
  moduleName: (params) => {
    const p = speculateCommitParams(params);
    const gov = SpecGovernor.moduleName!(p.governor).replace(/^MoeSpecGovernor_k\d+_/, '');
    return `MoeSpeculateCommit_g${p.gammaMax}_tok${p.tokenWidth}_c${p.counterWidth}_${gov}`;
  },
  body: (m, io, params) => {
    const p = speculateCommitParams(params);
    const G = p.gammaMax;
    const gammaW = clog2(G + 1);
    const gp = specGovernorParams(p.governor);
    const state = fsm(m, 'state', STATES, 'idle');

    // ---- run configuration, latched at start -------------------------------------------------------
    const cfgReg = (n: TimingInput) => m.reg(`${n}_r`, UInt(p.timingWidth), { init: 0 });
    const cfg = {} as Record<TimingInput, ReturnType<typeof cfgReg>>;
    for (const n of TIMING_INPUTS) cfg[n] = cfgReg(n);
    const maxTokens = m.reg('cfg_max_tokens_r', UInt(p.counterWidth), { init: 0 });
    const maxRounds = m.reg('cfg_max_rounds_r', UInt(p.counterWidth), { init: 0 });
    const cfgError = m.reg('cfg_error_r', Bool(), { init: 0 });
    const done = m.reg('done_r', Bool(), { init: 0 });

    const gamma = m.reg('gamma', UInt(gammaW), { init: 0 });
    const haveK = m.reg('have_k', Bool(), { init: 0 });
    const switchLeft = m.reg('switch_left', UInt(p.timingWidth), { init: 0 });
    const important = m.reg('important', Vec(Bool(), G + 1), { init: 0 });
    const loads = m.reg('round_loads', UInt(gp.loadsIntBits), { init: 0 });
    const mask = m.reg('fallback_mask_r', Vec(Bool(), G + 1), { init: 0 });
    const finishAfterFallback = m.reg('finish_after_fallback', Bool(), { init: 0 });
    const tokens = m.reg('accepted_tokens_r', UInt(p.counterWidth), { init: 0 });
    const rounds = m.reg('rounds_r', UInt(p.counterWidth), { init: 0 });
    const fallbacks = m.reg('fallback_passes_r', UInt(p.counterWidth), { init: 0 });

    // ---- children ---------------------------------------------------------------------------------
    const gov = m.instance('governor', SpecGovernor, p.governor).io;
    const ctrl = m.instance('controller', SpecController, { gammaMax: G, tokenWidth: p.tokenWidth, timingWidth: p.timingWidth, counterWidth: p.counterWidth }).io;

    const switching = m.let('switching', state.is('choose').or(state.is('wait')).and(switchLeft.ne(0)));
    const startRound = m.let('start_round', state.is('wait').and(haveK).and(switchLeft.eq(0)));
    const acceptInRun = m.let('accept_in_run', state.is('run').and(ctrl.accept_valid));

    // governor: choose in the choose state, update in the accept cycle, timing from the run config
    gov.set_valid.set(false);
    gov.set_p.set(0);
    gov.set_loads.set(0);
    gov.choose_valid.set(state.is('choose'));
    gov.upd_valid.set(acceptInRun);
    gov.upd_k.set(gamma.zext(governorWidths(gp).k));
    gov.upd_accepted.set(ctrl.accept_matched.zext(governorWidths(gp).k));
    gov.upd_loads.set(loads);
    gov.cfg_draft_cycles.set(cfg.cfg_draft_cycles);
    gov.cfg_init_cycles.set(cfg.cfg_init_cycles);
    gov.cfg_new_fixed.set(cfg.cfg_new_fixed);
    gov.cfg_load_cycles.set(cfg.cfg_load_cycles);
    gov.cfg_verify_base.set(cfg.cfg_verify_base);
    gov.cfg_verify_per_pos.set(cfg.cfg_verify_per_pos);

    // controller: one round per start, the tokens left as its limit
    ctrl.start.set(startRound);
    ctrl.cfg_gamma.set(gamma);
    ctrl.cfg_draft_cycles.set(cfg.cfg_draft_cycles);
    ctrl.cfg_verify_cycles.set(cfg.cfg_verify_cycles);
    ctrl.cfg_switch_cycles.set(cfg.cfg_switch_cycles);
    ctrl.cfg_max_tokens.set(mux(maxTokens.eq(0), lit(0, UInt(p.counterWidth)), maxTokens.sub(tokens)));
    ctrl.cfg_max_rounds.set(1);
    ctrl.draft_valid.set(io.draft_valid);
    ctrl.draft_token.set(io.draft_token);
    ctrl.verify_valid.set(io.verify_valid);
    ctrl.verify_tokens.set(io.verify_tokens);

    // the verify handshake also carries the importance flags and the round's loads
    m.when(io.verify_valid.and(ctrl.verify_ready), () => {
      important.set(io.verify_important);
      loads.set(io.verify_loads);
    });

    // accepted important positions
    const impBits = important.elements();
    const acceptImportant = impBits.map((b, j) => m.let(`accept_important_${j}`, b.and(ctrl.accept_count.gt(j))));
    const anyImportant = m.let('any_important', acceptImportant.reduce((a, b) => a.or(b)));

    // ---- sequencing --------------------------------------------------------------------------------
    const tokensNext = saturatingAdd(tokens, ctrl.accept_count);
    const roundsNext = saturatingAdd(rounds, lit(1, UInt(1)));
    const finished = m.let('finished', maxTokens.ne(0).and(tokensNext.ge(maxTokens)).or(maxRounds.ne(0).and(roundsNext.eq(maxRounds))));
    const next = (fin: Sig<'bool'>) => {
      m.when(fin, () => {
        state.goto('idle');
        done.set(true);
      }).otherwise(() => {
        state.goto('choose');
        switchLeft.set(cfg.cfg_switch_cycles);
      });
    };

    m.when(switching, () => switchLeft.set(switchLeft.sub(1)));
    state.on('idle', () => {
      m.when(io.start, () => {
        const bad = io.cfg_draft_cycles.eq(0).or(io.cfg_verify_cycles.eq(0));
        cfgError.set(bad);
        done.set(false);
        m.when(bad.not(), () => {
          for (const n of TIMING_INPUTS) cfg[n].set(io[n]);
          maxTokens.set(io.cfg_max_tokens);
          maxRounds.set(io.cfg_max_rounds);
          tokens.set(0);
          rounds.set(0);
          fallbacks.set(0);
          switchLeft.set(0);
          state.goto('choose');
        });
      });
    });
    state.on('choose', () => {
      haveK.set(false);
      state.goto('wait');
    });
    state.on('wait', () => {
      m.when(startRound, () => state.goto('run'));
      m.when(gov.k_valid, () => {
        gamma.set(gov.k_out);
        haveK.set(true);
      });
    });
    state.on('run', () => {
      m.when(ctrl.accept_valid, () => {
        tokens.set(tokensNext);
        rounds.set(roundsNext);
        m.when(anyImportant, () => {
          acceptImportant.forEach((b, j) => mask.at(j).set(b));
          finishAfterFallback.set(finished);
          state.goto('fallback');
        }).otherwise(() => next(finished));
      });
    });
    state.on('fallback', () => {
      m.when(io.fallback_ready, () => {
        fallbacks.set(saturatingAdd(fallbacks, lit(1, UInt(1))));
        next(finishAfterFallback);
      });
    });

    // ---- outputs ---------------------------------------------------------------------------------
    io.start_ready.set(state.is('idle'));
    io.cfg_error.set(cfgError);
    io.busy.set(state.is('idle').not());
    io.done.set(done);
    io.round_gamma.set(gamma);
    io.mode_verify.set(ctrl.mode_verify.or(state.is('fallback')));
    io.mode_switching.set(ctrl.mode_switching.or(switching));
    io.draft_step_start.set(ctrl.draft_step_start);
    io.draft_step.set(ctrl.draft_step);
    io.draft_ready.set(ctrl.draft_ready);
    io.verify_start.set(ctrl.verify_start);
    io.verify_ready.set(ctrl.verify_ready);
    io.accept_valid.set(ctrl.accept_valid);
    io.accept_count.set(ctrl.accept_count);
    io.accept_matched.set(ctrl.accept_matched);
    io.accept_tokens.set(ctrl.accept_tokens);
    acceptImportant.forEach((b, j) => io.accept_important.at(j).set(b));
    io.fallback_valid.set(state.is('fallback'));
    io.fallback_mask.set(mask);
    io.accepted_tokens.set(tokens);
    io.rounds.set(rounds);
    io.fallback_passes.set(fallbacks);
    io.gov_p.set(gov.p_out);
    io.gov_loads.set(gov.loads_out);
  },
});
