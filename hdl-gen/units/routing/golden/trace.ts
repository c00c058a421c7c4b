/**
 * Routing traces for the system model (`hdlgen model`): a documented JSONL format, its reader and
 * writer, and a seeded synthetic generator.
 *
 * Format `moe-routing-trace-v1` (one JSON object per line; blank lines ignored):
 *   line 1:  {"format":"moe-routing-trace-v1","layers":L,"experts":E,"k":K}
 *   then one line per decoded token, in order:
 *            {"ids":[[e,...K], ...L], "pred":[[e,...K], ...L], "important":false, "accept":true}
 *   - ids[l]: the token's expert ids at layer l, ranked by gate logit (rank 0 first), K distinct ids
 *     in 0..E-1 (the little set is the first floor(K/2)). Required.
 *   - pred[l]: the draft model's predicted ids for that token and layer (MoE-SpeQ), K ids. Optional:
 *     without it, predicted prefetch has no predictions (it then equals the no-prefetch run).
 *   - important: MoBiLE's confidence gate said "important" (top output probability below the
 *     threshold): the token falls back to the big set. Optional, default false.
 *   - accept: a draft of this token would be accepted by the target's verification. Optional,
 *     default true.
 * A real trace from a GPU run records, per token and layer, the router's top-K ids (e.g. a forward
 * hook on each MoE gate), the draft's top-K ids for the same positions, the output distribution's
 * top probability vs the threshold, and whether the drafted token matched the target's.
 */
import { UserError } from '../../../errors.ts';

export const TRACE_FORMAT = 'moe-routing-trace-v1';

export interface TraceHeader {
  readonly layers: number;
  readonly experts: number;
  readonly k: number;
}

export interface TraceToken {
  /** [layer][rank] expert ids. */
  readonly ids: readonly (readonly number[])[];
  readonly pred?: readonly (readonly number[])[];
  readonly important: boolean;
  readonly accept: boolean;
}

export interface RoutingTrace {
  readonly header: TraceHeader;
  readonly tokens: readonly TraceToken[];
}

function checkIdMatrix(where: string, what: string, v: unknown, h: TraceHeader): number[][] {
  if (!Array.isArray(v) || v.length !== h.layers) throw new UserError(`${where}: '${what}' must be an array of ${h.layers} layers (one array of ${h.k} expert ids each)`);
  return v.map((row, l) => {
    if (!Array.isArray(row) || row.length !== h.k) throw new UserError(`${where}: '${what}[${l}]' must hold ${h.k} expert ids`);
    for (const e of row) if (!Number.isInteger(e) || e < 0 || e >= h.experts) throw new UserError(`${where}: '${what}[${l}]' has expert id ${JSON.stringify(e)}, not an integer from 0 to ${h.experts - 1}`);
    if (new Set(row).size !== row.length) throw new UserError(`${where}: '${what}[${l}]' repeats an expert id (${row.join(', ')})`);
    return row as number[];
  });
}

/** Parses JSONL trace text; `name` (the file) prefixes every error with the line number. */
export function parseTrace(text: string, name: string): RoutingTrace {
  const lines = text.split('\n');
  let header: TraceHeader | null = null;
  const tokens: TraceToken[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const where = `${name}:${i + 1}`;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line);
    } catch {
      throw new UserError(`${where}: not valid JSON`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new UserError(`${where}: expected a JSON object`);
    if (!header) {
      if (obj.format !== TRACE_FORMAT) throw new UserError(`${where}: the first line must be the header {"format":"${TRACE_FORMAT}","layers":L,"experts":E,"k":K}`);
      const int = (key: string, lo: number, hi: number) => {
        const v = obj[key];
        if (!Number.isInteger(v) || (v as number) < lo || (v as number) > hi) throw new UserError(`${where}: header '${key}' must be an integer from ${lo} to ${hi}, got ${JSON.stringify(v)}`);
        return v as number;
      };
      const experts = int('experts', 2, 65536);
      header = { layers: int('layers', 1, 4096), experts, k: int('k', 1, Math.min(64, experts)) };
      return;
    }
    for (const key of Object.keys(obj)) if (!['ids', 'pred', 'important', 'accept'].includes(key)) throw new UserError(`${where}: unknown key '${key}' (expected ids, pred, important, accept)`);
    const ids = checkIdMatrix(where, 'ids', obj.ids, header);
    const pred = obj.pred === undefined ? undefined : checkIdMatrix(where, 'pred', obj.pred, header);
    for (const key of ['important', 'accept'] as const) if (obj[key] !== undefined && typeof obj[key] !== 'boolean') throw new UserError(`${where}: '${key}' must be true or false`);
    tokens.push({ ids, pred, important: obj.important === true, accept: obj.accept !== false });
  });
  if (!header) throw new UserError(`${name}: empty trace (no header line)`);
  if (!tokens.length) throw new UserError(`${name}: the trace has a header but no tokens`);
  return { header, tokens };
}

export function serializeTrace(t: RoutingTrace): string {
  const out = [JSON.stringify({ format: TRACE_FORMAT, ...t.header })];
  for (const tok of t.tokens) out.push(JSON.stringify({ ids: tok.ids, ...(tok.pred ? { pred: tok.pred } : {}), important: tok.important, accept: tok.accept }));
  return out.join('\n') + '\n';
}

/** Knobs of the synthetic generator (all printed beside every result). */
export interface SyntheticKnobs {
  readonly tokens: number;
  readonly layers: number;
  readonly experts: number;
  readonly k: number;
  /** Zipf exponent of expert popularity per layer (0 = uniform). */
  readonly skew: number;
  /** Probability that a rank reuses an expert the previous token used at the same layer. */
  readonly locality: number;
  /** Probability that each predicted id equals the true id (else another expert). */
  readonly accuracy: number;
  /** Probability that a drafted token is accepted. */
  readonly acceptance: number;
  /** Fraction of tokens MoBiLE's gate marks important (fall back to big). */
  readonly fallback: number;
  readonly seed: number;
}

/** mulberry32, self-contained so traces do not depend on test utilities. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Synthetic trace: per layer a fixed random popularity order with Zipf(skew) weights; each rank of a
 * token reuses, with probability `locality`, an expert of the previous token's set at that layer not
 * yet taken, else draws by popularity (without repeats). Predictions copy each true id with
 * probability `accuracy`, else name another expert drawn by the same popularity (neither a true id
 * nor an id already predicted). Why popularity: the draft is the target with INT4 experts and the
 * same router, so a wrong prediction is a near-miss of the target's ranking, which favours the
 * experts the layer routes to most; a uniform draw would name cold experts the draft would not pick.
 */
export function synthesizeTrace(k: SyntheticKnobs): RoutingTrace {
  if (k.k > k.experts) throw new UserError(`synthetic trace: k (${k.k}) must not exceed experts (${k.experts})`);
  const rnd = prng(k.seed);
  const perm = Array.from({ length: k.layers }, () => {
    const p = Array.from({ length: k.experts }, (_, i) => i);
    for (let i = p.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [p[i], p[j]] = [p[j], p[i]];
    }
    return p;
  });
  const weights = Array.from({ length: k.experts }, (_, r) => 1 / (r + 1) ** k.skew);
  const drawPopular = (l: number, taken: Set<number>): number => {
    let total = 0;
    for (let r = 0; r < k.experts; r++) if (!taken.has(perm[l][r])) total += weights[r];
    let u = rnd() * total;
    for (let r = 0; r < k.experts; r++) {
      if (taken.has(perm[l][r])) continue;
      u -= weights[r];
      if (u <= 0) return perm[l][r];
    }
    for (let r = k.experts - 1; r >= 0; r--) if (!taken.has(perm[l][r])) return perm[l][r];
    throw new Error('unreachable: fewer experts than k');
  };
  const tokens: TraceToken[] = [];
  let prev: number[][] | null = null;
  for (let t = 0; t < k.tokens; t++) {
    const ids: number[][] = [];
    const pred: number[][] = [];
    for (let l = 0; l < k.layers; l++) {
      const taken = new Set<number>();
      const row: number[] = [];
      for (let r = 0; r < k.k; r++) {
        const reuse = prev ? prev[l].filter((e) => !taken.has(e)) : [];
        const e = reuse.length && rnd() < k.locality ? reuse[Math.floor(rnd() * reuse.length)] : drawPopular(l, taken);
        taken.add(e);
        row.push(e);
      }
      ids.push(row);
      const ptaken = new Set<number>();
      const prow = row.map((e) => (rnd() < k.accuracy ? e : -1));
      prow.forEach((e) => e >= 0 && ptaken.add(e));
      pred.push(
        prow.map((e, r) => {
          if (e >= 0) return e;
          // a wrong id if one is left (with K = E every id is taken: then the true one)
          const excluded = new Set([...ptaken, ...row]);
          const x = excluded.size < k.experts ? drawPopular(l, excluded) : row.find((id) => !ptaken.has(id))!;
          ptaken.add(x);
          return x;
        }),
      );
    }
    tokens.push({ ids, pred, important: rnd() < k.fallback, accept: rnd() < k.acceptance });
    prev = ids;
  }
  return { header: { layers: k.layers, experts: k.experts, k: k.k }, tokens };
}
