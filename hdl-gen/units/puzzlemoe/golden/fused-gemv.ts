import { mac_bf16_f32 } from '../../fp/golden/mac.ts';
import { DEFAULT_EXPONENT_OFFSET, checkExponentOffset, decodeWord } from './format.ts';

/**
 * PuzzleMoE fused two-expert GEMV (golden model; /work/shared/specs/puzzlemoe.md, "Fused datapath
 * arithmetic"). Pure TypeScript: no hardware code is imported here.
 *
 * One packed matrix P [rows, cols] (row-major, one 16-bit word per position of the expert pair)
 * holds both experts' weights: W_i[r][k] = lane 0 of P[r][k], W_j[r][k] = lane 1 (`decodeWord`).
 * With BF16 activations x_i, x_j [cols] (expert i's and expert j's token), it computes
 *
 *   y_i[r] = sum_k W_i[r][k] * x_i[k],   y_j[r] = sum_k W_j[r][k] * x_j[k]   (FP32 results)
 *
 * in exactly this order, for each r and each expert separately:
 *
 *   acc = +0.0 (0x00000000);  for k = 0 .. cols-1:  acc = round_fp32(acc + w[k] * x[k])
 *
 * where every step is the FP golden `mac_bf16_f32` (one multiply-accumulate, a single rounding): the
 * BF16 x BF16 product is exact, it is added exactly to acc and the sum is rounded once to FP32, round
 * to nearest even, canonical NaN (the flags are not used here). Masked weights (+0) take part like
 * any other weight (they add +0 or -0, as IEEE says).
 */

/** FP32 encodings of one row's two dot products. */
export interface FusedDot {
  readonly yi: number;
  readonly yj: number;
}

function checkBits(values: ArrayLike<number>, width: number, what: string): void {
  const max = 2 ** width - 1;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${what}[${k}] must be a ${width}-bit unsigned integer encoding, got ${v}`);
  }
}

/**
 * One row of the fused GEMV: the dot products of the packed row `words` (length K >= 1) with x_i and
 * x_j (BF16 encodings, length K), in the order k = 0 .. K-1 from +0.0.
 */
export function fusedDot(words: ArrayLike<number>, xi: ArrayLike<number>, xj: ArrayLike<number>, exponentOffset = DEFAULT_EXPONENT_OFFSET): FusedDot {
  checkExponentOffset(exponentOffset);
  if (words.length < 1) throw new RangeError('fusedDot: a dot product needs at least one column');
  if (xi.length !== words.length || xj.length !== words.length) {
    throw new RangeError(`fusedDot: x_i and x_j must have one value per column (${words.length}), got ${xi.length} and ${xj.length}`);
  }
  checkBits(words, 16, 'words');
  checkBits(xi, 16, 'x_i');
  checkBits(xj, 16, 'x_j');
  let yi = 0;
  let yj = 0;
  for (let k = 0; k < words.length; k++) {
    const [wi, wj] = decodeWord(words[k], exponentOffset);
    yi = mac_bf16_f32(wi, xi[k], yi).bits;
    yj = mac_bf16_f32(wj, xj[k], yj).bits;
  }
  return { yi, yj };
}

/** A fused GEMV problem: the packed matrix [rows, cols] row-major and the two activation vectors. */
export interface FusedGemvInput {
  readonly rows: number;
  readonly cols: number;
  readonly words: ArrayLike<number>;
  readonly xi: ArrayLike<number>;
  readonly xj: ArrayLike<number>;
  readonly exponentOffset?: number;
}

/** y_i = W_i x_i and y_j = W_j x_j (FP32 encodings, one per row), each row as `fusedDot`. */
export function fusedGemv(p: FusedGemvInput): { yi: Uint32Array; yj: Uint32Array } {
  if (!Number.isInteger(p.rows) || p.rows < 1 || !Number.isInteger(p.cols) || p.cols < 1) {
    throw new RangeError(`fusedGemv: rows and cols must be positive integers, got ${p.rows} x ${p.cols}`);
  }
  if (p.words.length !== p.rows * p.cols) throw new RangeError(`fusedGemv: words must hold rows * cols = ${p.rows * p.cols} values, got ${p.words.length}`);
  const yi = new Uint32Array(p.rows);
  const yj = new Uint32Array(p.rows);
  const row = new Array<number>(p.cols);
  for (let r = 0; r < p.rows; r++) {
    for (let k = 0; k < p.cols; k++) row[k] = p.words[r * p.cols + k];
    const d = fusedDot(row, p.xi, p.xj, p.exponentOffset);
    yi[r] = d.yi;
    yj[r] = d.yj;
  }
  return { yi, yj };
}
