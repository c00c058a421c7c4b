import { UserError } from '../../../errors.ts';
import { BF16, FP32, decodeFinite } from '../../fp/golden/formats.ts';
import { roundPack } from '../../fp/golden/round.ts';
import { DEFAULT_EXPONENT_OFFSET, E5_MAX, checkExponentOffset } from './format.ts';

/**
 * PuzzleMoE pair merging and packing (golden model; /work/shared/specs/puzzlemoe.md). Pure
 * TypeScript: nothing from the hardware eDSL is imported.
 *
 * For one element of a pair (Wi, Wj) with a = |Wi|, b = |Wj| and channel norms xi, xj:
 * - shared  <=>  |a - b| <= tau * (a + b), decided EXACTLY (rationals, tau taken as the double
 *   it is); a + b == 0 counts as shared (spec DECISION; `zeroPairShared: false` gives the
 *   alternative "not shared, i wins the tie" used by the spec's reference table row 5);
 * - saliency Ai = a * xi, Aj = b * xj (exact: both are fp32 values, the product fits a double);
 *   expert i wins ties (Ai >= Aj);
 * - masks (Mi, Mj) = 11 when shared, else 10 (i wins) or 01 (j wins): never 00;
 * - merged magnitude = (a + b) / 2 when shared (exact sum, rounded ONCE to bf16 RNE with the FP
 *   golden `roundPack`), else the winner's magnitude rounded once to bf16 RNE;
 * - signs Si = (Wi < 0), Sj = (Wj < 0) (so -0 has sign 0);
 * - E = bf16 exponent of the merged magnitude; E < offset is raised to offset with the mantissa
 *   kept; E > offset + 31 (for 112: magnitude >= 2^17 after rounding, including overflow to Inf)
 *   is rejected with an error naming the tensors and index.
 *
 * Inputs are numbers that must be exactly representable in fp32 (weights read from F32, BF16 or
 * F16 tensors all are); that is what makes the comparisons above exact in double arithmetic.
 */

export const DEFAULT_TAU = 0.4;

export interface MergeOptions {
  /** Similarity threshold (default 0.4, the paper's); any finite tau >= 0. */
  readonly tau?: number;
  /** Exponent offset (default 112): E = e5 + offset. */
  readonly exponentOffset?: number;
  /** Whether a + b == 0 counts as shared (default true: the spec's DECISION). */
  readonly zeroPairShared?: boolean;
}

/** A user-facing packing error; `tensor` and `index` say where. */
export class PuzzleMoeError extends UserError {
  constructor(
    message: string,
    readonly tensor: string,
    readonly index: readonly number[] | null,
  ) {
    super(message);
    this.name = 'PuzzleMoeError';
  }
}

interface Resolved {
  readonly tau: number;
  readonly offset: number;
  readonly zeroShared: boolean;
}

export function resolveOptions(opts: MergeOptions = {}): Resolved {
  const tau = opts.tau ?? DEFAULT_TAU;
  if (typeof tau !== 'number' || !Number.isFinite(tau) || tau < 0) throw new UserError(`tau must be a finite number >= 0, got ${tau}`);
  let offset: number;
  try {
    offset = checkExponentOffset(opts.exponentOffset ?? DEFAULT_EXPONENT_OFFSET);
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  return { tau, offset, zeroShared: opts.zeroPairShared ?? true };
}

// ---- exact helpers ------------------------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The binary32 encoding of an fp32-representable number. */
export function fp32Bits(x: number): number {
  f32[0] = x;
  return u32[0];
}

export function isFp32Value(x: number): boolean {
  return Number.isFinite(x) && Math.fround(x) === x;
}

/** Exact magnitude of an fp32 value as an integer times 2^(exp + 149) (exp >= -149). */
function fp32Scaled(x: number): bigint {
  const d = decodeFinite(FP32, fp32Bits(x));
  return BigInt(d.sig) << BigInt(d.exp + 149);
}

/** Exact |a - b| <= tau * (a + b) for fp32 magnitudes a, b and a double tau >= 0. */
function sharedExact(a: number, b: number, tau: number): boolean {
  const A = fp32Scaled(a);
  const B = fp32Scaled(b);
  const lhs = A > B ? A - B : B - A;
  f64[0] = tau;
  const bits = u64[0];
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const tsig = e === 0 ? frac : frac | (1n << 52n);
  const texp = e === 0 ? -1074 : e - 1075;
  const rhs = tsig * (A + B);
  return texp >= 0 ? lhs <= rhs << BigInt(texp) : lhs << BigInt(-texp) <= rhs;
}

const MARGIN = 2 ** -40;

/**
 * The similarity test: d = |a - b| / (a + b) <= tau, decided exactly. a, b are fp32 magnitudes
 * (>= 0); a + b == 0 gives `zeroShared`. The double computation has a relative error below 2^-51,
 * so only values within 2^-40 of the threshold take the exact (BigInt) path.
 */
export function isShared(a: number, b: number, tau: number, zeroShared = true): boolean {
  const sum = a + b; // > 0 unless both are 0 (fp32 values never underflow in a double)
  if (sum === 0) return zeroShared;
  const diff = Math.abs(a - b);
  const rhs = tau * sum;
  if (diff < rhs * (1 - MARGIN)) return true;
  if (diff > rhs * (1 + MARGIN)) return false;
  return sharedExact(a, b, tau);
}

/** bf16 encoding of an fp32 magnitude, rounded once (RNE). */
export function bf16Magnitude(a: number): number {
  const d = decodeFinite(FP32, fp32Bits(a));
  return roundPack(BF16, 0, d.sig, d.exp).bits;
}

/** bf16 encoding of (a + b) / 2 for fp32 magnitudes: exact sum, one RNE rounding. */
export function bf16Average(a: number, b: number): number {
  const A = decodeFinite(FP32, fp32Bits(a));
  const B = decodeFinite(FP32, fp32Bits(b));
  if (A.sig === 0) return roundPack(BF16, 0, B.sig, B.exp - 1).bits;
  if (B.sig === 0) return roundPack(BF16, 0, A.sig, A.exp - 1).bits;
  const e = Math.min(A.exp, B.exp);
  const da = A.exp - e;
  const db = B.exp - e;
  if (da <= 28 && db <= 28) {
    // < 2^24 * 2^28 * 2 = 2^53: exact as a Number.
    return roundPack(BF16, 0, A.sig * 2 ** da + B.sig * 2 ** db, e - 1).bits;
  }
  return roundPack(BF16, 0, (BigInt(A.sig) << BigInt(da)) + (BigInt(B.sig) << BigInt(db)), e - 1).bits;
}

// ---- one element ----------------------------------------------------------------------------------

/** Everything the merge decides for one element. */
export interface MergedElement {
  /** The packed word. */
  readonly word: number;
  readonly shared: boolean;
  readonly maskI: number;
  readonly maskJ: number;
  readonly signI: number;
  readonly signJ: number;
  /** bf16 encoding of the merged magnitude, rounded once, BEFORE the exponent is raised. */
  readonly magnitude: number;
}

/** Thrown by `mergeCore` for a magnitude that does not fit the 5-bit exponent field. */
export class UnpackableMagnitude extends Error {
  constructor(
    readonly magnitude: number,
    readonly offset: number,
  ) {
    super(describeUnpackable(magnitude, offset));
    this.name = 'UnpackableMagnitude';
  }
}

function bf16Value(bits: number): number {
  u32[0] = bits << 16;
  return f32[0];
}

function describeUnpackable(mag: number, offset: number): string {
  const E = mag >> 7;
  const limit = offset + E5_MAX + 1 - 127;
  return `merged magnitude ${E === 0xff ? 'overflows bf16 (Inf)' : bf16Value(mag).toPrecision(6)} (bf16 0x${mag.toString(16).padStart(4, '0')}, exponent ${E}) is >= 2^${limit} and cannot be packed: with exponent offset ${offset} the largest exponent is ${offset + E5_MAX}`;
}

let lastShared = false;
let lastMagnitude = 0;
/** Which expert the last merged magnitude came from: 0 = i, 1 = j, 2 = both (shared). */
let lastSource = 2;

/**
 * The packed word for one element. Inputs must be finite fp32 values, norms >= 0 (checked by the
 * callers). Throws UnpackableMagnitude. Also leaves the decision in `lastShared`/`lastMagnitude`.
 */
function mergeCore(wi: number, wj: number, xi: number, xj: number, r: Resolved): number {
  const a = Math.abs(wi);
  const b = Math.abs(wj);
  let mi: number;
  let mj: number;
  let mag: number;
  const shared = isShared(a, b, r.tau, r.zeroShared);
  if (shared) {
    mi = mj = 1;
    mag = bf16Average(a, b);
  } else if (a * xi >= b * xj) {
    mi = 1;
    mj = 0;
    mag = bf16Magnitude(a);
  } else {
    mi = 0;
    mj = 1;
    mag = bf16Magnitude(b);
  }
  lastShared = shared;
  lastMagnitude = mag;
  lastSource = shared ? 2 : mi ? 0 : 1;
  const E = mag >> 7;
  if (E > r.offset + E5_MAX) throw new UnpackableMagnitude(mag, r.offset);
  const e5 = E < r.offset ? 0 : E - r.offset;
  const si = wi < 0 ? 1 : 0;
  const sj = wj < 0 ? 1 : 0;
  return (si << 15) | (sj << 14) | (mi << 13) | (mj << 12) | (e5 << 7) | (mag & 0x7f);
}

function checkInput(x: number, what: string, kind: 'weight' | 'norm'): void {
  if (typeof x !== 'number' || Number.isNaN(x)) throw new UserError(`${what}: ${kind} is NaN`);
  if (!Number.isFinite(x)) throw new UserError(`${what}: ${kind} is ${x > 0 ? '+' : '-'}Infinity`);
  if (Math.fround(x) !== x) throw new UserError(`${what}: ${kind} ${x} is not exactly representable in fp32`);
  if (kind === 'norm' && x < 0) throw new UserError(`${what}: a channel norm must be >= 0, got ${x}`);
}

/** Merges one element pair (Wi, Wj) with channel norms (xi, xj). */
export function mergeElement(wi: number, wj: number, xi = 1, xj = 1, opts: MergeOptions = {}): MergedElement {
  const r = resolveOptions(opts);
  checkInput(wi, 'Wi', 'weight');
  checkInput(wj, 'Wj', 'weight');
  checkInput(xi, 'xi', 'norm');
  checkInput(xj, 'xj', 'norm');
  let word: number;
  try {
    word = mergeCore(wi, wj, xi, xj, r);
  } catch (e) {
    if (e instanceof UnpackableMagnitude) throw new UserError(e.message);
    throw e;
  }
  return {
    word,
    shared: lastShared,
    maskI: (word >> 13) & 1,
    maskJ: (word >> 12) & 1,
    signI: (word >> 15) & 1,
    signJ: (word >> 14) & 1,
    magnitude: lastMagnitude,
  };
}

// ---- whole matrices ---------------------------------------------------------------------------------

/** Values of a named tensor (row-major). */
export interface NamedValues {
  readonly name: string;
  readonly values: ArrayLike<number>;
}

export interface MergeMatrixInput {
  /** Expert i's and j's weights, shape [rows, cols] = [out, in], row-major. */
  readonly wi: NamedValues;
  readonly wj: NamedValues;
  /** Input-channel L2 norms of the calibration tokens routed to expert i / j, shape [cols]. */
  readonly xi: NamedValues;
  readonly xj: NamedValues;
  readonly rows: number;
  readonly cols: number;
}

const at = (k: number, cols: number): number[] => [Math.floor(k / cols), k % cols];
const fmtIndex = (ix: readonly number[]): string => `[${ix.join(', ')}]`;

/**
 * Merges and packs one weight matrix of an expert pair: word k = element k (row-major). Errors
 * (PuzzleMoeError, a UserError) name the tensor and the [row, col] index: NaN/Inf or non-fp32
 * weights, negative/NaN/Inf norms, wrong lengths, unpackable merged magnitudes.
 */
export function mergeMatrix(input: MergeMatrixInput, opts: MergeOptions = {}): Uint16Array {
  const r = resolveOptions(opts);
  const { wi, wj, xi, xj, rows, cols } = input;
  const n = rows * cols;
  for (const [t, len, shape] of [
    [wi, n, `[${rows}, ${cols}]`],
    [wj, n, `[${rows}, ${cols}]`],
    [xi, cols, `[${cols}]`],
    [xj, cols, `[${cols}]`],
  ] as const) {
    if (t.values.length !== len) throw new PuzzleMoeError(`${t.name}: has ${t.values.length} values, expected ${len} (shape ${shape})`, t.name, null);
  }
  for (const x of [xi, xj]) {
    for (let c = 0; c < cols; c++) {
      const v = x.values[c];
      if (!(v >= 0) || !isFp32Value(v)) {
        try {
          checkInput(v, `${x.name}[${c}]`, 'norm');
        } catch (e) {
          throw new PuzzleMoeError((e as Error).message, x.name, [c]);
        }
      }
    }
  }
  const out = new Uint16Array(n);
  const vi = wi.values;
  const vj = wj.values;
  const ni = xi.values;
  const nj = xj.values;
  for (let k = 0; k < n; k++) {
    const a = vi[k];
    const b = vj[k];
    if (!isFp32Value(a)) badWeight(wi.name, a, at(k, cols));
    if (!isFp32Value(b)) badWeight(wj.name, b, at(k, cols));
    const c = k % cols;
    try {
      out[k] = mergeCore(a, b, ni[c], nj[c], r);
    } catch (e) {
      if (!(e instanceof UnpackableMagnitude)) throw e;
      const ix = at(k, cols);
      const owner = lastSource === 2 ? `${wi.name} / ${wj.name}` : lastSource === 0 ? wi.name : wj.name;
      throw new PuzzleMoeError(`${owner}${fmtIndex(ix)}: ${e.message}`, owner, ix);
    }
  }
  return out;
}

function badWeight(name: string, v: number, ix: number[]): never {
  try {
    checkInput(v, `${name}${fmtIndex(ix)}`, 'weight');
  } catch (e) {
    throw new PuzzleMoeError((e as Error).message, name, ix);
  }
  throw new Error('unreachable');
}

/** Number of shared elements of two equally long weight arrays (for pairing by similarity). */
export function countShared(wi: ArrayLike<number>, wj: ArrayLike<number>, tau = DEFAULT_TAU, zeroShared = true): number {
  let s = 0;
  for (let k = 0; k < wi.length; k++) if (isShared(Math.abs(wi[k]), Math.abs(wj[k]), tau, zeroShared)) s++;
  return s;
}
