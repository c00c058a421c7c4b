import { UserError } from '../../../errors.ts';
import type { DraftFormat, DraftFormatName } from './draft-format.ts';
import { DRAFT_FORMATS } from './draft-format.ts';
import { matrixFromNibblePlanes, matrixToNibblePlanes, packedLength } from './layout.ts';
import { type ScaleK, type TensorCounts, analyzeTensor, storeTensor, storedToFp16 } from './scale.ts';

/**
 * Tensor-level offline tool, independent of any file format: FP16 tensor -> scaled, remapped
 * stored words in the row-wise nibble-plane layout, plus the per-tensor metadata the array needs.
 *
 * A tensor of shape [d0, ..., d_{m-1}] (row-major) is viewed as rows x cols with cols = d_{m-1}
 * (the reduction dimension of a [out, in] weight) and rows = d0 * ... * d_{m-2}; rank 0 and rank 1
 * tensors are one row. The packed tensor is U16 of shape [rows, 4 * ceil(cols / 4)]: each row is
 * `toNibblePlanes` of that row's stored words (draft plane, then residual plane).
 */

/** Layout identifier written to the metadata. */
export const SPEQ_LAYOUT = 'speq-nibble-planes-rows-v1';
/** Key of the JSON metadata in a packed file's string metadata. */
export const SPEQ_METADATA_KEY = 'speq';

export interface F16Tensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** FP16 encodings, row-major. */
  readonly data: Uint16Array;
}

/** Per-tensor metadata (JSON-serialisable). */
export interface SpeqTensorMeta {
  /** Original shape of the FP16 tensor. */
  readonly shape: readonly number[];
  readonly rows: number;
  readonly cols: number;
  /** Applied scale exponent (stored = weights * 2^-k); 0 for a fallback tensor. */
  readonly k: ScaleK;
  /** Smallest k the tensor would need. */
  readonly kRequired: number;
  /** Verify-only: stored words are the raw FP16 words; no draft table. */
  readonly fallback: boolean;
  readonly reason: string | null;
  readonly format: DraftFormatName;
  /** 8 table exponents (scale folded in; entry 0 unused), or null for a fallback tensor. */
  readonly table: readonly number[] | null;
  readonly counts: TensorCounts;
}

export interface SpeqFileMeta {
  readonly version: 1;
  readonly layout: typeof SPEQ_LAYOUT;
  readonly format: DraftFormatName;
  readonly tensors: Readonly<Record<string, SpeqTensorMeta>>;
}

export interface PackedTensor {
  readonly name: string;
  /** [rows, 4 * ceil(cols / 4)]. */
  readonly shape: readonly [number, number];
  readonly data: Uint16Array;
  readonly meta: SpeqTensorMeta;
}

export function matrixView(shape: readonly number[]): { rows: number; cols: number } {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`bad tensor dimension ${d}`);
  }
  if (shape.length === 0) return { rows: 1, cols: 1 };
  const cols = shape[shape.length - 1];
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return { rows, cols };
}

/** Packs one FP16 tensor. Throws a UserError for NaN/Inf weights (tensor name and index). */
export function packTensor(t: F16Tensor, format: DraftFormat): PackedTensor {
  const { rows, cols } = matrixView(t.shape);
  if (t.data.length !== rows * cols) {
    throw new UserError(`tensor '${t.name}': shape [${t.shape.join(', ')}] needs ${rows * cols} elements, data has ${t.data.length}`);
  }
  const sc = analyzeTensor(t.name, t.data, t.shape);
  const stored = storeTensor(t.data, sc);
  const table = sc.fallback ? null : [...format.computeTable(t.data, sc.k).exps];
  const data = matrixToNibblePlanes(stored, rows, cols);
  return {
    name: t.name,
    shape: [rows, packedLength(cols)],
    data,
    meta: {
      shape: [...t.shape],
      rows,
      cols,
      k: sc.k,
      kRequired: sc.kRequired,
      fallback: sc.fallback,
      reason: sc.reason ?? null,
      format: format.name,
      table,
      counts: sc.counts,
    },
  };
}

/** The original FP16 tensor data (row-major, original shape) from a packed tensor and its metadata. */
export function unpackTensor(data: ArrayLike<number>, meta: SpeqTensorMeta): Uint16Array {
  const stored = matrixFromNibblePlanes(data, meta.rows, meta.cols);
  if (meta.fallback) return stored;
  const out = new Uint16Array(stored.length);
  for (let i = 0; i < stored.length; i++) out[i] = storedToFp16(stored[i], meta.k);
  return out;
}

/** Looks up a draft format by name (UserError listing the choices otherwise). */
export function draftFormatByName(name: string): DraftFormat {
  if (!Object.hasOwn(DRAFT_FORMATS, name)) {
    throw new UserError(`unknown draft format '${name}'; choices: ${Object.keys(DRAFT_FORMATS).join(', ')}`);
  }
  return DRAFT_FORMATS[name as DraftFormatName];
}
