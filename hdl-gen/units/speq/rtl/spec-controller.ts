import { UserError } from '../../../errors.ts';
import { Bool, UInt, Vec, clog2, defineModule, input, lit, mux, output, type Sig } from '../../../index.ts';
import { fsm } from '../../../lib/fsm.ts';

/**
 * SPEQ speculative-decoding controller (spec: /work/shared/specs/speq.md, "Speculative-decoding
 * controller"; golden model: hdl-gen/units/speq/golden/controller.ts `runSpeculative`, cycle-exact).
 *
 * Per round: `gamma` draft steps of Td cycles each, a mode switch of Ts cycles, one verify pass of Tv
 * cycles over gamma+1 positions, then the accept logic: n = longest prefix on which the draft tokens
 * d[0..gamma-1] equal the verify tokens v[0..gamma]; accepted = v[0..n] (n + 1 tokens). Another round
 * follows after a switch back (Ts cycles) unless the round or token limit is reached.
 *
 * The host model is not in hardware: the token choices come in through the ports and only the
 * controller's sequencing, accept decision and counters are hardware.
 *
 * Run-time configuration (the cfg_* inputs, sampled when `start` is taken, so one build serves every
 * gamma and timing; the generator parameters only bound their widths):
 *   cfg_gamma          draft steps per round, 1..gammaMax
 *   cfg_draft_cycles   Td >= 1, cycles of one draft step
 *   cfg_verify_cycles  Tv >= 1, cycles of one verify pass
 *   cfg_switch_cycles  Ts >= 0, cycles of one mode switch (0: no switch cycles)
 *   cfg_max_tokens     stop after the round that brings the accepted total to this (that round's
 *                      tokens are truncated to it); 0 = no limit
 *   cfg_max_rounds     stop after this many rounds; 0 = no limit
 * A start with gamma = 0, gamma > gammaMax, Td = 0 or Tv = 0 is refused: `cfg_error` rises (until the
 * next start) and the controller stays idle.
 *
 * Timeline (cycle 0 = the cycle after `start` is taken; `total_cycles` shows the current cycle):
 *   draft step j   Td cycles; `draft_step_start` in its first cycle; `draft_ready` in its last cycle,
 *                  held (a stall, counted in `stall_cycles`) until `draft_valid` delivers d[j]
 *   switch         Ts cycles, `mode_switching`, `mode_verify` already 1
 *   verify pass    Tv cycles; `verify_start` in its first cycle; `verify_ready` in its last cycle,
 *                  held (stall) until `verify_valid` delivers v[0..gamma] (elements > gamma ignored)
 *   accept         `accept_valid` pulses in the cycle after the verify tokens were taken (cycle E of
 *                  the golden model), with `accept_count` tokens in `accept_tokens[0..count-1]`
 *                  (the rest zero) and the prefix length `accept_matched`; it is a strobe (no ready)
 *   switch back    Ts cycles (`mode_verify` 0) only if another round follows, else the controller is
 *                  idle again with `done` set: total_cycles = E of the last round
 * `mode_verify` is the array mode the controller asks for (it changes when a switch begins).
 *
 * Counters (counterWidth bits, cleared by a start, saturating, `counter_overflow` sticky if any
 * saturated): total_cycles, accepted_tokens, rounds, stall_cycles. Cycles per accepted token =
 * total_cycles / accepted_tokens, divided by the host.
 */
export type SpecControllerParams = {
  /** Largest draft length the build supports (1..32): sizes the token registers and compare logic. */
  readonly gammaMax: number;
  /** Bits per token id (1..32). */
  readonly tokenWidth: number;
  /** Bits of the Td/Tv/Ts configuration inputs (1..32); default 16. */
  readonly timingWidth?: number;
  /** Bits of the counters and of cfg_max_tokens/cfg_max_rounds (8..64); default 32. */
  readonly counterWidth?: number;
};

export const SPEC_CONTROLLER_LIMITS = { gammaMax: 32, tokenWidth: 32, timingWidth: 32, counterWidthMin: 8, counterWidthMax: 64 } as const;

/** The parameters with defaults applied, validated. */
export function specControllerParams(p: SpecControllerParams): Required<SpecControllerParams> {
  const r = { gammaMax: p.gammaMax, tokenWidth: p.tokenWidth, timingWidth: p.timingWidth ?? 16, counterWidth: p.counterWidth ?? 32 };
  const L = SPEC_CONTROLLER_LIMITS;
  const intIn = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x <= hi;
  if (!intIn(r.gammaMax, 1, L.gammaMax)) throw new UserError(`SpeqSpecController: gammaMax must be an integer from 1 to ${L.gammaMax}, got ${r.gammaMax}`);
  if (!intIn(r.tokenWidth, 1, L.tokenWidth)) throw new UserError(`SpeqSpecController: tokenWidth must be an integer from 1 to ${L.tokenWidth}, got ${r.tokenWidth}`);
  if (!intIn(r.timingWidth, 1, L.timingWidth)) throw new UserError(`SpeqSpecController: timingWidth must be an integer from 1 to ${L.timingWidth}, got ${r.timingWidth}`);
  if (!intIn(r.counterWidth, L.counterWidthMin, L.counterWidthMax)) {
    throw new UserError(`SpeqSpecController: counterWidth must be an integer from ${L.counterWidthMin} to ${L.counterWidthMax}, got ${r.counterWidth}`);
  }
  return r;
}

const STATES = ['idle', 'draft', 'to_verify', 'verify', 'to_draft'] as const;

/** a + b (b no wider than a) clamped to a's all-ones value; `sat` says it clamped. */
function saturatingAdd(a: Sig<'uint'>, b: Sig<'uint'>): { sum: Sig<'uint'>; sat: Sig<'bool'> } {
  const wide = a.addExpand(b.zext(a.width));
  const sat = wide.bit(a.width);
  return { sum: mux(sat, (1n << BigInt(a.width)) - 1n, wide.trunc(a.width)), sat };
}

export const SpecController = defineModule({
  name: 'SpeqSpecController',
  io: (params: SpecControllerParams) => {
    const p = specControllerParams(params);
    const token = UInt(p.tokenWidth);
    const timing = UInt(p.timingWidth);
    const counter = UInt(p.counterWidth);
    const gammaT = UInt(clog2(p.gammaMax + 1));
    return {
      start: input(Bool()),
      start_ready: output(Bool()),
      cfg_gamma: input(gammaT),
      cfg_draft_cycles: input(timing),
      cfg_verify_cycles: input(timing),
      cfg_switch_cycles: input(timing),
      cfg_max_tokens: input(counter),
      cfg_max_rounds: input(counter),
      cfg_error: output(Bool()),
      busy: output(Bool()),
      done: output(Bool()),
      mode_verify: output(Bool()),
      mode_switching: output(Bool()),
      draft_step_start: output(Bool()),
      draft_step: output(gammaT),
      verify_start: output(Bool()),
      draft_valid: input(Bool()),
      draft_ready: output(Bool()),
      draft_token: input(token),
      verify_valid: input(Bool()),
      verify_ready: output(Bool()),
      verify_tokens: input(Vec(token, p.gammaMax + 1)),
      accept_valid: output(Bool()),
      accept_count: output(UInt(clog2(p.gammaMax + 2))),
      accept_matched: output(gammaT),
      accept_tokens: output(Vec(token, p.gammaMax + 1)),
      total_cycles: output(counter),
      accepted_tokens: output(counter),
      rounds: output(counter),
      stall_cycles: output(counter),
      counter_overflow: output(Bool()),
    };
  },
  moduleName: (params) => {
    const p = specControllerParams(params);
    return `SpeqSpecController_g${p.gammaMax}_tok${p.tokenWidth}_t${p.timingWidth}_c${p.counterWidth}`;
  },
  body: (m, io, params) => {
    const p = specControllerParams(params);
    const G = p.gammaMax;
    const gammaW = clog2(G + 1);
    const countW = clog2(G + 2);
    const state = fsm(m, 'state', STATES, 'idle');

    // Configuration, latched at start.
    const gamma = m.reg('cfg_gamma_r', UInt(gammaW), { init: 1 });
    const td = m.reg('cfg_draft_cycles_r', UInt(p.timingWidth), { init: 1 });
    const tv = m.reg('cfg_verify_cycles_r', UInt(p.timingWidth), { init: 1 });
    const ts = m.reg('cfg_switch_cycles_r', UInt(p.timingWidth), { init: 0 });
    const maxTokens = m.reg('cfg_max_tokens_r', UInt(p.counterWidth), { init: 0 });
    const maxRounds = m.reg('cfg_max_rounds_r', UInt(p.counterWidth), { init: 0 });

    // Sequencing: `timer` counts down the cycles left in the current step, pass or switch (0 = last).
    const timer = m.reg('timer', UInt(p.timingWidth), { init: 0 });
    const step = m.reg('step', UInt(gammaW), { init: 0 });
    const fresh = m.reg('fresh', Bool(), { init: 0 }); // first cycle of a draft step or verify pass
    const cfgError = m.reg('cfg_error_r', Bool(), { init: 0 });
    const done = m.reg('done_r', Bool(), { init: 0 });

    const draftTokens = Array.from({ length: G }, (_, j) => m.reg(`draft_token_${j}`, UInt(p.tokenWidth), { init: 0 }));

    const acceptValid = m.reg('accept_valid_r', Bool(), { init: 0 });
    const acceptCount = m.reg('accept_count_r', UInt(countW), { init: 0 });
    const acceptMatched = m.reg('accept_matched_r', UInt(gammaW), { init: 0 });
    const acceptTokens = m.reg('accept_tokens_r', Vec(UInt(p.tokenWidth), G + 1), { init: 0 });

    const cycles = m.reg('total_cycles_r', UInt(p.counterWidth), { init: 0 });
    const tokens = m.reg('accepted_tokens_r', UInt(p.counterWidth), { init: 0 });
    const rounds = m.reg('rounds_r', UInt(p.counterWidth), { init: 0 });
    const stalls = m.reg('stall_cycles_r', UInt(p.counterWidth), { init: 0 });
    const overflow = m.reg('counter_overflow_r', Bool(), { init: 0 });

    const idle = m.let('idle', state.is('idle'));
    const lastCycle = m.let('last_cycle', timer.eq(0));
    const draftHandshake = m.let('draft_handshake', state.is('draft').and(lastCycle).and(io.draft_valid));
    const verifyHandshake = m.let('verify_handshake', state.is('verify').and(lastCycle).and(io.verify_valid));
    const stalled = m.let('stalled', state.is('draft').and(lastCycle).and(io.draft_valid.not()).or(state.is('verify').and(lastCycle).and(io.verify_valid.not())));

    // ---- accept logic (combinational on the verify tokens being taken) ---------------------------
    const v = io.verify_tokens.elements();
    const match = draftTokens.map((d, j) => m.let(`match_${j}`, d.eq(v[j]).and(gamma.gt(j))));
    // n = index of the first mismatch (positions >= gamma never match, so n <= gamma)
    let n: Sig<'uint'> = lit(G, UInt(gammaW));
    for (let j = G - 1; j >= 0; j--) n = mux(match[j], n, lit(j, UInt(gammaW)));
    const matched = m.let('matched', n);
    const fullCount = m.let('full_count', matched.zext(countW).add(1));
    const remaining = m.let('remaining', maxTokens.sub(tokens)); // > 0 while running with a token limit
    const truncate = m.let('truncate', maxTokens.ne(0).and(remaining.lt(fullCount.zext(p.counterWidth))));
    const count = m.let('count', mux(truncate, remaining.trunc(countW), fullCount));
    const tokensNext = saturatingAdd(tokens, count);
    const roundsNext = saturatingAdd(rounds, lit(1, UInt(1)));
    const finished = m.let(
      'finished',
      maxRounds.ne(0).and(roundsNext.sum.eq(maxRounds)).or(maxTokens.ne(0).and(tokensNext.sum.ge(maxTokens))),
    );

    // ---- state transitions ------------------------------------------------------------------------
    const enterDraftStep = () => {
      state.goto('draft');
      timer.set(td.sub(1));
      fresh.set(true);
    };
    const enterVerify = () => {
      state.goto('verify');
      timer.set(tv.sub(1));
      fresh.set(true);
    };
    fresh.set(false);
    acceptValid.set(false);
    m.when(idle.not().and(lastCycle.not()), () => timer.set(timer.sub(1)));

    state.on('idle', () => {
      m.when(io.start, () => {
        const tooLarge = G < 2 ** gammaW - 1 ? io.cfg_gamma.gt(G) : lit(false, Bool());
        const bad = io.cfg_gamma.eq(0).or(tooLarge).or(io.cfg_draft_cycles.eq(0)).or(io.cfg_verify_cycles.eq(0));
        cfgError.set(bad);
        done.set(false);
        m.when(bad.not(), () => {
          gamma.set(io.cfg_gamma);
          td.set(io.cfg_draft_cycles);
          tv.set(io.cfg_verify_cycles);
          ts.set(io.cfg_switch_cycles);
          maxTokens.set(io.cfg_max_tokens);
          maxRounds.set(io.cfg_max_rounds);
          cycles.set(0);
          tokens.set(0);
          rounds.set(0);
          stalls.set(0);
          overflow.set(false);
          step.set(0);
          state.goto('draft');
          timer.set(io.cfg_draft_cycles.sub(1));
          fresh.set(true);
        });
      });
    });
    state.on('draft', () => {
      m.when(draftHandshake, () => {
        m.when(step.eq(gamma.sub(1)), () => {
          m.when(ts.eq(0), enterVerify).otherwise(() => {
            state.goto('to_verify');
            timer.set(ts.sub(1));
          });
        }).otherwise(() => {
          step.set(step.add(1));
          enterDraftStep();
        });
      });
    });
    state.on('to_verify', () => m.when(lastCycle, enterVerify));
    state.on('verify', () => {
      m.when(verifyHandshake, () => {
        m.when(finished, () => {
          state.goto('idle');
          done.set(true);
        })
          .elsewhen(ts.eq(0), () => {
            step.set(0);
            enterDraftStep();
          })
          .otherwise(() => {
            state.goto('to_draft');
            timer.set(ts.sub(1));
          });
      });
    });
    state.on('to_draft', () =>
      m.when(lastCycle, () => {
        step.set(0);
        enterDraftStep();
      }),
    );

    // Draft token j is kept for the compare at the end of the round.
    draftTokens.forEach((d, j) => m.when(draftHandshake.and(step.eq(j)), () => d.set(io.draft_token)));

    m.when(verifyHandshake, () => {
      acceptValid.set(true);
      acceptCount.set(count);
      acceptMatched.set(matched);
      v.forEach((t, j) => acceptTokens.at(j).set(mux(count.gt(j), t, 0)));
      tokens.set(tokensNext.sum);
      rounds.set(roundsNext.sum);
    });

    // Counters: every cycle of a run counts, stalls too.
    const running = idle.not();
    const cyclesNext = saturatingAdd(cycles, lit(1, UInt(1)));
    const stallsNext = saturatingAdd(stalls, lit(1, UInt(1)));
    m.when(running, () => cycles.set(cyclesNext.sum));
    m.when(stalled, () => stalls.set(stallsNext.sum));
    m.when(
      running
        .and(cyclesNext.sat)
        .or(stalled.and(stallsNext.sat))
        .or(verifyHandshake.and(tokensNext.sat.or(roundsNext.sat))),
      () => overflow.set(true),
    );

    // ---- outputs --------------------------------------------------------------------------------
    io.start_ready.set(idle);
    io.cfg_error.set(cfgError);
    io.busy.set(running);
    io.done.set(done);
    io.mode_verify.set(state.is('to_verify').or(state.is('verify')));
    io.mode_switching.set(state.is('to_verify').or(state.is('to_draft')));
    io.draft_step_start.set(state.is('draft').and(fresh));
    io.draft_step.set(step);
    io.verify_start.set(state.is('verify').and(fresh));
    io.draft_ready.set(state.is('draft').and(lastCycle));
    io.verify_ready.set(state.is('verify').and(lastCycle));
    io.accept_valid.set(acceptValid);
    io.accept_count.set(acceptCount);
    io.accept_matched.set(acceptMatched);
    io.accept_tokens.set(acceptTokens);
    io.total_cycles.set(cycles);
    io.accepted_tokens.set(tokens);
    io.rounds.set(rounds);
    io.stall_cycles.set(stalls);
    io.counter_overflow.set(overflow);
  },
});
