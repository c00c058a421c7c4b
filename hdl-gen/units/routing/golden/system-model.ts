/**
 * Event-level system model of MoE decoding on this hardware, replaying a routing trace
 * (trace.ts) under four policies: no prefetch, MoBiLE big/little, MoE-SpeQ predicted prefetch, both.
 *
 * What is modelled (times in seconds, from the parameters):
 * - Per layer of a pass over n tokens: dense part (attention projections) max(denseBytes / memBW,
 *   array time of n tokens), the router (routerCycles: the TopKRouter RTL's latency, K + 2), then every
 *   expert the layer's tokens need: max(expertBytes / memBW, array time of the m tokens routed to it),
 *   experts computed one after another in order of arrival. Array time (PeArrayTiming, measured on the
 *   SpeqPeArray RTL): ceil(m / R) x MACs / C x cycles per K element + fill/drain; a pass of up to R
 *   tokens costs the same array time as one token, which is what speculative verification exploits.
 * - Expert cache: the tag store of the ExpertCache unit (tag-store.ts: LRU, pinned set, one copy per
 *   expert; the experts of the running layer are excluded from eviction). Under speculation the
 *   lookahead buffer makes replacement Belady-like (Engine.evictionVictim). `pinned` most popular
 *   experts of the trace are preloaded and pinned at time 0.
 * - Host link: one load at a time, linkLatency + expertBytes / linkBandwidth each (the controller's
 *   link model). Demand misses issue at once, after the transfer in progress (no preemption).
 *   Prefetches wait in a FIFO of queueDepth and start only while the link would otherwise idle
 *   before the next demand (demand has priority, as in the controller); a prefetch of a resident or
 *   in-flight expert is dropped and touches it (LRU), a prefetch with no evictable slot is dropped.
 * - Policies:
 *   - `baseline`: one pass per token with its K experts, loads on demand.
 *   - `mobile`: one little pass per token (ranks < floor(K/2)); with `spareHints`, ranks >= K/2 are
 *     prefetch hints at each layer (spec DECISION); tokens the trace marks `important` are redone in
 *     a big pass (all K).
 *   - `speq`: speculative decoding: draft k tokens (draft experts resident on the device at
 *     draftFraction of the size, run in the array's draft mode; drafting time k L (dense + K draft
 *     experts)), prefetching the
 *     draft's predicted experts (trace `pred`) for the k + 1 positions as each drafted token is
 *     produced, then one verify pass over the k + 1 positions (each expert loaded and read once for
 *     all tokens routed to it). Accepted = leading `accept` flags of the k drafted tokens; produced =
 *     accepted + 1. k from the governor (below) or fixed.
 *     With `mobileSkip`, the controller's skip option replaces the re-runs (see SystemParams).
 *   - `both`: speq whose verify pass uses the little sets (spare ranks as hints), followed by a big
 *     pass over the produced tokens the trace marks important.
 * - Governor (MoE-SpeQ, spec): the MoeSpecGovernor unit's golden model (spec-governor.ts, bit-exact
 *   with its RTL): k in 1..kMax maximising Theta(k) = sum_{j<=k} p^j / T_cycle(k), T_cycle(k) =
 *   T_draft(k) + T_new(k) + T_verify(k + 1), T_new(k) = (k + 1) x (moving average of loads per
 *   verified position) x load cycles, T_verify(n) the line through the compute model's n = 1 and
 *   n = kMax + 1 (min(n K, E) experts per layer), p the moving average of the per-token acceptance;
 *   fixed point, compared by cross-multiplication.
 * Not modelled: KV cache and attention growth with context, bubbles between layers, the host side
 * of the transfer, PCIe protocol effects beyond one latency per load, batching > 1, energy.
 */
import { UserError } from '../../../errors.ts';
import { SPEC_GOVERNOR_LIMITS, chooseSpeculationDepth, initialGovernorStats, updateGovernorStats, type GovernorStats, type GovernorTiming, type SpecGovernorParams } from './spec-governor.ts';
import { TagStore } from './tag-store.ts';
import type { RoutingTrace, TraceToken } from './trace.ts';

export type Policy = 'baseline' | 'mobile' | 'speq' | 'both';
export const POLICIES: readonly Policy[] = ['baseline', 'mobile', 'speq', 'both'];

/**
 * The PE array's timing (SpeqPeArray: output-stationary, the tokens of a pass on its R rows, output
 * features on its C columns, one K element per step), measured on the RTL by the caller
 * (verif/speq/array-timing.ts) since golden models do not run hardware.
 */
export interface PeArrayTiming {
  readonly rows: number;
  readonly cols: number;
  /** Steady-state cycles per K element: verify mode (one FP16 weight per PE step) and draft mode (four). */
  readonly verifyCyclesPerK: number;
  readonly draftCyclesPerK: number;
  /** Fill + drain of one back-to-back run of tiles (once per expert or dense block). */
  readonly edgeCycles: number;
}

export interface SystemParams {
  /** Accelerator clock (Hz). */
  readonly clockHz: number;
  /** The PE array that computes the dense part and the experts. */
  readonly array: PeArrayTiming;
  /** On-device memory bandwidth for weights (bytes/s). */
  readonly memBytesPerSecond: number;
  /** Host link bandwidth (bytes/s) and per-load latency (s). */
  readonly linkBytesPerSecond: number;
  readonly linkLatencySeconds: number;
  /** Expert slots on the device. */
  readonly cacheSlots: number;
  /** Most popular experts preloaded and pinned. */
  readonly pinned: number;
  readonly queueDepth: number;
  /** Bytes and MACs (per token) of one expert. */
  readonly expertBytes: number;
  readonly expertMacs: number;
  /** Bytes and MACs (per token) of the dense part of one layer (resident). */
  readonly denseBytes: number;
  readonly denseMacs: number;
  /** Draft expert size relative to the target's (INT4 of BF16 = 0.25 plus scales). */
  readonly draftFraction: number;
  /** Speculation depth: 'auto' = governor, else fixed k. */
  readonly speculate: number | 'auto';
  readonly kMax: number;
  /** Router latency per layer in cycles (the TopKRouter's K + 2; the bench measures it on the RTL). */
  readonly routerCycles: number;
  /**
   * MoBiLE with the ExpertCache's skip option instead of re-runs: one pass per token; important
   * tokens use all K ranks, the others use the little ranks plus any big-only rank that is resident
   * or in flight (absent ones are skipped, not loaded). Needs importance before the pass (e.g. a
   * predictor); the re-run form ([paper]) is the default.
   */
  readonly mobileSkip: boolean;
  /** MoBiLE: issue the spare ranks (K/2..K-1) as prefetch hints during little passes (spec DECISION). */
  readonly spareHints: boolean;
}

export interface PolicyResult {
  readonly policy: Policy;
  readonly tokens: number;
  readonly seconds: number;
  readonly tokensPerSecond: number;
  readonly demandHits: number;
  readonly demandInflight: number;
  readonly demandMisses: number;
  readonly prefetchLoads: number;
  readonly bytesLoaded: number;
  readonly linkBusySeconds: number;
  readonly passes: number;
  readonly fallbackPasses: number;
  /** Big-only experts skipped because absent (mobileSkip). */
  readonly skips: number;
  /** Mean speculation depth (speq, both). */
  readonly meanK: number | null;
}

export function validateSystemParams(p: SystemParams, trace: RoutingTrace): void {
  const pos = (name: keyof SystemParams) => {
    const v = p[name];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new UserError(`model: ${name} must be a positive number, got ${String(v)}`);
  };
  for (const n of ['rows', 'cols'] as const) if (!Number.isInteger(p.array[n]) || p.array[n] < 1) throw new UserError(`model: array.${n} must be a positive integer, got ${p.array[n]}`);
  for (const n of ['verifyCyclesPerK', 'draftCyclesPerK'] as const) if (!(p.array[n] > 0) || !Number.isFinite(p.array[n])) throw new UserError(`model: array.${n} must be a positive number, got ${p.array[n]}`);
  if (!(p.array.edgeCycles >= 0)) throw new UserError(`model: array.edgeCycles must be >= 0, got ${p.array.edgeCycles}`);
  for (const n of ['clockHz', 'memBytesPerSecond', 'linkBytesPerSecond', 'expertBytes', 'expertMacs', 'denseBytes', 'denseMacs', 'draftFraction'] as const) pos(n);
  if (!(p.linkLatencySeconds >= 0)) throw new UserError(`model: linkLatencySeconds must be >= 0, got ${p.linkLatencySeconds}`);
  for (const n of ['cacheSlots', 'queueDepth', 'kMax'] as const) if (!Number.isInteger(p[n]) || p[n] < 1) throw new UserError(`model: ${n} must be a positive integer, got ${p[n]}`);
  if (p.speculate === 'auto' && p.kMax > SPEC_GOVERNOR_LIMITS.kMax) throw new UserError(`model: kMax must be at most ${SPEC_GOVERNOR_LIMITS.kMax} (the governor unit's limit), got ${p.kMax}`);
  if (!Number.isInteger(p.routerCycles) || p.routerCycles < 0) throw new UserError(`model: routerCycles must be a non-negative integer, got ${p.routerCycles}`);
  if (!Number.isInteger(p.pinned) || p.pinned < 0) throw new UserError(`model: pinned must be a non-negative integer, got ${p.pinned}`);
  if (p.speculate !== 'auto' && (!Number.isInteger(p.speculate) || p.speculate < 1)) throw new UserError(`model: speculate must be 'auto' or a positive integer, got ${p.speculate}`);
  const need = p.pinned + trace.header.k * (p.kMax + 1);
  if (p.cacheSlots < need) throw new UserError(`model: cacheSlots (${p.cacheSlots}) must be at least pinned + K x (kMax + 1) = ${need} so a verify layer's experts fit`);
  if (p.cacheSlots > 1 << 20) throw new UserError(`model: cacheSlots must be at most 2^20, got ${p.cacheSlots}`);
}

/** One layer's demand for one pass: expert id -> tokens routed to it; hints = prefetch tags. */
interface LayerWork {
  readonly experts: readonly (readonly number[])[]; // per token: the expert ids it uses
  /** Per token: experts used only if resident or in flight (the controller's MoBiLE skip). */
  readonly optional?: readonly (readonly number[])[];
  readonly hints: readonly number[];
}

class Engine {
  now = 0;
  private linkFree = 0;
  private readonly store: TagStore;
  private readonly readyAt: number[];
  private readonly queue: { tag: number; at: number }[] = [];
  /**
   * MoE-SpeQ's lookahead buffer: the speculation window's predicted experts (tags), each with the
   * verify layer that uses it next; a layer's entries leave once the pass has computed that layer.
   */
  lookahead = new Map<number, number>();
  /** The layer the running pass computes (-1 outside a pass). */
  private layer = -1;
  readonly loadSeconds: number;
  hits = 0;
  inflight = 0;
  misses = 0;
  prefetchLoads = 0;
  skips = 0;
  bytes = 0;
  linkBusy = 0;

  constructor(
    private readonly p: SystemParams,
    private readonly experts: number,
    pinnedTags: readonly number[],
  ) {
    this.store = new TagStore(p.cacheSlots);
    this.readyAt = new Array<number>(p.cacheSlots).fill(0);
    this.loadSeconds = p.linkLatencySeconds + p.expertBytes / p.linkBytesPerSecond;
    for (const tag of pinnedTags) {
      const s = this.store.victim();
      this.store.allocate(s, tag);
      this.store.complete(s);
      this.store.setPinned(s, true);
    }
  }

  tag(layer: number, expert: number): number {
    return layer * this.experts + expert;
  }

  private startLoad(tag: number, at: number, exclude: ReadonlySet<number>, prefetch: boolean): number | null {
    const start = Math.max(at, this.linkFree);
    // in-flight slots (ready after the load would start) and the running layer's experts stay
    const movable = (s: number) => !exclude.has(s) && this.readyAt[s] <= start;
    const v = this.evictionVictim(tag, movable, prefetch);
    if (v < 0) return null;
    this.store.allocate(v, tag);
    this.store.complete(v); // residency is tracked by readyAt
    this.readyAt[v] = start + this.loadSeconds;
    this.linkFree = this.readyAt[v];
    this.bytes += this.p.expertBytes;
    this.linkBusy += this.loadSeconds;
    return v;
  }

  /**
   * MoE-SpeQ's Belady-like replacement over the lookahead buffer: an expert the rest of the speculation
   * window does not need goes first (LRU among them; the predictions of layers already computed have
   * left the buffer); else the expert used last, but only if it is used after the one being loaded:
   * a prefetch never evicts an expert needed sooner (it is dropped).
   */
  private evictionVictim(tag: number, movable: (slot: number) => boolean, prefetch: boolean): number {
    const future = (s: number) => (this.lookahead.get(this.store.slots[s].tag) ?? -1) >= Math.max(0, this.layer);
    const v = this.store.victim((s) => !movable(s) || future(s));
    if (v >= 0) return v;
    let best = -1;
    let bestUse = this.lookahead.get(tag) ?? this.layer;
    this.store.slots.forEach((slot, s) => {
      if (slot.pinned || !movable(s)) return;
      const use = this.lookahead.get(slot.tag)!;
      if (use > bestUse || (use === bestUse && best >= 0 && slot.age > this.store.slots[best].age)) [best, bestUse] = [s, use];
    });
    if (best >= 0 || prefetch) return best;
    return this.store.victim((s) => !movable(s));
  }

  /** Issues queued prefetches that start before `until` (the link would idle otherwise). */
  private drain(until: number, exclude: ReadonlySet<number>): void {
    while (this.queue.length) {
      const head = this.queue[0];
      const start = Math.max(this.linkFree, head.at);
      const s = this.store.find(head.tag);
      if (s >= 0) {
        if (head.at >= until) return;
        this.store.touch(s);
        this.queue.shift();
        continue;
      }
      if (start >= until) return;
      this.queue.shift();
      if (this.startLoad(head.tag, start, exclude, true) !== null) this.prefetchLoads++;
    }
  }

  prefetch(tags: readonly number[], at: number): void {
    for (const tag of tags) if (this.queue.length < this.p.queueDepth) this.queue.push({ tag, at });
  }

  /** When the expert can be computed on, loading it on a miss. */
  private demand(tag: number, exclude: Set<number>): number {
    const s = this.store.find(tag);
    if (s >= 0) {
      if (this.readyAt[s] <= this.now) this.hits++;
      else this.inflight++;
      this.store.touch(s);
      exclude.add(s);
      return Math.max(this.now, this.readyAt[s]);
    }
    this.misses++;
    const v = this.startLoad(tag, this.now, exclude, false);
    if (v === null) throw new UserError(`model: no evictable expert slot (cacheSlots ${this.p.cacheSlots}, pinned ${this.p.pinned}); add slots or pin fewer experts`);
    exclude.add(v);
    return this.readyAt[v];
  }

  /**
   * Array time of a block of weights with `macs` MACs per token for `tokens` tokens: ceil(tokens / R)
   * passes of macs / C steps (exact when C divides every matrix's output size, as 64 does for
   * Phi-3.5-MoE), plus one fill and drain.
   */
  arraySeconds(tokens: number, macs: number, mode: 'verify' | 'draft'): number {
    const a = this.p.array;
    const perK = mode === 'draft' ? a.draftCyclesPerK : a.verifyCyclesPerK;
    return (Math.ceil(tokens / a.rows) * (macs / a.cols) * perK + a.edgeCycles) / this.p.clockHz;
  }
  expertSeconds(tokens: number): number {
    return Math.max(this.p.expertBytes / this.p.memBytesPerSecond, this.arraySeconds(tokens, this.p.expertMacs, 'verify'));
  }
  draftExpertSeconds(): number {
    return Math.max((this.p.expertBytes * this.p.draftFraction) / this.p.memBytesPerSecond, this.arraySeconds(1, this.p.expertMacs, 'draft'));
  }
  denseSeconds(tokens: number): number {
    return Math.max(this.p.denseBytes / this.p.memBytesPerSecond, this.arraySeconds(tokens, this.p.denseMacs, 'verify'));
  }

  /** One pass over `layers` layers; advances `now`. */
  pass(layers: readonly LayerWork[], routerCycles: number): void {
    layers.forEach((w, l) => {
      this.layer = l;
      this.drain(this.now, new Set());
      this.now += this.denseSeconds(w.experts.length) + routerCycles / this.p.clockHz;
      const count = new Map<number, number>();
      for (const ids of w.experts) for (const e of ids) count.set(e, (count.get(e) ?? 0) + 1);
      for (const ids of w.optional ?? []) {
        for (const e of ids) {
          if (count.has(e) || this.store.find(this.tag(l, e)) >= 0) count.set(e, (count.get(e) ?? 0) + 1);
          else this.skips++;
        }
      }
      const exclude = new Set<number>();
      this.drain(this.now, exclude);
      const ready = [...count.keys()].map((e) => ({ e, at: this.demand(this.tag(l, e), exclude) }));
      this.prefetch(w.hints.map((e) => this.tag(l, e)), this.now);
      ready.sort((a, b) => a.at - b.at || a.e - b.e);
      let t = this.now;
      for (const r of ready) {
        const start = Math.max(t, r.at);
        this.drain(start, exclude); // the link idles while waiting: prefetches may start
        t = start + this.expertSeconds(count.get(r.e)!);
      }
      this.now = t;
      for (const [tag, use] of this.lookahead) if (use === l) this.lookahead.delete(tag);
    });
    this.layer = -1;
  }

  /** Drafting for `seconds`, with predictions made available as drafting proceeds. */
  draft(seconds: number, predictions: readonly { tags: number[]; at: number }[]): void {
    const end = this.now + seconds;
    for (const p of predictions) this.prefetch(p.tags, p.at);
    this.drain(end, new Set());
    this.now = end;
  }
}

/** Experts by trace frequency (tags), most popular first. */
function popularTags(trace: RoutingTrace, n: number): number[] {
  const E = trace.header.experts;
  const freq = new Map<number, number>();
  for (const t of trace.tokens) t.ids.forEach((row, l) => row.forEach((e) => freq.set(l * E + e, (freq.get(l * E + e) ?? 0) + 1)));
  return [...freq.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, n).map(([t]) => t);
}

/**
 * MoE-SpeQ's governor for one run: the MoeSpecGovernor unit's golden model (spec-governor.ts: fixed
 * point, cross-multiplication) fed with this machine's times in cycles. T_verify(n) is linear in
 * the hardware: the line through the compute model's n = 1 and n = kMax + 1.
 */
class Governor {
  private readonly params: SpecGovernorParams;
  private readonly timing: GovernorTiming;
  private stats: GovernorStats;

  constructor(p: SystemParams, loadsInit: number, draftSeconds: number, loadSeconds: number, verifySeconds: (positions: number) => number) {
    this.params = { kMax: p.kMax, timingWidth: 32, pInit: 0.9, loadsInit: Math.min(loadsInit, 2 ** 16 - 1) };
    this.stats = initialGovernorStats(this.params);
    const cycles = (seconds: number) => Math.round(seconds * p.clockHz);
    const verifyPerPos = (verifySeconds(p.kMax + 1) - verifySeconds(1)) / p.kMax;
    this.timing = {
      draftCycles: cycles(draftSeconds),
      initCycles: 0,
      newFixedCycles: 0,
      loadCycles: cycles(loadSeconds),
      verifyBaseCycles: Math.max(0, cycles(verifySeconds(1) - verifyPerPos)),
      verifyPerPosCycles: cycles(verifyPerPos),
    };
    for (const [name, v] of Object.entries(this.timing)) {
      if (v >= 2 ** 32) throw new UserError(`model: the governor's ${name} (${v} cycles) does not fit its 32-bit timing inputs; use a fixed speculation depth (--speculate K) or a lower clockHz`);
    }
  }

  choose(): number {
    return chooseSpeculationDepth(this.params, this.stats, this.timing).k;
  }

  /** One verify round: k drafted, `accepted` of them accepted, `loads` expert loads (saturated to the unit's 16-bit input). */
  update(k: number, accepted: number, loads: number): void {
    this.stats = updateGovernorStats(this.params, this.stats, { k, accepted, loads: Math.min(loads, 2 ** 16 - 1) });
  }
}

export function simulate(trace: RoutingTrace, p: SystemParams, policy: Policy): PolicyResult {
  validateSystemParams(p, trace);
  const { layers: L, k: K, experts: E } = trace.header;
  const little = Math.max(1, Math.floor(K / 2));
  const routerCycles = p.routerCycles;
  const eng = new Engine(p, E, popularTags(trace, p.pinned));
  const littleWork = (toks: readonly TraceToken[]): LayerWork[] =>
    Array.from({ length: L }, (_, l) => ({ experts: toks.map((t) => t.ids[l].slice(0, little)), hints: p.spareHints ? toks.flatMap((t) => t.ids[l].slice(little)) : [] }));
  const bigWork = (toks: readonly TraceToken[]): LayerWork[] => Array.from({ length: L }, (_, l) => ({ experts: toks.map((t) => t.ids[l]), hints: [] }));
  let passes = 0;
  let fallbackPasses = 0;
  let produced = 0;
  const ks: number[] = [];
  const tokens = trace.tokens;

  const skipWork = (t: TraceToken): LayerWork[] =>
    Array.from({ length: L }, (_, l) => (t.important ? { experts: [t.ids[l]], hints: [] } : { experts: [t.ids[l].slice(0, little)], optional: [t.ids[l].slice(little)], hints: [] }));
  if (policy === 'mobile' && p.mobileSkip) {
    for (const t of tokens) {
      eng.pass(skipWork(t), routerCycles);
      passes++;
      produced++;
    }
  } else if (policy === 'baseline' || policy === 'mobile') {
    for (const t of tokens) {
      eng.pass(policy === 'baseline' ? bigWork([t]) : littleWork([t]), routerCycles);
      passes++;
      if (policy === 'mobile' && t.important) {
        eng.pass(bigWork([t]), routerCycles);
        fallbackPasses++;
      }
      produced++;
    }
  } else {
    // speculative decoding
    const draftToken = L * (eng.denseSeconds(1) + K * eng.draftExpertSeconds());
    const verifySeconds = (n: number) => L * (eng.denseSeconds(n) + routerCycles / p.clockHz + Math.min(n * K, E) * eng.expertSeconds(1));
    const governor = p.speculate === 'auto' ? new Governor(p, K * L * 0.5, draftToken, eng.loadSeconds, verifySeconds) : null;
    let i = 0;
    while (i < tokens.length) {
      const k = Math.min(governor ? governor.choose() : (p.speculate as number), tokens.length - i - 1);
      const window = tokens.slice(i, i + k + 1);
      ks.push(k);
      const t0 = eng.now;
      // the lookahead buffer, layer-major (verification runs layer by layer over all positions);
      // position j's predictions exist once it is drafted
      const predicted = (t: TraceToken, l: number) => (t.pred ? (policy === 'both' ? t.pred[l].slice(0, little) : t.pred[l]) : []);
      const preds = Array.from({ length: L }, (_, l) => ({ tags: window.flatMap((t) => predicted(t, l).map((e) => eng.tag(l, e))), at: t0 + k * draftToken * Math.min(1, (l + 1) / L) }));
      eng.lookahead = new Map(preds.flatMap((x, l) => x.tags.map((tag) => [tag, l] as const)));
      const loadsBefore = eng.misses + eng.prefetchLoads;
      eng.draft(k * draftToken, preds);
      eng.pass(policy === 'speq' ? bigWork(window) : littleWork(window), routerCycles);
      passes++;
      let accepted = 0;
      while (accepted < k && window[accepted + 1].accept) accepted++;
      const out = window.slice(0, accepted + 1);
      if (policy === 'both') {
        const imp = out.filter((t) => t.important);
        if (imp.length) {
          eng.pass(bigWork(imp), routerCycles);
          fallbackPasses++;
        }
      }
      produced += out.length;
      i += out.length;
      governor?.update(k, accepted, eng.misses + eng.prefetchLoads - loadsBefore);
    }
  }
  return {
    policy,
    tokens: produced,
    seconds: eng.now,
    tokensPerSecond: produced / eng.now,
    demandHits: eng.hits,
    demandInflight: eng.inflight,
    demandMisses: eng.misses,
    prefetchLoads: eng.prefetchLoads,
    bytesLoaded: eng.bytes,
    linkBusySeconds: eng.linkBusy,
    passes,
    fallbackPasses,
    skips: eng.skips,
    meanK: ks.length ? ks.reduce((a, b) => a + b, 0) / ks.length : null,
  };
}
