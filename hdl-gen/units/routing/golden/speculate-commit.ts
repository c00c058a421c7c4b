/**
 * Golden model of the speculate/commit top (spec: /work/shared/specs/routing_prefetch.md, "One
 * speculate/commit controller"; RTL: hdl-gen/units/routing/rtl/speculate-commit.ts, matched cycle
 * for cycle on every output).
 *
 * The top runs the SPEQ speculative-decoding controller one round per start (cfg_max_rounds = 1),
 * takes each round's draft length gamma from the MoE-SpeQ governor (spec-governor.ts) and feeds the
 * round's result back to it, and adds MoBiLE's fallback: the host marks verified positions important
 * (`verify_important`, taken with the verify tokens); if an accepted token is important, the top asks
 * for one big pass over the round (`fallback_valid` with `fallback_mask` = the accepted important
 * positions) and waits for `fallback_ready` before the next round.
 *
 * Timeline (cycle-exact). `start` is taken while idle (`start_ready`); it samples every cfg_* input
 * (held for the whole run). Td = cfg_draft_cycles or Tv = cfg_verify_cycles of 0 is refused:
 * `cfg_error` rises (until the next start) and the top stays idle.
 *   choose   the cycle after the start (or after a round / fallback): the governor takes a choose
 *            request (its timing: Td and the five cfg_* governor inputs). Its k_valid comes kMax + 1
 *            cycles later; gamma <- k. Meanwhile, except before the first round, the array switches
 *            back to draft mode: Ts = cfg_switch_cycles cycles counted from the choose cycle
 *            (`mode_switching`).
 *   start    in cycle max(k_valid cycle + 1, choose cycle + Ts) (the switch cycles are the choose
 *            cycle and the Ts - 1 after it): the controller is started with gamma, cfg_max_rounds 1 and
 *            cfg_max_tokens = the tokens left (0 = no limit).
 *   round    the SPEQ controller's round (its golden model: speq/golden/controller.ts): draft steps,
 *            switch, verify pass, host handshakes passed through. The verify handshake also samples
 *            `verify_important` and `verify_loads` (expert loads the host saw in the round).
 *            In the cycle of `accept_valid` (E) the governor takes the update {k: gamma, accepted:
 *            accept_matched, loads}; `accept_important` = verify_important masked to the accepted
 *            positions (< accept_count).
 *   fallback from E + 1 if any accepted position is important: `fallback_valid` with `fallback_mask`
 *            (and `mode_verify`) until `fallback_ready`.
 *   then     the run ends (idle, `done`) when the token limit is reached (cfg_max_tokens != 0 and
 *            accepted >= it) or the round limit (cfg_max_rounds != 0 and rounds = it); else choose
 *            again, in the cycle after E (no fallback) or after the fallback handshake.
 * Counters (counterWidth bits, cleared by a start, saturating): accepted_tokens, rounds,
 * fallback_passes. The governor's averages persist across runs (p_out / loads_out show them).
 */
import { matchedPrefix } from '../../speq/golden/controller.ts';
import { SpecGovernorModel, specGovernorParams, type SpecGovernorInputs, type SpecGovernorOutputs, type SpecGovernorParams } from './spec-governor.ts';
import { UserError } from '../../../errors.ts';

export interface SpeculateCommitParams {
  /** Largest draft length (1..16): the governor's kMax and the controller's gammaMax. */
  readonly gammaMax: number;
  /** Bits per token id (1..32). */
  readonly tokenWidth: number;
  /** Bits of every cfg_* cycle input (1..32); default 16. */
  readonly timingWidth?: number;
  /** Bits of the counters and of cfg_max_tokens / cfg_max_rounds (8..64); default 32. */
  readonly counterWidth?: number;
  /** The governor's other parameters (defaults as in spec-governor.ts). */
  readonly governor?: Omit<SpecGovernorParams, 'kMax' | 'timingWidth'>;
}

export interface ResolvedSpeculateCommitParams {
  readonly gammaMax: number;
  readonly tokenWidth: number;
  readonly timingWidth: number;
  readonly counterWidth: number;
  readonly governor: SpecGovernorParams;
}

export function speculateCommitParams(p: SpeculateCommitParams): ResolvedSpeculateCommitParams {
  const intIn = (x: unknown, lo: number, hi: number) => typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi;
  if (!intIn(p.gammaMax, 1, 16)) throw new UserError(`MoeSpeculateCommit: gammaMax must be an integer from 1 to 16, got ${String(p.gammaMax)}`);
  if (!intIn(p.tokenWidth, 1, 32)) throw new UserError(`MoeSpeculateCommit: tokenWidth must be an integer from 1 to 32, got ${String(p.tokenWidth)}`);
  const timingWidth = p.timingWidth ?? 16;
  const counterWidth = p.counterWidth ?? 32;
  if (!intIn(timingWidth, 1, 32)) throw new UserError(`MoeSpeculateCommit: timingWidth must be an integer from 1 to 32, got ${String(timingWidth)}`);
  if (!intIn(counterWidth, 8, 64)) throw new UserError(`MoeSpeculateCommit: counterWidth must be an integer from 8 to 64, got ${String(counterWidth)}`);
  const governor: SpecGovernorParams = { ...(p.governor ?? {}), kMax: p.gammaMax, timingWidth };
  specGovernorParams(governor); // validates (its errors name MoeSpecGovernor)
  return { gammaMax: p.gammaMax, tokenWidth: p.tokenWidth, timingWidth, counterWidth, governor };
}

export interface SpeculateCommitInputs {
  readonly start: boolean;
  readonly cfg_draft_cycles: number;
  readonly cfg_verify_cycles: number;
  readonly cfg_switch_cycles: number;
  readonly cfg_init_cycles: number;
  readonly cfg_new_fixed: number;
  readonly cfg_load_cycles: number;
  readonly cfg_verify_base: number;
  readonly cfg_verify_per_pos: number;
  readonly cfg_max_tokens: number;
  readonly cfg_max_rounds: number;
  readonly draft_valid: boolean;
  readonly draft_token: number;
  readonly verify_valid: boolean;
  /** gammaMax + 1 tokens. */
  readonly verify_tokens: readonly number[];
  /** gammaMax + 1 flags. */
  readonly verify_important: readonly boolean[];
  readonly verify_loads: number;
  readonly fallback_ready: boolean;
}

export interface SpeculateCommitOutputs {
  readonly start_ready: boolean;
  readonly cfg_error: boolean;
  readonly busy: boolean;
  readonly done: boolean;
  readonly round_gamma: number;
  readonly mode_verify: boolean;
  readonly mode_switching: boolean;
  readonly draft_step_start: boolean;
  readonly draft_step: number;
  readonly draft_ready: boolean;
  readonly verify_start: boolean;
  readonly verify_ready: boolean;
  readonly accept_valid: boolean;
  readonly accept_count: number;
  readonly accept_matched: number;
  readonly accept_tokens: readonly number[];
  readonly accept_important: readonly boolean[];
  readonly fallback_valid: boolean;
  readonly fallback_mask: readonly boolean[];
  readonly accepted_tokens: bigint;
  readonly rounds: bigint;
  readonly fallback_passes: bigint;
  readonly gov_p: number;
  readonly gov_loads: number;
}

type RoundState = 'idle' | 'draft' | 'to_verify' | 'verify';

/** The SPEQ controller for one round per start, cycle by cycle (its RTL's registers, as specified in speq/golden/controller.ts). */
class OneRoundController {
  state: RoundState = 'idle';
  timer = 0;
  step = 0;
  fresh = false;
  gamma = 1;
  td = 1;
  tv = 1;
  ts = 0;
  limit = 0;
  draft: number[] = [];
  acceptValid = false;
  acceptCount = 0;
  acceptMatched = 0;
  acceptTokens: number[];
  constructor(readonly gammaMax: number) {
    this.acceptTokens = new Array<number>(gammaMax + 1).fill(0);
  }
  outputs() {
    const last = this.timer === 0;
    return {
      idle: this.state === 'idle',
      mode_verify: this.state === 'to_verify' || this.state === 'verify',
      mode_switching: this.state === 'to_verify',
      draft_step_start: this.state === 'draft' && this.fresh,
      draft_step: this.step,
      draft_ready: this.state === 'draft' && last,
      verify_start: this.state === 'verify' && this.fresh,
      verify_ready: this.state === 'verify' && last,
      accept_valid: this.acceptValid,
      accept_count: this.acceptCount,
      accept_matched: this.acceptMatched,
      accept_tokens: this.acceptTokens,
    };
  }
  /** The clock edge; `start` only while idle. Returns true on the verify handshake. */
  edge(start: { gamma: number; td: number; tv: number; ts: number; limit: number } | null, i: SpeculateCommitInputs): boolean {
    const last = this.timer === 0;
    this.fresh = false;
    this.acceptValid = false;
    if (this.state !== 'idle' && !last) this.timer--;
    switch (this.state) {
      case 'idle':
        if (start) {
          Object.assign(this, { gamma: start.gamma, td: start.td, tv: start.tv, ts: start.ts, limit: start.limit });
          this.step = 0;
          this.state = 'draft';
          this.timer = start.td - 1;
          this.fresh = true;
        }
        return false;
      case 'draft':
        if (last && i.draft_valid) {
          this.draft[this.step] = i.draft_token;
          if (this.step === this.gamma - 1) {
            if (this.ts === 0) this.enterVerify();
            else {
              this.state = 'to_verify';
              this.timer = this.ts - 1;
            }
          } else {
            this.step++;
            this.state = 'draft';
            this.timer = this.td - 1;
            this.fresh = true;
          }
        }
        return false;
      case 'to_verify':
        if (last) this.enterVerify();
        return false;
      case 'verify':
        if (last && i.verify_valid) {
          const n = matchedPrefix(this.draft.slice(0, this.gamma), i.verify_tokens.slice(0, this.gamma));
          const count = this.limit !== 0 && this.limit < n + 1 ? this.limit : n + 1;
          this.acceptValid = true;
          this.acceptCount = count;
          this.acceptMatched = n;
          this.acceptTokens = i.verify_tokens.map((t, j) => (j < count ? t : 0));
          this.state = 'idle';
          return true;
        }
        return false;
    }
  }
  private enterVerify(): void {
    this.state = 'verify';
    this.timer = this.tv - 1;
    this.fresh = true;
  }
}

type TopState = 'idle' | 'choose' | 'wait' | 'run' | 'fallback';

/** The top cycle by cycle: `cycle(inputs)` returns this cycle's outputs, then applies the clock edge. */
export class SpeculateCommitModel {
  readonly params: ResolvedSpeculateCommitParams;
  readonly governor: SpecGovernorModel;
  private readonly ctrl: OneRoundController;
  private state: TopState = 'idle';
  private cfg: SpeculateCommitInputs | null = null;
  private cfgError = false;
  private done = false;
  private gamma = 0;
  private haveK = false;
  private switchLeft = 0;
  private important: boolean[];
  private loads = 0;
  private mask: boolean[];
  private finishAfterFallback = false;
  private tokens = 0n;
  private rounds = 0n;
  private fallbacks = 0n;
  private readonly counterMax: bigint;

  constructor(params: SpeculateCommitParams) {
    this.params = speculateCommitParams(params);
    this.governor = new SpecGovernorModel(this.params.governor);
    this.ctrl = new OneRoundController(this.params.gammaMax);
    this.important = new Array<boolean>(this.params.gammaMax + 1).fill(false);
    this.mask = this.important.slice();
    this.counterMax = (1n << BigInt(this.params.counterWidth)) - 1n;
  }

  private sat(x: bigint): bigint {
    return x > this.counterMax ? this.counterMax : x;
  }

  cycle(i: SpeculateCommitInputs): SpeculateCommitOutputs {
    const G = this.params.gammaMax;
    const c = this.ctrl.outputs();
    const cfg = this.cfg;
    // governor commands this cycle
    const chooseReq = this.state === 'choose';
    const update = this.state === 'run' && c.accept_valid;
    const gin: SpecGovernorInputs = {
      set_valid: false,
      set_p: 0,
      set_loads: 0,
      upd_valid: update,
      upd_k: this.gamma,
      upd_accepted: c.accept_matched,
      upd_loads: this.loads,
      choose_valid: chooseReq,
      cfg_draft_cycles: cfg?.cfg_draft_cycles ?? 0,
      cfg_init_cycles: cfg?.cfg_init_cycles ?? 0,
      cfg_new_fixed: cfg?.cfg_new_fixed ?? 0,
      cfg_load_cycles: cfg?.cfg_load_cycles ?? 0,
      cfg_verify_base: cfg?.cfg_verify_base ?? 0,
      cfg_verify_per_pos: cfg?.cfg_verify_per_pos ?? 0,
    };
    const g: SpecGovernorOutputs = this.governor.cycle(gin);
    const acceptImportant = this.important.map((b, j) => b && j < c.accept_count);
    const switching = (this.state === 'choose' || this.state === 'wait') && this.switchLeft > 0;
    const out: SpeculateCommitOutputs = {
      start_ready: this.state === 'idle',
      cfg_error: this.cfgError,
      busy: this.state !== 'idle',
      done: this.done,
      round_gamma: this.gamma,
      mode_verify: c.mode_verify || this.state === 'fallback',
      mode_switching: c.mode_switching || switching,
      draft_step_start: c.draft_step_start,
      draft_step: c.draft_step,
      draft_ready: c.draft_ready,
      verify_start: c.verify_start,
      verify_ready: c.verify_ready,
      accept_valid: c.accept_valid,
      accept_count: c.accept_count,
      accept_matched: c.accept_matched,
      accept_tokens: c.accept_tokens,
      accept_important: acceptImportant,
      fallback_valid: this.state === 'fallback',
      fallback_mask: this.mask,
      accepted_tokens: this.tokens,
      rounds: this.rounds,
      fallback_passes: this.fallbacks,
      gov_p: g.p_out,
      gov_loads: g.loads_out,
    };

    // ---- clock edge ----
    let ctrlStart: { gamma: number; td: number; tv: number; ts: number; limit: number } | null = null;
    const startRound = this.state === 'wait' && this.haveK && this.switchLeft === 0;
    if (switching) this.switchLeft--;
    switch (this.state) {
      case 'idle':
        if (i.start) {
          const bad = i.cfg_draft_cycles === 0 || i.cfg_verify_cycles === 0;
          this.cfgError = bad;
          this.done = false;
          if (!bad) {
            this.cfg = { ...i };
            this.tokens = 0n;
            this.rounds = 0n;
            this.fallbacks = 0n;
            this.switchLeft = 0;
            this.state = 'choose';
          }
        }
        break;
      case 'choose':
        this.haveK = false;
        this.state = 'wait';
        break;
      case 'wait':
        if (startRound) {
          const maxTokens = BigInt(cfg!.cfg_max_tokens);
          ctrlStart = { gamma: this.gamma, td: cfg!.cfg_draft_cycles, tv: cfg!.cfg_verify_cycles, ts: cfg!.cfg_switch_cycles, limit: maxTokens === 0n ? 0 : Number(maxTokens - this.tokens) };
          this.state = 'run';
        }
        if (g.k_valid) {
          this.gamma = g.k_out;
          this.haveK = true;
        }
        break;
      case 'run':
        if (c.accept_valid) {
          this.tokens = this.sat(this.tokens + BigInt(c.accept_count));
          this.rounds = this.sat(this.rounds + 1n);
          const finished = (cfg!.cfg_max_tokens !== 0 && this.tokens >= BigInt(cfg!.cfg_max_tokens)) || (cfg!.cfg_max_rounds !== 0 && this.rounds === BigInt(cfg!.cfg_max_rounds));
          if (acceptImportant.some((b) => b)) {
            this.mask = acceptImportant;
            this.finishAfterFallback = finished;
            this.state = 'fallback';
          } else this.next(finished);
        }
        break;
      case 'fallback':
        if (i.fallback_ready) {
          this.fallbacks = this.sat(this.fallbacks + 1n);
          this.next(this.finishAfterFallback);
        }
        break;
    }
    if (this.ctrl.edge(ctrlStart, i)) {
      this.important = i.verify_important.slice(0, G + 1);
      this.loads = i.verify_loads;
    }
    return out;
  }

  private next(finished: boolean): void {
    if (finished) {
      this.state = 'idle';
      this.done = true;
    } else {
      this.state = 'choose';
      this.switchLeft = this.cfg!.cfg_switch_cycles;
    }
  }
}
