import { UserError } from '../../../errors.ts';
import { type DraftFormat, type DraftTable, draftValueNumber } from './draft-format.ts';
import { analyzeTensor, fp16ToStored, fp16Value } from './scale.ts';

export interface DraftError {
  readonly k: number;
  readonly table: DraftTable;
  /** ||d - w||_2 / ||w||_2 over the whole tensor (w the FP16 weights, d their draft values). */
  readonly relL2: number;
  /** <d, w> / (||d|| ||w||). */
  readonly cosine: number;
}

/**
 * Quality of a draft format on one tensor: relative L2 error and cosine similarity of the draft
 * values against the FP16 weights, in float64. UserError for a tensor that falls back (no draft).
 */
export function draftError(name: string, weights: ArrayLike<number>, format: DraftFormat): DraftError {
  const sc = analyzeTensor(name, weights);
  if (sc.fallback) throw new UserError(`tensor '${name}' has no draft values: ${sc.reason}`);
  const table = format.computeTable(weights, sc.k);
  let e2 = 0;
  let w2 = 0;
  let d2 = 0;
  let wd = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = fp16Value(weights[i]);
    const d = draftValueNumber(format.decode(format.encodeStored(fp16ToStored(weights[i], sc.k)), table));
    e2 += (d - w) ** 2;
    w2 += w * w;
    d2 += d * d;
    wd += w * d;
  }
  return { k: sc.k, table, relL2: Math.sqrt(e2 / w2), cosine: wd / Math.sqrt(w2 * d2) };
}
