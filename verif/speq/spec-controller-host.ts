import { packVec, unpackVec } from '../../hdl-gen/index.ts';
import type { SpecCycleParams, SpecRoundInput, SpecRunResult } from '../../hdl-gen/units/speq/golden/controller.ts';
import type { SeededRandom } from '../random.ts';
import type { IrSimulator } from '../sim/ir-simulator.ts';
import type { VerilatorSim } from '../verilator/verilator-sim.ts';

/**
 * Testbench side of the SPEQ speculative-decoding controller (hdl-gen/units/speq/rtl/spec-controller.ts):
 *
 * - `SpecControllerHost`: a reactive host model. It starts a run, then offers the draft and verify
 *   tokens of each round on the valid/ready ports, reacting only to the controller's outputs (a token
 *   with delay d is offered d cycles after the controller first asks for it; with `early` a token
 *   without delay may be offered before it is asked for). It records what the controller reports.
 * - `SpecControllerTrace`: the expected value of every output in every cycle, derived from the golden
 *   model's result (`runSpeculative`), for cycle-exact comparison.
 * - `scheduledInputs`: the host's inputs precomputed from the golden timeline, for bulk clocked
 *   vectors through `checkAgainstGolden` (Verilator).
 * - `runOnIrSim` / `runOnVerilator`: drive one run cycle by cycle and compare every cycle.
 *
 * Cycle numbering follows the golden model: cycle 0 is the cycle after the one in which `start` is
 * taken (that one is cycle -1).
 */

/** One run of the controller: the configuration and the rounds' tokens (and token delays). */
export interface SpecControllerRun {
  readonly gamma: number;
  readonly timing: SpecCycleParams;
  readonly rounds: readonly SpecRoundInput[];
  /** cfg_max_tokens (undefined = 0 = no limit). */
  readonly maxTokens?: number;
}

/** Static shape of the controller build (its generator parameters). */
export interface SpecControllerShape {
  readonly gammaMax: number;
  readonly tokenWidth: number;
}

export const SPEC_CONTROLLER_OUTPUTS = [
  'start_ready',
  'cfg_error',
  'busy',
  'done',
  'mode_verify',
  'mode_switching',
  'draft_step_start',
  'draft_step',
  'verify_start',
  'draft_ready',
  'verify_ready',
  'accept_valid',
  'accept_count',
  'accept_matched',
  'accept_tokens',
  'total_cycles',
  'accepted_tokens',
  'rounds',
  'stall_cycles',
  'counter_overflow',
] as const;
export type SpecControllerOutput = (typeof SPEC_CONTROLLER_OUTPUTS)[number];
export type OutputValues = Record<SpecControllerOutput, bigint>;
export type ExpectedValues = Partial<Record<SpecControllerOutput, bigint>>;
export type InputValues = Record<string, bigint>;

const b = (x: boolean) => (x ? 1n : 0n);

/** The cycles of one round, from the golden result and the run's delays. */
interface RoundTimeline {
  readonly stepStart: readonly number[];
  /** The cycle the controller starts asking for draft token j (draft_ready rises). */
  readonly ask: readonly number[];
  /** The cycle draft token j is taken. */
  readonly take: readonly number[];
  /** The first switch cycle (draft -> verify), = take[gamma-1] + 1. */
  readonly switchStart: number;
  readonly verifyStart: number;
  readonly verifyAsk: number;
  /** The cycle the verify tokens are taken (= end - 1). */
  readonly verifyTake: number;
  readonly end: number;
  /** Next round's start, or null for the last round. */
  readonly next: number | null;
  readonly matched: number;
  readonly accepted: readonly number[];
  /** Accepted tokens and stall cycles of all rounds before this one. */
  readonly tokensBefore: number;
  readonly stallsBefore: number;
  readonly delays: readonly number[];
  readonly verifyDelay: number;
}

/**
 * The expected output values in every cycle of a run (from cycle -1, the start cycle, on), derived
 * from the golden model's result. Undefined entries are not checked (draft_step outside draft steps,
 * the accept payload outside accept cycles, counters in cycle -1 when earlier runs left values).
 */
export class SpecControllerTrace {
  readonly timelines: readonly RoundTimeline[];
  readonly endCycle: number;
  private cursor = 0;

  constructor(
    readonly run: SpecControllerRun,
    readonly golden: SpecRunResult,
    private readonly shape: SpecControllerShape,
  ) {
    const { gamma, timing } = run;
    const T: RoundTimeline[] = [];
    let tokensBefore = 0;
    let stallsBefore = 0;
    golden.rounds.forEach((g, i) => {
      const input = run.rounds[i];
      const delays = input.draftDelays ?? new Array<number>(gamma).fill(0);
      const verifyDelay = input.verifyDelay ?? 0;
      const ask = g.draftStepStartCycles.map((s) => s + timing.draftCyclesPerStep - 1);
      const take = ask.map((a, j) => a + delays[j]);
      const switchStart = take[gamma - 1] + 1;
      // The golden model's own identities; a failure here is a bug in the golden model or this file.
      for (let j = 1; j < gamma; j++) if (g.draftStepStartCycles[j] !== take[j - 1] + 1) throw new Error(`trace: round ${i} step ${j} does not start after step ${j - 1}`);
      if (switchStart + timing.switchCycles !== g.verifyStartCycle) throw new Error(`trace: round ${i} verify start is not draft end + Ts`);
      const verifyAsk = g.verifyStartCycle + timing.verifyCyclesPerPass - 1;
      if (verifyAsk + verifyDelay + 1 !== g.endCycle) throw new Error(`trace: round ${i} end is not verify start + Tv + delay`);
      const next = i + 1 < golden.rounds.length ? golden.rounds[i + 1].startCycle : null;
      T.push({
        stepStart: g.draftStepStartCycles,
        ask,
        take,
        switchStart,
        verifyStart: g.verifyStartCycle,
        verifyAsk,
        verifyTake: g.endCycle - 1,
        end: g.endCycle,
        next,
        matched: g.matched,
        accepted: g.accepted,
        tokensBefore,
        stallsBefore,
        delays,
        verifyDelay,
      });
      tokensBefore += g.accepted.length;
      stallsBefore += delays.reduce((a, d) => a + d, 0) + verifyDelay;
    });
    this.timelines = T;
    this.endCycle = golden.totalCycles;
  }

  /** Expected outputs at cycle c (>= -1). Fastest when called with non-decreasing c. */
  at(c: number): ExpectedValues {
    const T = this.timelines;
    if (c < 0) return { start_ready: 1n, busy: 0n, accept_valid: 0n, draft_ready: 0n, verify_ready: 0n, mode_verify: 0n, mode_switching: 0n, draft_step_start: 0n, verify_start: 0n };
    if (T.length === 0) throw new Error('trace: a run has at least one round');
    // the round whose start is the last one <= c
    if (this.cursor >= T.length || T[this.cursor].stepStart[0] > c) this.cursor = 0;
    while (this.cursor + 1 < T.length && T[this.cursor + 1].stepStart[0] <= c) this.cursor++;
    const i = this.cursor;
    const r = T[i];
    const out: ExpectedValues = {
      start_ready: 0n,
      cfg_error: 0n,
      busy: 1n,
      done: 0n,
      mode_verify: 0n,
      mode_switching: 0n,
      draft_step_start: 0n,
      verify_start: 0n,
      draft_ready: 0n,
      verify_ready: 0n,
      accept_valid: 0n,
      counter_overflow: 0n,
    };
    // the accept strobe of round i is at r.end; with Ts = 0 that is the next round's first cycle
    const accepting = c === r.end ? r : i > 0 && c === T[i - 1].end ? T[i - 1] : null;
    const finishedRounds = c >= r.end ? i + 1 : i;
    const last = T[finishedRounds - 1];
    out.rounds = BigInt(finishedRounds);
    out.accepted_tokens = BigInt(last ? last.tokensBefore + last.accepted.length : 0);
    out.total_cycles = BigInt(Math.min(c, this.endCycle));
    out.stall_cycles = BigInt(this.stallsBefore(r, c));
    if (accepting) {
      out.accept_valid = 1n;
      out.accept_count = BigInt(accepting.accepted.length);
      out.accept_matched = BigInt(accepting.matched);
      out.accept_tokens = packVec([...accepting.accepted, ...new Array<number>(this.shape.gammaMax + 1 - accepting.accepted.length).fill(0)], this.shape.tokenWidth);
    }
    if (c >= this.endCycle) {
      out.start_ready = 1n;
      out.busy = 0n;
      out.done = 1n;
      return out;
    }
    if (c < r.switchStart) {
      let j = 0;
      while (r.take[j] < c) j++;
      out.draft_step = BigInt(j);
      out.draft_step_start = b(c === r.stepStart[j]);
      out.draft_ready = b(c >= r.ask[j]);
    } else if (c < r.verifyStart) {
      out.mode_verify = 1n;
      out.mode_switching = 1n;
    } else if (c < r.end) {
      out.mode_verify = 1n;
      out.verify_start = b(c === r.verifyStart);
      out.verify_ready = b(c >= r.verifyAsk);
    } else {
      out.mode_switching = 1n; // switch back to draft mode before round i + 1
    }
    return out;
  }

  /** Stall cycles before cycle c (cycles in which the controller asked and the token was not there). */
  private stallsBefore(r: RoundTimeline, c: number): number {
    if (c >= this.endCycle) return this.golden.stallCycles;
    let s = r.stallsBefore;
    r.ask.forEach((a, j) => (s += Math.max(0, Math.min(r.delays[j], c - a))));
    s += Math.max(0, Math.min(r.verifyDelay, c - r.verifyAsk));
    return s;
  }
}

/** What the RTL reported during a run (read from its outputs only). */
export interface ObservedRun {
  /** Per round: cycles of its strobes and its accept event. */
  readonly rounds: {
    readonly startCycle: number;
    readonly draftStepStartCycles: number[];
    readonly verifyStartCycle: number;
    readonly endCycle: number;
    readonly matched: number;
    readonly accepted: number[];
  }[];
  readonly tokens: number[];
  /** The counters once the run is done. */
  readonly totalCycles: number;
  readonly acceptedTokens: number;
  readonly roundCount: number;
  readonly stallCycles: number;
  readonly counterOverflow: boolean;
  /** Cycles from the start cycle (-1) to the end of the run (the done cycle), both included. */
  readonly simulatedCycles: number;
  /** Cycle-by-cycle differences from the golden trace (first few), when a trace was given. */
  readonly mismatches: string[];
}

/** A reactive host: decides each cycle's inputs from the outputs of that cycle (all Moore outputs). */
export class SpecControllerHost {
  private cycle = -1; // -1: the start cycle
  private round = 0;
  private step = 0; // next draft token of this round
  private draftAskedAt: number | null = null;
  private verifyAskedAt: number | null = null;
  private draftEarly = false;
  private verifyEarly = false;
  private readonly observed: {
    startCycle: number;
    draftStepStartCycles: number[];
    verifyStartCycle: number;
    endCycle: number;
    matched: number;
    accepted: number[];
  }[] = [];
  private finalCounters: OutputValues | null = null;
  readonly mismatches: string[] = [];
  private readonly maxCycles: number;
  private readonly tokenMask: number;

  constructor(
    readonly shape: SpecControllerShape,
    readonly run: SpecControllerRun,
    private readonly rng: SeededRandom,
    private readonly opts: {
      /** Check every cycle against this golden trace. */
      readonly trace?: SpecControllerTrace;
      /** Probability that a token without delay is offered before the controller asks for it. */
      readonly early?: number;
      /** Probability of a (to be ignored) `start` pulse in each cycle of the run. */
      readonly startNoise?: number;
      /** Idle cycles checked after the run (default 2). */
      readonly tail?: number;
      readonly maxMismatches?: number;
    } = {},
  ) {
    const { gamma, timing } = run;
    // an upper bound from the stimulus alone (not from the golden model)
    const perRound = gamma * timing.draftCyclesPerStep + timing.verifyCyclesPerPass + 2 * timing.switchCycles;
    const delays = run.rounds.reduce((a, r) => a + (r.draftDelays ?? []).reduce((x, y) => x + y, 0) + (r.verifyDelay ?? 0), 0);
    this.maxCycles = run.rounds.length * perRound + delays + 16;
    this.tokenMask = 2 ** Math.min(shape.tokenWidth, 31) - 1;
  }

  /** True while the run (plus the tail of idle cycles after it) is not over. */
  get active(): boolean {
    return this.finalCounters === null || this.cycle <= this.doneCycle + (this.opts.tail ?? 2);
  }
  private doneCycle = Infinity;

  private garbage(): number {
    return this.rng.next32() & this.tokenMask;
  }

  /** Inputs for the current cycle given its outputs; then the caller steps the clock and calls again. */
  cycleInputs(out: OutputValues): InputValues {
    const c = this.cycle;
    if (c >= this.maxCycles) throw new Error(`spec-controller host: no end of the run after ${this.maxCycles} cycles (round ${this.round}, step ${this.step})`);
    this.check(c, out);
    if (c >= 0) this.observe(c, out);
    const { gamma, timing, rounds } = this.run;
    const W = this.shape.tokenWidth;
    const inp: InputValues = {
      start: 0n,
      cfg_gamma: BigInt(this.rng.below(this.shape.gammaMax + 1)),
      cfg_draft_cycles: BigInt(this.rng.below(4)),
      cfg_verify_cycles: BigInt(this.rng.below(4)),
      cfg_switch_cycles: BigInt(this.rng.below(4)),
      cfg_max_tokens: BigInt(this.rng.below(4)),
      cfg_max_rounds: BigInt(this.rng.below(4)),
      draft_valid: 0n,
      draft_token: BigInt(this.garbage()),
      verify_valid: 0n,
      verify_tokens: packVec(Array.from({ length: this.shape.gammaMax + 1 }, () => this.garbage()), W),
    };
    if (c === -1) {
      if (out.start_ready !== 1n) throw new Error('spec-controller host: the controller is not ready for a start');
      Object.assign(inp, {
        start: 1n,
        cfg_gamma: BigInt(gamma),
        cfg_draft_cycles: BigInt(timing.draftCyclesPerStep),
        cfg_verify_cycles: BigInt(timing.verifyCyclesPerPass),
        cfg_switch_cycles: BigInt(timing.switchCycles),
        cfg_max_tokens: BigInt(this.run.maxTokens ?? 0),
        cfg_max_rounds: BigInt(rounds.length),
      });
      this.cycle = 0;
      return inp;
    }
    // `start` while busy must be ignored (with garbage configuration); none once the run is done
    if (this.finalCounters === null) inp.start = this.rng.chance(this.opts.startNoise ?? 0) ? 1n : 0n;
    if (this.finalCounters === null && this.round < rounds.length) {
      const r = rounds[this.round];
      if (this.step < gamma) {
        const delay = r.draftDelays?.[this.step] ?? 0;
        if (out.draft_ready === 1n && this.draftAskedAt === null) this.draftAskedAt = c;
        const offer = this.draftAskedAt !== null ? c - this.draftAskedAt >= delay : delay === 0 && this.draftEarly;
        if (offer) {
          inp.draft_valid = 1n;
          inp.draft_token = BigInt(r.draft[this.step]);
        }
        if (offer && out.draft_ready === 1n) {
          this.step++;
          this.draftAskedAt = null;
          this.draftEarly = this.rng.chance(this.opts.early ?? 0);
        }
      } else {
        const delay = r.verifyDelay ?? 0;
        if (out.verify_ready === 1n && this.verifyAskedAt === null) this.verifyAskedAt = c;
        const offer = this.verifyAskedAt !== null ? c - this.verifyAskedAt >= delay : delay === 0 && this.verifyEarly;
        if (offer) {
          inp.verify_valid = 1n;
          inp.verify_tokens = packVec([...r.verify, ...Array.from({ length: this.shape.gammaMax - gamma }, () => this.garbage())], W);
        }
        if (offer && out.verify_ready === 1n) {
          this.round++;
          this.step = 0;
          this.verifyAskedAt = null;
          this.verifyEarly = this.rng.chance(this.opts.early ?? 0);
          this.draftEarly = this.rng.chance(this.opts.early ?? 0);
        }
      }
    }
    this.cycle++;
    return inp;
  }

  private check(c: number, out: OutputValues): void {
    const t = this.opts.trace;
    if (!t || this.mismatches.length >= (this.opts.maxMismatches ?? 8)) return;
    const exp = t.at(c);
    const bad = Object.entries(exp).filter(([k, v]) => v !== undefined && out[k as SpecControllerOutput] !== v);
    if (bad.length) this.mismatches.push(`cycle ${c}: ${bad.map(([k, v]) => `${k} = ${out[k as SpecControllerOutput]}, golden ${v}`).join('; ')}`);
  }

  private observe(c: number, out: OutputValues): void {
    const cur = this.observed[this.observed.length - 1];
    if (out.accept_valid === 1n && cur && cur.endCycle < 0) {
      cur.endCycle = c;
      cur.matched = Number(out.accept_matched);
      cur.accepted = unpackVec(out.accept_tokens, Number(out.accept_count), this.shape.tokenWidth);
    }
    if (out.draft_step_start === 1n) {
      if (out.draft_step === 0n) this.observed.push({ startCycle: c, draftStepStartCycles: [], verifyStartCycle: -1, endCycle: -1, matched: -1, accepted: [] });
      this.observed[this.observed.length - 1]?.draftStepStartCycles.push(c);
    }
    if (out.verify_start === 1n && this.observed.length) this.observed[this.observed.length - 1].verifyStartCycle = c;
    if (this.finalCounters === null && out.done === 1n) {
      this.finalCounters = { ...out };
      this.doneCycle = c;
    }
  }

  result(): ObservedRun {
    const f = this.finalCounters;
    if (!f) throw new Error('spec-controller host: the run has not finished');
    return {
      rounds: this.observed,
      tokens: this.observed.flatMap((r) => r.accepted),
      totalCycles: Number(f.total_cycles),
      acceptedTokens: Number(f.accepted_tokens),
      roundCount: Number(f.rounds),
      stallCycles: Number(f.stall_cycles),
      counterOverflow: f.counter_overflow === 1n,
      simulatedCycles: this.doneCycle + 2,
      mismatches: this.mismatches,
    };
  }
}

function readOutputs(peek: (name: string) => bigint): OutputValues {
  const o = {} as OutputValues;
  for (const n of SPEC_CONTROLLER_OUTPUTS) o[n] = peek(n);
  return o;
}

/** One run on the IR simulator, cycle by cycle (the simulator is left idle after the run). */
export function runOnIrSim(sim: IrSimulator, host: SpecControllerHost): ObservedRun {
  while (host.active) {
    const inp = host.cycleInputs(readOutputs((n) => sim.peek(n)));
    for (const [k, v] of Object.entries(inp)) sim.poke(k, v);
    sim.step();
  }
  return host.result();
}

/** One run on a Verilator model, cycle by cycle (one round trip per cycle). */
export async function runOnVerilator(sim: VerilatorSim, host: SpecControllerHost): Promise<ObservedRun> {
  let out = await peekAll(sim);
  while (host.active) {
    const inp = host.cycleInputs(out);
    const vals = await sim.run([...Object.entries(inp).map(([port, value]) => ({ op: 'poke' as const, port, value })), { op: 'step' }, ...SPEC_CONTROLLER_OUTPUTS.map((port) => ({ op: 'peek' as const, port }))]);
    out = Object.fromEntries(SPEC_CONTROLLER_OUTPUTS.map((n, k) => [n, vals[k]])) as OutputValues;
  }
  return host.result();
}

async function peekAll(sim: VerilatorSim): Promise<OutputValues> {
  const vals = await sim.run(SPEC_CONTROLLER_OUTPUTS.map((port) => ({ op: 'peek' as const, port })));
  return Object.fromEntries(SPEC_CONTROLLER_OUTPUTS.map((n, k) => [n, vals[k]])) as OutputValues;
}

/**
 * The host's inputs for cycles -1 .. trace.endCycle + tail, precomputed from the golden timeline
 * (tokens offered exactly when taken; other cycles carry garbage with valid low), as input columns for
 * `checkAgainstGolden` in clocked mode: vector k is cycle k - 1.
 */
export function scheduledInputs(shape: SpecControllerShape, trace: SpecControllerTrace, rng: SeededRandom, tail = 2): Record<string, bigint[]> {
  const { run } = trace;
  const n = trace.endCycle + 1 + tail;
  const W = shape.tokenWidth;
  const mask = 2 ** Math.min(W, 31) - 1;
  const g = () => BigInt(rng.next32() & mask);
  const cols: Record<string, bigint[]> = {
    start: [],
    cfg_gamma: [],
    cfg_draft_cycles: [],
    cfg_verify_cycles: [],
    cfg_switch_cycles: [],
    cfg_max_tokens: [],
    cfg_max_rounds: [],
    draft_valid: [],
    draft_token: [],
    verify_valid: [],
    verify_tokens: [],
  };
  const takes = new Map<number, { round: number; step: number }>();
  const verifyTakes = new Map<number, number>();
  trace.timelines.forEach((r, i) => {
    r.take.forEach((t, j) => takes.set(t, { round: i, step: j }));
    verifyTakes.set(r.verifyTake, i);
  });
  for (let k = 0; k < n; k++) {
    const c = k - 1;
    const first = c === -1;
    cols.start.push(first ? 1n : 0n);
    cols.cfg_gamma.push(first ? BigInt(run.gamma) : BigInt(rng.below(shape.gammaMax + 1)));
    cols.cfg_draft_cycles.push(first ? BigInt(run.timing.draftCyclesPerStep) : BigInt(rng.below(4)));
    cols.cfg_verify_cycles.push(first ? BigInt(run.timing.verifyCyclesPerPass) : BigInt(rng.below(4)));
    cols.cfg_switch_cycles.push(first ? BigInt(run.timing.switchCycles) : BigInt(rng.below(4)));
    cols.cfg_max_tokens.push(first ? BigInt(run.maxTokens ?? 0) : BigInt(rng.below(4)));
    cols.cfg_max_rounds.push(first ? BigInt(run.rounds.length) : BigInt(rng.below(4)));
    const d = takes.get(c);
    cols.draft_valid.push(d ? 1n : 0n);
    cols.draft_token.push(d ? BigInt(run.rounds[d.round].draft[d.step]) : g());
    const v = verifyTakes.get(c);
    cols.verify_valid.push(v !== undefined ? 1n : 0n);
    const rest = Array.from({ length: shape.gammaMax - run.gamma }, () => Number(g()));
    cols.verify_tokens.push(v !== undefined ? packVec([...run.rounds[v].verify, ...rest], W) : packVec(Array.from({ length: shape.gammaMax + 1 }, () => Number(g())), W));
  }
  return cols;
}

/**
 * A round with a random acceptance pattern: verify tokens uniform over `tokenWidth` bits; each draft
 * token equals the verify token at its position with probability `alpha`, else differs from it.
 */
export function randomRound(rng: SeededRandom, gamma: number, alpha: number, tokenWidth: number): SpecRoundInput {
  if (tokenWidth < 1) throw new RangeError('tokenWidth must be >= 1');
  const mask = 2 ** Math.min(tokenWidth, 31) - 1;
  const verify = Array.from({ length: gamma + 1 }, () => rng.next32() & mask);
  const draft = verify.slice(0, gamma).map((v) => (rng.chance(alpha) ? v : (v + 1 + (rng.next32() % mask)) & mask));
  return { draft, verify };
}

// ---- event-driven runs (benchmarks) ----------------------------------------------------------------

/** The simulator operations an event-driven run needs (IR simulator or Verilator). */
export interface ControllerDriver {
  poke(port: string, value: bigint): void;
  step(cycles: number): void;
  peek(ports: readonly string[]): Promise<bigint[]>;
}

export function irDriver(sim: IrSimulator): ControllerDriver {
  return {
    poke: (p, v) => sim.poke(p, v),
    step: (n) => sim.step(n),
    peek: (ports) => Promise.resolve(ports.map((p) => sim.peek(p))),
  };
}

export function verilatorDriver(sim: VerilatorSim): ControllerDriver {
  return {
    poke: (p, v) => sim.poke(p, v),
    step: (n) => sim.step(n),
    peek: (ports) => sim.run(ports.map((port) => ({ op: 'peek' as const, port }))),
  };
}

export interface FastRunResult {
  readonly tokens: number[];
  /** The controller's counters at the end of the run. */
  readonly totalCycles: number;
  readonly acceptedTokens: number;
  readonly roundCount: number;
  readonly stallCycles: number;
  readonly counterOverflow: boolean;
}

/**
 * One run on a fixed schedule, for benchmarks: the host offers each token (valid for exactly one
 * cycle) in the cycle the configured timing says the controller asks for it (Td - 1 cycles into a
 * draft step, Ts + Tv - 1 cycles after the last draft token), stepping the clock in bulk without
 * looking, and reads the accept strobe once per round, in the cycle after the verify tokens. A
 * controller off that schedule is caught: asking later misses the offer and never accepts (an error
 * here), asking earlier stalls until the offer (`stall_cycles` > 0, which the caller checks).
 * One simulator round trip per round; the cycle-by-cycle check is `runOnIrSim` / `runOnVerilator`.
 */
export async function runEventDriven(d: ControllerDriver, shape: SpecControllerShape, run: SpecControllerRun): Promise<FastRunResult> {
  const { gamma, timing, rounds } = run;
  const W = shape.tokenWidth;
  const [ready0] = await d.peek(['start_ready']);
  if (ready0 !== 1n) throw new Error('spec-controller: not ready for a start');
  const cfg: Record<string, number> = {
    cfg_gamma: gamma,
    cfg_draft_cycles: timing.draftCyclesPerStep,
    cfg_verify_cycles: timing.verifyCyclesPerPass,
    cfg_switch_cycles: timing.switchCycles,
    cfg_max_tokens: run.maxTokens ?? 0,
    cfg_max_rounds: rounds.length,
  };
  for (const [k, v] of Object.entries(cfg)) d.poke(k, BigInt(v));
  d.poke('draft_valid', 0n);
  d.poke('verify_valid', 0n);
  d.poke('start', 1n);
  d.step(1);
  d.poke('start', 0n);
  const tokens: number[] = [];
  let skip = timing.draftCyclesPerStep - 1; // to the last cycle of draft step 0
  for (let i = 0; i < rounds.length; i++) {
    const r = rounds[i];
    for (let j = 0; j < gamma; j++) {
      d.step(skip);
      d.poke('draft_valid', 1n);
      d.poke('draft_token', BigInt(r.draft[j]));
      d.step(1);
      d.poke('draft_valid', 0n);
      skip = timing.draftCyclesPerStep - 1;
    }
    d.step(timing.switchCycles + timing.verifyCyclesPerPass - 1);
    d.poke('verify_valid', 1n);
    d.poke('verify_tokens', packVec([...r.verify, ...new Array<number>(shape.gammaMax - gamma).fill(0)], W));
    d.step(1);
    d.poke('verify_valid', 0n);
    const [valid, count, tok, done] = await d.peek(['accept_valid', 'accept_count', 'accept_tokens', 'done']);
    if (valid !== 1n) throw new Error(`spec-controller: no accept strobe in the cycle after round ${i}'s verify tokens were offered (the controller is off the configured schedule)`);
    tokens.push(...unpackVec(tok, Number(count), W));
    if (done === 1n) break;
    skip = timing.switchCycles + timing.draftCyclesPerStep - 1;
  }
  const [total, acc, rc, st, ov, done] = await d.peek(['total_cycles', 'accepted_tokens', 'rounds', 'stall_cycles', 'counter_overflow', 'done']);
  if (done !== 1n) throw new Error('spec-controller: not done after the last round');
  return { tokens, totalCycles: Number(total), acceptedTokens: Number(acc), roundCount: Number(rc), stallCycles: Number(st), counterOverflow: ov === 1n };
}
