/**
 * Golden model of the MoE-SpeQ speculation-depth governor (spec: /work/shared/specs/routing_prefetch.md,
 * "Governor"; RTL: hdl-gen/units/routing/rtl/spec-governor.ts, matched bit for bit and cycle for cycle).
 *
 * The governor keeps two moving averages and, on request, picks the draft length k in 1..kMax that
 * maximises Theta(k) = N(k) / T(k) (accepted tokens per cycle).
 *
 * Fixed-point encodings (all values are non-negative integers, "raw"):
 *   p      acceptance probability of one draft token, Q0.F (F = pFracBits): p = raw / 2^F, raw in [0, 2^F]
 *          (F + 1 bits, so 1.0 is representable).
 *   loads  expert loads per verified position, UQ(LW).(Fl): loads = raw / 2^Fl, raw < 2^(LW + Fl).
 *   cycles every timing input is an integer number of cycles; T(k) is kept in units of 2^-Fl cycle.
 *
 * Update (one verify round reports k drafted tokens, `accepted` of them accepted, `loads` expert loads
 * observed for its k + 1 positions). DECISION: both averages are division-free ratio-of-sums (LMS)
 * updates, each a subtract, a multiply by a small integer, a constant add and an arithmetic shift:
 *   trials t = accepted + (accepted < k ? 1 : 0)   (the accepted prefix, plus the rejected token if any:
 *                                                  each is one Bernoulli trial of the per-token p_i)
 *   p     <- p + floor((accepted * 2^F - t * p + h(pShift)) / 2^pShift)
 *   n = k + 1 verified positions
 *   loads <- loads + floor((loads_observed * 2^Fl - n * loads + h(loadsShift)) / 2^loadsShift)
 * h(s) = 2^(s-1) for s >= 1, 0 for s = 0: round half up (plain truncation would bias the averages
 * down by about 2^(s-1) / n raw units in steady state). floor is an arithmetic right shift (toward
 * minus infinity). The fixed points are
 * p = E[accepted] / E[t] (the per-token acceptance, which is what prod p_i needs; accepted / k would
 * under-estimate it because tokens after the first rejection are never tried) and
 * loads = E[loads_observed] / E[n]. With 2^pShift >= kMax and 2^loadsShift >= kMax + 1 (checked), the gain
 * t / 2^pShift (n / 2^loadsShift) is at most 1, so (rounding included) p stays in [0, 2^F] and loads in [0, 2^(LW+Fl)) with
 * no clamping. k = 0 (a round without drafting) leaves p unchanged and updates loads with n = 1.
 * An update with k > kMax or accepted > k is refused: no change, and `upd_error` is set (cleared by
 * the next valid update).
 *
 * Choice (p_i = p for every i, as the system model does):
 *   q_0 = 2^F, q_j = floor(q_{j-1} * p / 2^F)                    (p^j, truncated at each step)
 *   N(k) = (bonusToken ? 2^F : 0) + sum_{j=1..k} q_j             (expected accepted tokens, Q.F)
 *   T(k) = ((max(k*Td, Tinit) + Tnew_fixed + Tverify_base + (k+1)*Tverify_pos) << Fl)
 *          + (k+1) * loads * Tload                                (exact, units of 2^-Fl cycle)
 *   i.e. T_cycle(k) = max(T_draft(k), T_init) + T_new(k) + T_verify(k+1) with
 *   T_draft(k) = k Td, T_new(k) = Tnew_fixed + (k+1) loads Tload, T_verify(n) = Tverify_base + n Tverify_pos.
 *   best = 1; for k = 2..kMax: best = k if N(k) * T(best) > N(best) * T(k) (cross-multiplication, no
 *   divider; ties keep the smaller k). Paper formula: bonusToken = false (the verify pass's extra token
 *   is not counted); bonusToken = true counts it (N(k) = sum_{j=0..k} p^j, expected tokens per round).
 *
 * Cycle behaviour (one call of `cycle` = one clock; outputs from the state at the start of the cycle
 * and this cycle's inputs; the state changes at the clock edge). Commands are taken only while idle,
 * one per cycle, priority set > update > choose:
 *   set_ready    = idle                             set_valid: p <- min(set_p, 2^F), loads <- set_loads
 *   upd_ready    = idle and not set_valid            upd_valid: the update above
 *   choose_ready = idle and not set_valid and not upd_valid
 * A choose taken in cycle c samples the six cfg_* inputs in cycle c (they may change afterwards),
 * evaluates k = 1..kMax in cycles c+1..c+kMax (`busy`), and in cycle c+kMax+1 `k_valid` pulses for one
 * cycle with k_out = best, k_num = N(best), k_cycles = T(best); these hold until the next result
 * (0 after reset). In that cycle the governor is idle again and takes a new command.
 */
import { UserError } from '../../../errors.ts';

export interface SpecGovernorParams {
  /** Largest speculation depth (1..16). */
  readonly kMax: number;
  /** F: fractional bits of p (4..24); default 16. */
  readonly pFracBits?: number;
  /** LW: bits of the observed-loads input and integer bits of the loads average (1..24); default 16. */
  readonly loadsIntBits?: number;
  /** Fl: fractional bits of the loads average (0..16); default 8. */
  readonly loadsFracBits?: number;
  /** Bits of the cfg_* cycle inputs (1..32); default 16. */
  readonly timingWidth?: number;
  /** Averaging shift of p (2^pShift >= kMax, at most 20); default clog2(kMax) + 2. */
  readonly pShift?: number;
  /** Averaging shift of loads (2^loadsShift >= kMax + 1, at most 20); default clog2(kMax + 1) + 2. */
  readonly loadsShift?: number;
  /** Reset value of p in [0, 1], encoded floor(pInit * 2^F); default 0.9. */
  readonly pInit?: number;
  /** Reset value of loads per position in [0, 2^LW), encoded floor(loadsInit * 2^Fl); default 0. */
  readonly loadsInit?: number;
  /** Count the verify pass's bonus token in N(k); default false (the paper's formula). */
  readonly bonusToken?: boolean;
}

export type ResolvedGovernorParams = Required<SpecGovernorParams>;

export const SPEC_GOVERNOR_LIMITS = { kMax: 16, pFracBits: [4, 24], loadsIntBits: [1, 24], loadsFracBits: [0, 16], timingWidth: [1, 32], shift: 20 } as const;

const log2ceil = (n: number): number => {
  let w = 0;
  while (2 ** w < n) w++;
  return w;
};

function checkInt(name: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new UserError(`MoeSpecGovernor: ${name} must be an integer from ${lo} to ${hi}, got ${String(v)}`);
}

/** The parameters with defaults applied, validated (UserError naming the bad one). */
export function specGovernorParams(p: SpecGovernorParams): ResolvedGovernorParams {
  const L = SPEC_GOVERNOR_LIMITS;
  checkInt('kMax', p.kMax, 1, L.kMax);
  const r: ResolvedGovernorParams = {
    kMax: p.kMax,
    pFracBits: p.pFracBits ?? 16,
    loadsIntBits: p.loadsIntBits ?? 16,
    loadsFracBits: p.loadsFracBits ?? 8,
    timingWidth: p.timingWidth ?? 16,
    pShift: p.pShift ?? Math.max(1, log2ceil(p.kMax)) + 2,
    loadsShift: p.loadsShift ?? log2ceil(p.kMax + 1) + 2,
    pInit: p.pInit ?? 0.9,
    loadsInit: p.loadsInit ?? 0,
    bonusToken: p.bonusToken ?? false,
  };
  checkInt('pFracBits', r.pFracBits, ...L.pFracBits);
  checkInt('loadsIntBits', r.loadsIntBits, ...L.loadsIntBits);
  checkInt('loadsFracBits', r.loadsFracBits, ...L.loadsFracBits);
  checkInt('timingWidth', r.timingWidth, ...L.timingWidth);
  checkInt('pShift', r.pShift, 0, L.shift);
  checkInt('loadsShift', r.loadsShift, 0, L.shift);
  if (2 ** r.pShift < r.kMax) throw new UserError(`MoeSpecGovernor: pShift must satisfy 2^pShift >= kMax (${r.kMax}) so an update cannot overshoot, got ${r.pShift}`);
  if (2 ** r.loadsShift < r.kMax + 1) throw new UserError(`MoeSpecGovernor: loadsShift must satisfy 2^loadsShift >= kMax + 1 (${r.kMax + 1}) so an update cannot overshoot, got ${r.loadsShift}`);
  if (typeof r.pInit !== 'number' || !(r.pInit >= 0 && r.pInit <= 1)) throw new UserError(`MoeSpecGovernor: pInit must be a number from 0 to 1, got ${String(r.pInit)}`);
  if (typeof r.loadsInit !== 'number' || !(r.loadsInit >= 0 && r.loadsInit < 2 ** r.loadsIntBits)) {
    throw new UserError(`MoeSpecGovernor: loadsInit must be a number from 0 to below 2^loadsIntBits (${2 ** r.loadsIntBits}), got ${String(r.loadsInit)}`);
  }
  if (typeof r.bonusToken !== 'boolean') throw new UserError(`MoeSpecGovernor: bonusToken must be true or false, got ${String(r.bonusToken)}`);
  return r;
}

const bitLength = (x: bigint): number => Math.max(1, x.toString(2).length);

/** Port and register widths, derived from the largest value each can hold. */
export function governorWidths(params: SpecGovernorParams) {
  const p = specGovernorParams(params);
  const K = BigInt(p.kMax);
  const M = (1n << BigInt(p.timingWidth)) - 1n; // largest cycle input
  const loadsMax = (1n << BigInt(p.loadsIntBits + p.loadsFracBits)) - 1n;
  const one = 1n << BigInt(p.pFracBits);
  const intMax = (2n * K + 3n) * M; // max(k Td, Tinit) + Tnew_fixed + Tverify_base + (k+1) Tverify_pos
  return {
    /** k, accepted: 0..kMax. */
    k: bitLength(K),
    p: p.pFracBits + 1,
    loads: p.loadsIntBits + p.loadsFracBits,
    draft: bitLength(K * M),
    verifyPos: bitLength((K + 1n) * M),
    loadStep: bitLength(loadsMax * M),
    loadTotal: bitLength((K + 1n) * loadsMax * M),
    cycleInt: bitLength(intMax),
    /** T(k) in units of 2^-Fl cycle. */
    cycles: bitLength((intMax << BigInt(p.loadsFracBits)) + (K + 1n) * loadsMax * M),
    /** N(k), Q.F. */
    num: bitLength((K + (p.bonusToken ? 1n : 0n)) * one),
  };
}

/** floor(x * 2^frac): the encoding of a real value (exact: x * 2^frac is a power-of-two scaling). */
export function encodeFixed(x: number, frac: number): number {
  return Math.floor(x * 2 ** frac);
}

/** The averages, raw (see the encodings above). */
export interface GovernorStats {
  /** p, Q0.F in [0, 2^F]. */
  readonly p: number;
  /** Loads per verified position, units of 2^-Fl. */
  readonly loads: number;
}

/** One verify round's report. */
export interface GovernorObservation {
  /** Draft tokens of the round (0..kMax). */
  readonly k: number;
  /** Of those, the accepted prefix (0..k). */
  readonly accepted: number;
  /** Expert loads observed for the round's k + 1 positions (0..2^LW - 1). */
  readonly loads: number;
}

/** Timing inputs, integer cycles (0..2^timingWidth - 1). */
export interface GovernorTiming {
  /** Td: cycles to draft one token. */
  readonly draftCycles: number;
  /** T_init: the drafting phase takes at least this long (e.g. initial loads overlapping it). */
  readonly initCycles: number;
  /** Fixed part of T_new. */
  readonly newFixedCycles: number;
  /** Cycles of one expert load (expert bytes / link bandwidth, plus latency). */
  readonly loadCycles: number;
  /** T_verify(n) = verifyBaseCycles + n * verifyPerPosCycles. */
  readonly verifyBaseCycles: number;
  readonly verifyPerPosCycles: number;
}

export interface GovernorChoice {
  /** The chosen depth, 1..kMax. */
  readonly k: number;
  /** N(k), Q.F. */
  readonly num: bigint;
  /** T(k), units of 2^-Fl cycle. */
  readonly cycles: bigint;
}

/** The reset values of the averages. */
export function initialGovernorStats(params: SpecGovernorParams): GovernorStats {
  const p = specGovernorParams(params);
  return { p: encodeFixed(p.pInit, p.pFracBits), loads: encodeFixed(p.loadsInit, p.loadsFracBits) };
}

/** Whether the hardware takes this observation (k <= kMax, accepted <= k); refused ones change nothing. */
export function observationValid(params: SpecGovernorParams, o: GovernorObservation): boolean {
  const p = specGovernorParams(params);
  return o.k <= p.kMax && o.accepted <= o.k;
}

/** floor((x + h(s)) / 2^s): round half up (BigInt >> is an arithmetic, flooring shift). */
const roundShift = (x: bigint, s: number): bigint => (x + (s === 0 ? 0n : 1n << BigInt(s - 1))) >> BigInt(s);

/**
 * The averages after one verify round (the RTL's `upd` command). A refused observation (k > kMax or
 * accepted > k) returns the stats unchanged. Throws RangeError on values outside the port widths.
 */
export function updateGovernorStats(params: SpecGovernorParams, s: GovernorStats, o: GovernorObservation): GovernorStats {
  const p = specGovernorParams(params);
  const w = governorWidths(p);
  for (const [name, v, bits] of [
    ['k', o.k, w.k],
    ['accepted', o.accepted, w.k],
    ['loads', o.loads, p.loadsIntBits],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** bits) throw new RangeError(`governor update: ${name} must be an integer in [0, 2^${bits}), got ${v}`);
  }
  checkStats(p, s);
  if (!observationValid(p, o)) return s;
  const F = BigInt(p.pFracBits);
  const t = BigInt(o.accepted + (o.accepted < o.k ? 1 : 0));
  const pNew = BigInt(s.p) + roundShift((BigInt(o.accepted) << F) - t * BigInt(s.p), p.pShift);
  const n = BigInt(o.k + 1);
  const lNew = BigInt(s.loads) + roundShift((BigInt(o.loads) << BigInt(p.loadsFracBits)) - n * BigInt(s.loads), p.loadsShift);
  if (pNew < 0n || pNew > 1n << F) throw new Error(`governor: p left [0, 2^F]: ${pNew}`); // impossible by the shift bounds
  if (lNew < 0n || lNew >= 1n << BigInt(w.loads)) throw new Error(`governor: loads left its range: ${lNew}`);
  return { p: Number(pNew), loads: Number(lNew) };
}

/** The stats after a `set` command (p clamped to 2^F). */
export function setGovernorStats(params: SpecGovernorParams, pRaw: number, loadsRaw: number): GovernorStats {
  const p = specGovernorParams(params);
  return { p: Math.min(pRaw, 2 ** p.pFracBits), loads: loadsRaw };
}

/** N(k) for k = 0..kMax (index k). */
export function governorNumerators(params: SpecGovernorParams, pRaw: number): bigint[] {
  const p = specGovernorParams(params);
  const F = BigInt(p.pFracBits);
  const one = 1n << F;
  const out = [p.bonusToken ? one : 0n];
  let q = one;
  for (let k = 1; k <= p.kMax; k++) {
    q = (q * BigInt(pRaw)) >> F;
    out.push(out[k - 1] + q);
  }
  return out;
}

/** T(k) in units of 2^-Fl cycle. */
export function governorCycles(params: SpecGovernorParams, loadsRaw: number, t: GovernorTiming, k: number): bigint {
  const p = specGovernorParams(params);
  const K = BigInt(k);
  const draft = K * BigInt(t.draftCycles);
  const init = BigInt(t.initCycles);
  const whole = (draft > init ? draft : init) + BigInt(t.newFixedCycles) + BigInt(t.verifyBaseCycles) + (K + 1n) * BigInt(t.verifyPerPosCycles);
  return (whole << BigInt(p.loadsFracBits)) + (K + 1n) * BigInt(loadsRaw) * BigInt(t.loadCycles);
}

function checkTiming(p: ResolvedGovernorParams, t: GovernorTiming): void {
  for (const [name, v] of Object.entries(t)) {
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** p.timingWidth) throw new RangeError(`governor timing: ${name} must be an integer in [0, 2^${p.timingWidth}), got ${v}`);
  }
}

function checkStats(p: ResolvedGovernorParams, s: GovernorStats): void {
  if (!Number.isInteger(s.p) || s.p < 0 || s.p > 2 ** p.pFracBits) throw new RangeError(`governor stats: p must be an integer in [0, 2^${p.pFracBits}], got ${s.p}`);
  const lw = p.loadsIntBits + p.loadsFracBits;
  if (!Number.isInteger(s.loads) || s.loads < 0 || s.loads >= 2 ** lw) throw new RangeError(`governor stats: loads must be an integer in [0, 2^${lw}), got ${s.loads}`);
}

/** The depth the hardware chooses for these averages and timing inputs (the RTL's `choose` command). */
export function chooseSpeculationDepth(params: SpecGovernorParams, s: GovernorStats, t: GovernorTiming): GovernorChoice {
  const p = specGovernorParams(params);
  checkTiming(p, t);
  checkStats(p, s);
  const N = governorNumerators(p, s.p);
  let best: GovernorChoice = { k: 1, num: N[1], cycles: governorCycles(p, s.loads, t, 1) };
  for (let k = 2; k <= p.kMax; k++) {
    const T = governorCycles(p, s.loads, t, k);
    if (N[k] * best.cycles > best.num * T) best = { k, num: N[k], cycles: T };
  }
  return best;
}

// ---- cycle-level model of the RTL's ports -----------------------------------------------------------

export interface SpecGovernorInputs {
  readonly set_valid: boolean;
  readonly set_p: number;
  readonly set_loads: number;
  readonly upd_valid: boolean;
  readonly upd_k: number;
  readonly upd_accepted: number;
  readonly upd_loads: number;
  readonly choose_valid: boolean;
  readonly cfg_draft_cycles: number;
  readonly cfg_init_cycles: number;
  readonly cfg_new_fixed: number;
  readonly cfg_load_cycles: number;
  readonly cfg_verify_base: number;
  readonly cfg_verify_per_pos: number;
}

export interface SpecGovernorOutputs {
  readonly set_ready: boolean;
  readonly upd_ready: boolean;
  readonly choose_ready: boolean;
  readonly busy: boolean;
  readonly upd_error: boolean;
  readonly k_valid: boolean;
  readonly k_out: number;
  readonly k_num: bigint;
  readonly k_cycles: bigint;
  readonly p_out: number;
  readonly loads_out: number;
}

export function timingOf(i: SpecGovernorInputs): GovernorTiming {
  return {
    draftCycles: i.cfg_draft_cycles,
    initCycles: i.cfg_init_cycles,
    newFixedCycles: i.cfg_new_fixed,
    loadCycles: i.cfg_load_cycles,
    verifyBaseCycles: i.cfg_verify_base,
    verifyPerPosCycles: i.cfg_verify_per_pos,
  };
}

/** The governor cycle by cycle (see the header for the timeline). */
export class SpecGovernorModel {
  readonly params: ResolvedGovernorParams;
  private stats: GovernorStats;
  private updError = false;
  /** Cycles of evaluation left (0 = idle). */
  private remaining = 0;
  private pending: GovernorChoice | null = null;
  private result: GovernorChoice = { k: 0, num: 0n, cycles: 0n };
  private resultValid = false;

  constructor(params: SpecGovernorParams) {
    this.params = specGovernorParams(params);
    this.stats = initialGovernorStats(this.params);
  }

  get current(): GovernorStats {
    return this.stats;
  }

  cycle(i: SpecGovernorInputs): SpecGovernorOutputs {
    const idle = this.remaining === 0;
    const out: SpecGovernorOutputs = {
      set_ready: idle,
      upd_ready: idle && !i.set_valid,
      choose_ready: idle && !i.set_valid && !i.upd_valid,
      busy: !idle,
      upd_error: this.updError,
      k_valid: this.resultValid,
      k_out: this.result.k,
      k_num: this.result.num,
      k_cycles: this.result.cycles,
      p_out: this.stats.p,
      loads_out: this.stats.loads,
    };
    // clock edge
    this.resultValid = false;
    if (!idle) {
      this.remaining--;
      if (this.remaining === 0) {
        this.result = this.pending!;
        this.resultValid = true;
      }
    } else if (i.set_valid) {
      this.stats = setGovernorStats(this.params, i.set_p, i.set_loads);
    } else if (i.upd_valid) {
      const o = { k: i.upd_k, accepted: i.upd_accepted, loads: i.upd_loads };
      this.updError = !observationValid(this.params, o);
      this.stats = updateGovernorStats(this.params, this.stats, o);
    } else if (i.choose_valid) {
      this.pending = chooseSpeculationDepth(this.params, this.stats, timingOf(i));
      this.remaining = this.params.kMax;
    }
    return out;
  }
}
