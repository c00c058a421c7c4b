import { decodeWord, packFields } from '../../hdl-gen/units/puzzlemoe/golden/format.ts';
import { rngFromSeed } from '../../verif/random.ts';

/**
 * The stimulus and expected outputs of the PuzzleMoE decode BIST, computed by the golden model
 * (hdl-gen/units/puzzlemoe/golden/format.ts `decodeWord`). Beat b carries `lanes` packed words;
 * the corner words come first (every mask combination, both signs, e5 = 0 and 31, mantissa
 * extremes), then seeded random words.
 */
export interface DecodeBistVectors {
  /** beats[b][k]: packed word k of beat b. */
  readonly words: readonly (readonly number[])[];
  /** expected[b][k]: [lane0, lane1] of word k of beat b. */
  readonly expected: readonly (readonly (readonly [number, number])[])[];
}

/** Packed words that exercise every field boundary: s_i, s_j, the two masks, e5 extremes, mantissa. */
export function cornerWords(): number[] {
  const words: number[] = [];
  for (const signs of [0, 1, 2, 3]) {
    for (const masks of [0, 1, 2, 3]) {
      for (const e5 of [0, 1, 15, 16, 31]) {
        for (const mantissa of [0x00, 0x7f, 0x55]) {
          words.push(packFields({ sign0: signs >> 1, sign1: signs & 1, mask0: masks >> 1, mask1: masks & 1, e5, mantissa }));
        }
      }
    }
  }
  return words;
}

export function decodeBistVectors(p: { lanes: number; vectors: number; seed: number; exponentOffset: number }): DecodeBistVectors {
  const rng = rngFromSeed(p.seed);
  const corners = cornerWords();
  const total = p.lanes * p.vectors;
  const flat = Array.from({ length: total }, (_, i) => (i < corners.length ? corners[i] : rng.below(0x10000)));
  const words = Array.from({ length: p.vectors }, (_, b) => flat.slice(b * p.lanes, (b + 1) * p.lanes));
  const expected = words.map((beat) => beat.map((w) => decodeWord(w, p.exponentOffset)));
  return { words, expected };
}
