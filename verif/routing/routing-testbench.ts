/** Testbench support for the routing units (tests and bench): encodings, port packing and the router's cycle model. */
import { packVec } from '../../hdl-gen/index.ts';
import { ExpertCacheModel, type ExpertCacheInputs, type ExpertCacheOutputs, type ExpertCacheParams } from '../../hdl-gen/units/routing/golden/expert-cache.ts';
import { routeToken, routerParams, thresholdBits, type RouterParams } from '../../hdl-gen/units/routing/golden/router.ts';
import type { SeededRandom } from '../random.ts';

const dv = new DataView(new ArrayBuffer(4));

/** fp32 bits of a JS number (rounded to nearest fp32). */
export function f32Bits(x: number): number {
  dv.setFloat32(0, x);
  return dv.getUint32(0);
}
export function f32Value(bits: number): number {
  dv.setUint32(0, bits);
  return dv.getFloat32(0);
}
/** bf16 bits of a JS number (truncated fp32: only used on bf16-exact values or as random patterns). */
export function bf16Bits(x: number): number {
  return f32Bits(x) >>> 16;
}
export function bf16Value(bits: number): number {
  return f32Value(bits * 65536);
}

export interface RouterToken {
  readonly logits: readonly number[];
  readonly threshold: bigint;
  readonly forceBig: boolean;
}

export interface RouterOutputs {
  readonly out_valid: bigint;
  readonly in_ready: bigint;
  readonly out_ids?: bigint;
  readonly out_weights?: bigint;
  readonly out_big?: bigint;
}

/** The expected port values of a routed token. */
export function expectedOutputs(p: RouterParams, t: RouterToken): { out_ids: bigint; out_weights: bigint; out_big: bigint } {
  const r = routerParams(p);
  const g = routeToken(r, t.logits, t.threshold, t.forceBig);
  const idBits = Math.max(1, Math.ceil(Math.log2(r.experts)));
  return { out_ids: packVec(g.ids, idBits), out_weights: packVec(g.weights, r.weightBits + 1), out_big: g.big ? 1n : 0n };
}

/**
 * Cycle model of the router's stall-all pipeline (latency K + 2): `cycle` returns the outputs before
 * the clock edge for this cycle's inputs (Verilator's clocked-vector semantics) and then clocks.
 */
export class RouterPipelineModel {
  private readonly stages: (RouterToken | null)[];
  constructor(private readonly p: RouterParams) {
    this.stages = new Array<RouterToken | null>(routerParams(p).k + 2).fill(null);
  }
  get latency(): number {
    return this.stages.length;
  }
  cycle(inValid: boolean, token: RouterToken, outReady: boolean): RouterOutputs {
    const last = this.stages[this.stages.length - 1];
    const advance = last === null || outReady;
    const out: RouterOutputs = last ? { out_valid: 1n, in_ready: advance ? 1n : 0n, ...expectedOutputs(this.p, last) } : { out_valid: 0n, in_ready: 1n };
    if (advance) {
      this.stages.pop();
      this.stages.unshift(inValid ? token : null);
    }
    return out;
  }
}

/** A random logit: mostly gaussian-like values, with ties and special encodings mixed in. */
export function randomLogit(rng: SeededRandom, format: 'fp32' | 'bf16', pool: readonly number[]): number {
  const u = rng.below(100);
  const width = format === 'fp32' ? 32 : 16;
  if (u < 10 && pool.length) return rng.pick(pool); // a tie with an earlier logit
  if (u < 13) return Number(rng.bits(width)); // any pattern: NaN, Inf, subnormal, huge
  const g = (rng.below(1 << 16) + rng.below(1 << 16) + rng.below(1 << 16) - 3 * 32768) / 8192; // ~N(0, 2.3)
  return format === 'fp32' ? f32Bits(g) : bf16Bits(g);
}

export function randomToken(rng: SeededRandom, p: RouterParams): RouterToken {
  const r = routerParams(p);
  const logits: number[] = [];
  for (let i = 0; i < r.experts; i++) logits.push(randomLogit(rng, r.format, logits));
  const tb = thresholdBits(r);
  // thresholds around the interesting range: margins of 0..4 (in 2^-F units), p1 of 0.3..1.0
  const threshold =
    r.importance === 'margin'
      ? BigInt(rng.below(Math.min(4 << r.fracBits, 2 ** tb)))
      : BigInt(Math.floor(((0.3 + 0.7 * rng.below(1000) / 1000) * 2 ** r.weightBits)));
  return { logits, threshold, forceBig: rng.chance(0.1) };
}

// ---- expert cache: closed-loop traces ---------------------------------------------------------------

export interface CacheTrace {
  readonly inputs: ExpertCacheInputs[];
  readonly outputs: ExpertCacheOutputs[];
  readonly stats: { demands: number; hits: number; skips: number; loads: number; prefetchLoads: number };
}

export interface CacheTraceKnobs {
  /** Distinct experts the demand stream draws from (<= 2^tagBits). */
  readonly experts: number;
  /** Probability that the next demand repeats one of the last few (temporal locality). */
  readonly locality: number;
  /** Probability that a prefetch names the true upcoming demand (else a random expert). */
  readonly accuracy: number;
  readonly pGap: number;
  readonly pOptional: number;
  readonly pPin: number;
}

/**
 * A closed-loop trace: a requester holds each demand until `dem_done`, a predictor pushes the
 * upcoming demands (with the given accuracy) into the prefetch queue, and random pin/unpin commands
 * arrive; the golden model answers every cycle (checking its invariants). The recorded inputs replay
 * open-loop on the RTL, whose outputs must equal the recorded ones.
 */
export function cacheTrace(p: ExpertCacheParams, rng: SeededRandom, cycles: number, k: CacheTraceKnobs): CacheTrace {
  const model = new ExpertCacheModel(p);
  const recent: number[] = [];
  const nextDemand = () => (recent.length && rng.chance(k.locality) ? rng.pick(recent.slice(-6)) : rng.below(k.experts));
  const upcoming: number[] = Array.from({ length: 8 }, nextDemand);
  let predicted = 0; // upcoming[0..predicted) have been pushed as predictions
  let active: { tag: number; optional: boolean } | null = null;
  const inputs: ExpertCacheInputs[] = [];
  const outputs: ExpertCacheOutputs[] = [];
  const stats = { demands: 0, hits: 0, skips: 0, loads: 0, prefetchLoads: 0 };
  for (let c = 0; c < cycles; c++) {
    if (!active && !rng.chance(k.pGap)) {
      const tag = upcoming.shift()!;
      upcoming.push(nextDemand());
      predicted = Math.max(0, predicted - 1);
      active = { tag, optional: rng.chance(k.pOptional) };
    }
    let pfTag = 0;
    let pfValid = false;
    if (predicted < upcoming.length && rng.chance(0.5)) {
      pfValid = true;
      pfTag = rng.chance(k.accuracy) ? upcoming[predicted] : rng.below(k.experts);
    }
    const pin = rng.chance(k.pPin);
    const x: ExpertCacheInputs = {
      dem_valid: active !== null,
      dem_tag: active?.tag ?? rng.below(k.experts),
      dem_optional: active?.optional ?? rng.chance(0.5),
      pf_valid: pfValid,
      pf_tag: pfTag,
      pin_valid: pin,
      pin_tag: rng.below(k.experts),
      pin_set: rng.chance(0.5),
    };
    const y = model.cycle(x);
    model.store.checkInvariants();
    if (pfValid && y.pf_ready) predicted++;
    if (active && y.dem_done) {
      stats.demands++;
      if (y.dem_hit) stats.hits++;
      if (y.dem_skip) stats.skips++;
      recent.push(active.tag);
      active = null;
    }
    if (y.load_valid) {
      stats.loads++;
      if (y.load_prefetch) stats.prefetchLoads++;
    }
    inputs.push(x);
    outputs.push(y);
  }
  return { inputs, outputs, stats };
}

/** Port values (bigints) of a cache input or output record. */
export function cachePorts(r: ExpertCacheInputs | ExpertCacheOutputs): Record<string, bigint> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, BigInt(v as number | boolean)]));
}
