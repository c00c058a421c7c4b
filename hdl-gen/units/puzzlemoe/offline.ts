import { UserError } from '../../errors.ts';
import { elementCount, isFloatDtype, tensorBits16, tensorFromBits16, tensorFromValues, tensorValues, type Safetensors, type Tensor } from '../../tensors/safetensors.ts';
import { DEFAULT_EXPONENT_OFFSET, checkExponentOffset, decodeLane } from './golden/format.ts';
import { DEFAULT_TAU, PuzzleMoeError, countShared, mergeMatrix, resolveOptions } from './golden/merge.ts';

/**
 * The offline side of PuzzleMoE: packing expert weights stored as safetensors into merged-pair
 * words, and decoding them back. The naming convention, pairing rule and file formats are
 * documented in hdl-gen/cli/commands/puzzlemoe.ts (the `hdlgen puzzlemoe` command).
 */

export const MATRICES = ['w1', 'w2', 'w3'] as const;
export type MatrixName = (typeof MATRICES)[number];

export const weightName = (e: number, w: MatrixName): string => `experts.${e}.${w}.weight`;
export const normName = (e: number, w: MatrixName): string => `experts.${e}.${w}.input_norm`;
export const packedName = (k: number, w: MatrixName): string => `pairs.${k}.${w}.packed`;
export const pairExpertsName = (k: number): string => `pairs.${k}.experts`;

const WEIGHT_RE = /^experts\.(0|[1-9]\d*)\.(w1|w2|w3)\.weight$/;
const PACKED_RE = /^pairs\.(0|[1-9]\d*)\.(w1|w2|w3)\.packed$/;
const PAIR_EXPERTS_RE = /^pairs\.(0|[1-9]\d*)\.experts$/;

export const META_FORMAT = 'puzzlemoe.format';
export const META_TAU = 'puzzlemoe.tau';
export const META_OFFSET = 'puzzlemoe.exponent_offset';
export const META_PAIRS = 'puzzlemoe.pairs';
export const FORMAT_ID = 'puzzlemoe-packed-v1';

export type Pair = readonly [number, number];
export type PairSpec = 'auto' | 'sequential' | readonly Pair[];

export interface PackOptions {
  readonly pairs: PairSpec;
  readonly tau?: number;
  readonly exponentOffset?: number;
  /** Where the pairs came from (a file name), for error messages. */
  readonly pairsSource?: string;
}

export interface MatrixStats {
  readonly pair: Pair;
  readonly matrix: MatrixName;
  readonly shape: readonly number[];
  /** Elements with masks 11, 10 and 01. */
  readonly shared: number;
  readonly iOnly: number;
  readonly jOnly: number;
}

export interface PackResult {
  readonly tensors: Map<string, Tensor>;
  readonly metadata: Record<string, string>;
  readonly pairs: Pair[];
  readonly stats: MatrixStats[];
}

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

interface ExpertSet {
  readonly ids: number[];
  readonly matrices: MatrixName[];
  readonly passthrough: string[];
}

function findExperts(st: Safetensors, file: string): ExpertSet {
  const byExpert = new Map<number, Set<MatrixName>>();
  const passthrough: string[] = [];
  for (const [name, t] of st.tensors) {
    const m = WEIGHT_RE.exec(name);
    if (!m) {
      if (name.startsWith('experts.')) throw new UserError(`${file}: tensor '${name}' does not follow the naming convention experts.{e}.{w1|w2|w3}.weight`);
      if (name.startsWith('pairs.')) throw new UserError(`${file}: tensor '${name}': names starting with 'pairs.' are reserved for the packed output`);
      passthrough.push(name);
      continue;
    }
    if (t.dtype !== 'F32' && t.dtype !== 'BF16' && t.dtype !== 'F16') throw new UserError(`${file}: tensor '${name}': dtype ${t.dtype} is not a weight type (F32, BF16 or F16)`);
    if (t.shape.length !== 2) throw new UserError(`${file}: tensor '${name}': shape ${shapeText(t.shape)} is not 2-D [out, in]`);
    const e = Number(m[1]);
    if (!byExpert.has(e)) byExpert.set(e, new Set());
    byExpert.get(e)!.add(m[2] as MatrixName);
  }
  const ids = [...byExpert.keys()].sort((a, b) => a - b);
  if (ids.length < 2) throw new UserError(`${file}: found ${ids.length} expert${ids.length === 1 ? '' : 's'} (tensors experts.{e}.{w1|w2|w3}.weight); merging needs at least 2`);
  const matrices = MATRICES.filter((w) => ids.some((e) => byExpert.get(e)!.has(w)));
  for (const e of ids) {
    for (const w of matrices) {
      if (!byExpert.get(e)!.has(w)) {
        const other = ids.find((x) => byExpert.get(x)!.has(w))!;
        throw new UserError(`${file}: missing tensor '${weightName(e, w)}' (expert ${other} has '${weightName(other, w)}'; every expert needs the same matrices)`);
      }
    }
  }
  return { ids, matrices, passthrough };
}

function checkPairShapes(st: Safetensors, file: string, [i, j]: Pair, matrices: readonly MatrixName[]): void {
  for (const w of matrices) {
    const a = st.tensors.get(weightName(i, w))!;
    const b = st.tensors.get(weightName(j, w))!;
    if (a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) {
      throw new UserError(`${file}: tensor '${weightName(j, w)}' has shape ${shapeText(b.shape)} but its pair partner '${weightName(i, w)}' has ${shapeText(a.shape)}`);
    }
  }
}

const compatible = (st: Safetensors, [i, j]: Pair, matrices: readonly MatrixName[]): boolean =>
  matrices.every((w) => {
    const a = st.tensors.get(weightName(i, w))!.shape;
    const b = st.tensors.get(weightName(j, w))!.shape;
    return a[0] === b[0] && a[1] === b[1];
  });

/**
 * `auto` pairing: for every pair of experts with matching shapes, the fraction of elements that
 * would be shared (d <= tau over all matrices); then greedily, best fraction first (ties: lowest
 * (i, j)), pair experts that are both still unpaired. Greedy, not an optimal matching.
 */
function autoPairs(st: Safetensors, file: string, ids: readonly number[], matrices: readonly MatrixName[], tau: number, values: (name: string) => Float32Array): Pair[] {
  const cands: { pair: Pair; shared: bigint; total: bigint }[] = [];
  for (let x = 0; x < ids.length; x++) {
    for (let y = x + 1; y < ids.length; y++) {
      const pair: Pair = [ids[x], ids[y]];
      if (!compatible(st, pair, matrices)) continue;
      let shared = 0;
      let total = 0;
      for (const w of matrices) {
        const a = values(weightName(pair[0], w));
        shared += countShared(a, values(weightName(pair[1], w)), tau);
        total += a.length;
      }
      cands.push({ pair, shared: BigInt(shared), total: BigInt(Math.max(total, 1)) });
    }
  }
  cands.sort((p, q) => {
    const d = q.shared * p.total - p.shared * q.total; // q's fraction - p's fraction (scaled)
    if (d !== 0n) return d > 0n ? 1 : -1;
    return p.pair[0] - q.pair[0] || p.pair[1] - q.pair[1];
  });
  const used = new Set<number>();
  const pairs: Pair[] = [];
  for (const c of cands) {
    if (used.has(c.pair[0]) || used.has(c.pair[1])) continue;
    pairs.push(c.pair);
    used.add(c.pair[0]);
    used.add(c.pair[1]);
  }
  const left = ids.filter((e) => !used.has(e));
  if (left.length) throw new UserError(`${file}: --pairs auto: expert${left.length > 1 ? 's' : ''} ${left.join(', ')} could not be paired (an odd number of experts, or no partner with the same shapes)`);
  return pairs.sort((p, q) => p[0] - q[0]);
}

function checkExplicitPairs(pairs: readonly Pair[], ids: readonly number[], source: string): Pair[] {
  const seen = new Map<number, number>();
  pairs.forEach(([i, j], k) => {
    for (const e of [i, j]) {
      if (!ids.includes(e)) throw new UserError(`${source}: pair ${k} (${i}, ${j}) names expert ${e}, which is not in the experts file (experts: ${ids.join(', ')})`);
      if (seen.has(e)) throw new UserError(`${source}: expert ${e} is in pair ${seen.get(e)} and pair ${k}; each expert belongs to exactly one pair`);
      seen.set(e, k);
    }
    if (i === j) throw new UserError(`${source}: pair ${k} pairs expert ${i} with itself`);
  });
  const missing = ids.filter((e) => !seen.has(e));
  if (missing.length) throw new UserError(`${source}: missing pair for expert${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (every expert must be in exactly one pair)`);
  return pairs.map(([i, j]) => [i, j] as Pair);
}

/**
 * Parses a pairs file: one pair per line, two expert indices separated by whitespace and/or a
 * comma (`0 1`, `2,3`); `#` starts a comment; blank lines are ignored.
 */
export function parsePairsFile(text: string, file: string): Pair[] {
  const pairs: Pair[] = [];
  text.split(/\r?\n/).forEach((raw, n) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const m = /^(\d+)\s*[,\s]\s*(\d+)$/.exec(line);
    if (!m) throw new UserError(`${file}:${n + 1}: expected two expert indices like '0 1', got '${raw.trim()}'`);
    pairs.push([Number(m[1]), Number(m[2])]);
  });
  if (pairs.length === 0) throw new UserError(`${file}: no pairs`);
  return pairs;
}

/** Merges and packs every expert pair. Nothing is written: the caller writes the result. */
export function packExperts(experts: Safetensors, expertsFile: string, calib: Safetensors, calibFile: string, opts: PackOptions): PackResult {
  const r = resolveOptions({ tau: opts.tau ?? DEFAULT_TAU, exponentOffset: opts.exponentOffset ?? DEFAULT_EXPONENT_OFFSET });
  const { ids, matrices, passthrough } = findExperts(experts, expertsFile);

  const cache = new Map<string, Float32Array>();
  const weightValues = (name: string): Float32Array => {
    let v = cache.get(name);
    if (!v) {
      v = tensorValues(experts.tensors.get(name)!, name) as Float32Array;
      cache.set(name, v);
    }
    return v;
  };

  let pairs: Pair[];
  if (opts.pairs === 'auto') pairs = autoPairs(experts, expertsFile, ids, matrices, r.tau, weightValues);
  else if (opts.pairs === 'sequential') {
    if (ids.length % 2) throw new UserError(`${expertsFile}: --pairs sequential: ${ids.length} experts cannot all be paired (expert ${ids[ids.length - 1]} is left over)`);
    pairs = [];
    for (let k = 0; k < ids.length; k += 2) pairs.push([ids[k], ids[k + 1]]);
  } else pairs = checkExplicitPairs(opts.pairs, ids, opts.pairsSource ?? 'pairs');
  for (const p of pairs) checkPairShapes(experts, expertsFile, p, matrices);

  // calibration norms: present, float, shape [in]
  const norms = new Map<string, Float32Array>();
  for (const e of ids) {
    for (const w of matrices) {
      const wt = experts.tensors.get(weightName(e, w))!;
      const name = normName(e, w);
      const t = calib.tensors.get(name);
      if (!t) throw new UserError(`${calibFile}: missing tensor '${name}' (input-channel norms for '${weightName(e, w)}', shape [${wt.shape[1]}])`);
      if (t.dtype !== 'F32' && t.dtype !== 'BF16' && t.dtype !== 'F16') throw new UserError(`${calibFile}: tensor '${name}': dtype ${t.dtype} is not F32, BF16 or F16`);
      if (t.shape.length !== 1 || t.shape[0] !== wt.shape[1]) {
        throw new UserError(`${calibFile}: tensor '${name}' has shape ${shapeText(t.shape)}, expected [${wt.shape[1]}] (the input dimension of '${weightName(e, w)}' ${shapeText(wt.shape)})`);
      }
      norms.set(name, tensorValues(t, name) as Float32Array);
    }
  }

  const tensors = new Map<string, Tensor>();
  for (const name of passthrough) tensors.set(name, experts.tensors.get(name)!);
  const stats: MatrixStats[] = [];
  pairs.forEach(([i, j], k) => {
    tensors.set(pairExpertsName(k), tensorFromValues('I32', [2], [i, j]));
    for (const w of matrices) {
      const shape = experts.tensors.get(weightName(i, w))!.shape;
      let words: Uint16Array;
      try {
        words = mergeMatrix(
          {
            wi: { name: weightName(i, w), values: weightValues(weightName(i, w)) },
            wj: { name: weightName(j, w), values: weightValues(weightName(j, w)) },
            xi: { name: normName(i, w), values: norms.get(normName(i, w))! },
            xj: { name: normName(j, w), values: norms.get(normName(j, w))! },
            rows: shape[0],
            cols: shape[1],
          },
          { tau: r.tau, exponentOffset: r.offset },
        );
      } catch (e) {
        if (e instanceof PuzzleMoeError) throw new UserError(`${e.tensor.endsWith('.input_norm') ? calibFile : expertsFile}: ${e.message}`);
        throw e;
      }
      let shared = 0;
      let iOnly = 0;
      for (let n = 0; n < words.length; n++) {
        const m = (words[n] >> 12) & 3;
        if (m === 3) shared++;
        else if (m === 2) iOnly++;
      }
      stats.push({ pair: [i, j], matrix: w, shape, shared, iOnly, jOnly: words.length - shared - iOnly });
      tensors.set(packedName(k, w), tensorFromBits16('U16', shape, words));
    }
  });
  const metadata: Record<string, string> = {
    ...experts.metadata,
    [META_FORMAT]: FORMAT_ID,
    [META_TAU]: String(r.tau),
    [META_OFFSET]: String(r.offset),
    [META_PAIRS]: JSON.stringify(pairs),
  };
  return { tensors, metadata, pairs, stats };
}

// ---- decoding ------------------------------------------------------------------------------------

export interface DecodedEntry {
  readonly packed: string;
  readonly pair: Pair;
  readonly matrix: MatrixName;
  readonly shape: readonly number[];
  /** The packed words, row-major. */
  readonly words: Uint16Array;
}

export interface UnpackResult {
  /** Decoded BF16 expert weights plus the passed-through tensors. */
  readonly tensors: Map<string, Tensor>;
  readonly metadata: Record<string, string>;
  readonly entries: DecodedEntry[];
  readonly exponentOffset: number;
}

/** The exponent offset of a packed file: its metadata, checked against an explicit request. */
function fileOffset(st: Safetensors, file: string, requested: number | undefined): number {
  const meta = st.metadata[META_OFFSET];
  let offset = requested ?? DEFAULT_EXPONENT_OFFSET;
  if (meta !== undefined) {
    const m = Number(meta);
    if (!/^\d+$/.test(meta)) throw new UserError(`${file}: metadata ${META_OFFSET} is '${meta}', not an integer`);
    if (requested !== undefined && requested !== m) throw new UserError(`${file}: packed with exponent offset ${m}, but --exponent-offset ${requested} was given`);
    offset = m;
  }
  try {
    return checkExponentOffset(offset);
  } catch (e) {
    throw new UserError(`${file}: ${(e as Error).message}`);
  }
}

/** Decodes every `pairs.{k}.{w}.packed` tensor into BF16 `experts.{e}.{w}.weight` tensors. */
export function unpackExperts(packed: Safetensors, file: string, opts: { exponentOffset?: number } = {}): UnpackResult {
  const offset = fileOffset(packed, file, opts.exponentOffset);
  const tensors = new Map<string, Tensor>();
  const entries: DecodedEntry[] = [];
  const pairOf = (k: number): Pair => {
    const name = pairExpertsName(k);
    const t = packed.tensors.get(name);
    if (!t) throw new UserError(`${file}: missing tensor '${name}' (the two expert indices of pair ${k})`);
    if (isFloatDtype(t.dtype) || t.shape.length !== 1 || t.shape[0] !== 2) throw new UserError(`${file}: tensor '${name}' must be an integer tensor of shape [2], got ${t.dtype} ${shapeText(t.shape)}`);
    const v = tensorValues(t, name);
    if (!(v[0] >= 0 && v[1] >= 0) || v[0] === v[1]) throw new UserError(`${file}: tensor '${name}' holds (${v[0]}, ${v[1]}): not two distinct expert indices`);
    return [v[0], v[1]];
  };
  for (const [name, t] of packed.tensors) {
    const m = PACKED_RE.exec(name);
    if (!m) {
      if (PAIR_EXPERTS_RE.test(name)) continue;
      if (name.startsWith('pairs.')) throw new UserError(`${file}: tensor '${name}' does not follow the naming convention pairs.{k}.{w1|w2|w3}.packed / pairs.{k}.experts`);
      tensors.set(name, t);
      continue;
    }
    if (t.dtype !== 'U16') throw new UserError(`${file}: tensor '${name}': packed words must be U16, got ${t.dtype}`);
    if (t.shape.length !== 2) throw new UserError(`${file}: tensor '${name}': shape ${shapeText(t.shape)} is not 2-D [out, in]`);
    const k = Number(m[1]);
    const w = m[2] as MatrixName;
    const pair = pairOf(k);
    const words = tensorBits16(t, name);
    entries.push({ packed: name, pair, matrix: w, shape: t.shape, words });
    const n = elementCount(t.shape);
    for (const p of [0, 1] as const) {
      const out = new Uint16Array(n);
      for (let x = 0; x < n; x++) out[x] = decodeLane(words[x], p, offset);
      const outName = weightName(pair[p], w);
      if (tensors.has(outName)) throw new UserError(`${file}: expert ${pair[p]} appears in more than one pair ('${outName}' decoded twice)`);
      tensors.set(outName, tensorFromBits16('BF16', t.shape, out));
    }
  }
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(packed.metadata)) if (!k.startsWith('puzzlemoe.')) metadata[k] = v;
  // pair index, then w1, w2, w3 (file order is the writer's, which sorts names as strings)
  const key = (e: DecodedEntry) => Number(PACKED_RE.exec(e.packed)![1]) * MATRICES.length + MATRICES.indexOf(e.matrix);
  entries.sort((a, b) => key(a) - key(b));
  return { tensors, metadata, entries, exponentOffset: offset };
}

// ---- text formats ----------------------------------------------------------------------------------

/**
 * Parses a text file of packed words: one 16-bit hex word per line (optional `0x`), blank lines and
 * comments (`#` or `//` to the end of the line) ignored.
 */
export function parseHexWords(text: string, file: string): number[] {
  const words: number[] = [];
  text.split(/\r?\n/).forEach((raw, n) => {
    const line = raw.replace(/(#|\/\/).*/, '').trim();
    if (!line) return;
    if (!/^(0[xX])?[0-9a-fA-F]{1,4}$/.test(line)) throw new UserError(`${file}:${n + 1}: '${raw.trim()}' is not a 16-bit hex word`);
    words.push(parseInt(line.replace(/^0[xX]/, ''), 16));
  });
  return words;
}

export const hex4 = (x: number): string => x.toString(16).padStart(4, '0');

/**
 * $readmemh lines: `lanes` 16-bit words per line, word 0 of each group in the least significant
 * digits (the decode unit's Vec layout: in_words[k] = bits [16k+15:16k]); the last line is padded
 * with 0000 words (mask pair 00, which decodes to +0 on both lanes).
 */
export function readmemhLines(words: ArrayLike<number>, lanes: number): string[] {
  const lines: string[] = [];
  for (let base = 0; base < words.length; base += lanes) {
    let line = '';
    for (let k = lanes - 1; k >= 0; k--) line += hex4(base + k < words.length ? words[base + k] : 0);
    lines.push(line);
  }
  return lines;
}
