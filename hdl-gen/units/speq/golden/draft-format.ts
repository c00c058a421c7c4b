import { FP16 } from '../../fp/golden/formats.ts';
import { type ScaleK, draftNibble, fp16ToStored, fp16Value } from './scale.ts';

/**
 * Draft-weight formats (spec: "Default draftFormat"). Everything that turns a stored word into a
 * draft weight goes through a `DraftFormat` object, so a change of format is a change of one object.
 *
 * Draft code: the top nibble of the stored word, code = { s, c2, c1, c0 } = stored[15:12], where
 * c = e[3:1] of the scaled weight (c groups the scaled biased exponents 2c and 2c+1). The draft
 * value of a code is a signed power of two, (-1)^s * 2^(table.exps[c]), or a signed zero (-1)^s * 0
 * for c = 0. The table's exponents already include the tensor scale: exps[c] = k_c + k, where k_c
 * is the exponent in the scaled domain and 2^k the tensor scale. So the draft pass never applies
 * any output scaling.
 *
 * Table exponents of both formats lie in [-15, 2] (k_c in [2c-15, 2c-13] for c >= 1, k <= 1, and
 * the unused entry 0 is fixed), so a table is 8 x 5-bit two's-complement exponents and every draft
 * value is exactly representable in FP16.
 */

/** A signed power of two (-1)^sign * 2^exp, or a signed zero when `zero`. */
export interface DraftValue {
  readonly zero: boolean;
  /** 0 or 1. */
  readonly sign: number;
  /** Exponent of the power of two (meaningless when zero; 0 by convention). */
  readonly exp: number;
}

export type DraftFormatName = 'table' | 'plain';

/** Per-tensor draft configuration: the 8 exponents loaded into the array. */
export interface DraftTable {
  readonly format: DraftFormatName;
  /**
   * exps[c] for code magnitude c = 0..7, tensor scale folded in. exps[0] is never read (code 0
   * drafts to zero); both formats fix it at k - 15 so every entry is a small number.
   */
  readonly exps: readonly number[];
}

export interface DraftFormat {
  readonly name: DraftFormatName;
  /** Bits per draft weight (a nibble: sign + 3-bit code). */
  readonly bitsPerWeight: 4;
  /** Draft code (4 bits, sign in bit 3) of a stored word. */
  encodeStored(stored: number): number;
  /** Draft code of an admissible FP16 weight at scale 2^-k (the code of its stored word). */
  encodeFp16(w: number, k: ScaleK): number;
  /** The per-tensor table, computed from the tensor's FP16 weights (index order) at scale 2^-k. */
  computeTable(weights: ArrayLike<number>, k: ScaleK): DraftTable;
  /** Value of a 4-bit draft code under a table of this format. */
  decode(code: number, table: DraftTable): DraftValue;
}

/** Lowest and highest table exponent either format produces. */
export const DRAFT_EXP_MIN = -15;
export const DRAFT_EXP_MAX = 2;

const POW2_52 = 2n ** 52n;
const TWO_POW_104_TIMES_2 = 2n * 2n ** 104n;

/**
 * round(log2(x)) for a positive finite double x, to the nearest integer, a value exactly halfway
 * rounding up. Computed exactly (no Math.log2 rounding): x = f * 2^e with f in [1, 2); the result is
 * e + 1 when f >= sqrt(2) (decided exactly as f^2 >= 2 in BigInt), else e. (f^2 = 2 has no double
 * solution, so the halfway rule never fires for doubles; it is stated for completeness.)
 */
export function roundLog2(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`roundLog2 needs a positive finite number, got ${x}`);
  let e = Math.floor(Math.log2(x));
  while (2 ** e > x) e--;
  while (2 ** (e + 1) <= x) e++;
  // f = x / 2^e in [1, 2); as an integer F = f * 2^52 (exact: f has at most 53 significant bits,
  // and x >= 2^-1022 keeps x / 2^e exact; subnormal x are scaled up first).
  const f = e < -1000 ? (x * 2 ** 100) / 2 ** (e + 100) : x / 2 ** e;
  const F = BigInt(f * 2 ** 52);
  if (F < POW2_52) throw new Error('roundLog2: internal normalisation error');
  return F * F >= TWO_POW_104_TIMES_2 ? e + 1 : e;
}

function checkCode(code: number): void {
  if (!Number.isInteger(code) || code < 0 || code > 0xf) throw new RangeError(`draft code must be a 4-bit integer, got ${code}`);
}

/** Tables already checked (tables are treated as immutable). */
const checkedTables = new WeakSet<DraftTable>();

function checkTable(table: DraftTable, format: DraftFormatName): void {
  if (table.format !== format) throw new RangeError(`draft table of format '${table.format}' used with format '${format}'`);
  if (checkedTables.has(table)) return;
  if (table.exps.length !== 8 || !table.exps.every((e) => Number.isInteger(e))) {
    throw new RangeError(`draft table needs 8 integer exponents, got [${table.exps.join(', ')}]`);
  }
  checkedTables.add(table);
}

function decodeWith(code: number, table: DraftTable, format: DraftFormatName): DraftValue {
  checkCode(code);
  checkTable(table, format);
  const sign = code >>> 3;
  const c = code & 7;
  if (c === 0) return { zero: true, sign, exp: 0 };
  return { zero: false, sign, exp: table.exps[c] };
}

const encodeStored = (stored: number): number => draftNibble(stored);
const encodeFp16 = (w: number, k: ScaleK): number => draftNibble(fp16ToStored(w, k));

/**
 * Default format: a per-tensor table of 8 powers of two.
 *
 * For each code c = 1..7: S_c = sum, in float64 in index order, of |w_i| * 2^-k over the weights
 * whose stored word carries code c (the scaled magnitudes; |w_i| * 2^-k is exact in float64);
 * N_c their count; mean_c = S_c / N_c (one float64 division); k_c = roundLog2(mean_c). A code no
 * weight carries gets k_c = 2c - 15. Table exps[c] = k_c + k. Entry 0 is fixed at k - 15 and never
 * read: code 0 drafts to a signed zero. (Since multiplication by 2^-k is exact in float64, the same
 * table results from summing the unscaled |w_i| and taking exps[c] = roundLog2(mean of |w_i|).)
 */
export const TABLE_FORMAT: DraftFormat = Object.freeze({
  name: 'table' as const,
  bitsPerWeight: 4 as const,
  encodeStored,
  encodeFp16,
  computeTable(weights: ArrayLike<number>, k: ScaleK): DraftTable {
    const sums = new Float64Array(8);
    const counts = new Float64Array(8);
    const scale = 2 ** -k;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i];
      const c = (fp16ToStored(w, k) >>> 12) & 7;
      sums[c] += Math.abs(fp16Value(w)) * scale;
      counts[c]++;
    }
    const exps = [k - 15];
    for (let c = 1; c < 8; c++) {
      const kc = counts[c] === 0 ? 2 * c - 15 : roundLog2(sums[c] / counts[c]);
      exps.push(kc + k);
    }
    return Object.freeze({ format: 'table' as const, exps: Object.freeze(exps) });
  },
  decode: (code: number, table: DraftTable) => decodeWith(code, table, 'table'),
});

/**
 * Plain rule: the draft value of code c >= 1 is 2^(2c-15) in the scaled domain (the smallest value
 * with that code: scaled biased exponent 2c, mantissa 0), i.e. exps[c] = 2c - 15 + k; code 0 drafts
 * to zero; exps[0] = k - 15 (unused). The table depends on k only.
 */
export const PLAIN_FORMAT: DraftFormat = Object.freeze({
  name: 'plain' as const,
  bitsPerWeight: 4 as const,
  encodeStored,
  encodeFp16,
  computeTable(_weights: ArrayLike<number>, k: ScaleK): DraftTable {
    return Object.freeze({ format: 'plain' as const, exps: Object.freeze(Array.from({ length: 8 }, (_, c) => 2 * c - 15 + k)) });
  },
  decode: (code: number, table: DraftTable) => decodeWith(code, table, 'plain'),
});

export const DRAFT_FORMATS: Readonly<Record<DraftFormatName, DraftFormat>> = Object.freeze({
  table: TABLE_FORMAT,
  plain: PLAIN_FORMAT,
});

/** The default `draftFormat` of the project. */
export const DEFAULT_DRAFT_FORMAT: DraftFormat = TABLE_FORMAT;

export function isDraftFormatName(name: string): name is DraftFormatName {
  return Object.hasOwn(DRAFT_FORMATS, name);
}

/** Exact double value of a draft value. */
export function draftValueNumber(v: DraftValue): number {
  if (v.zero) return v.sign ? -0 : 0;
  return (v.sign ? -1 : 1) * 2 ** v.exp;
}

/**
 * FP16 encoding of a draft value (exact; zero -> signed zero). Throws when 2^exp is outside the FP16
 * range [2^-24, 2^15], which no table of the two built-in formats produces.
 */
export function draftValueToFp16(v: DraftValue): number {
  const s = v.sign ? FP16.signBit : 0;
  if (v.zero) return s;
  if (v.exp > FP16.emax || v.exp < FP16.emin - FP16.fracBits) throw new RangeError(`draft value 2^${v.exp} is not representable in FP16`);
  if (v.exp >= FP16.emin) return s + (v.exp + FP16.bias) * FP16.hiddenBit;
  return s + 2 ** (v.exp - (FP16.emin - FP16.fracBits));
}
