/**
 * PuzzleMoE packed word format and the decode rule (golden model; see
 * /work/shared/specs/puzzlemoe.md). Pure TypeScript: no hardware code is imported here.
 *
 * One 16-bit word per position of a merged expert pair (position 0 = expert i, 1 = expert j):
 *
 * | bits  | 15     | 14     | 13     | 12     | 11..7 | 6..0                      |
 * |-------|--------|--------|--------|--------|-------|---------------------------|
 * | field | sign 0 | sign 1 | mask 0 | mask 1 | e5    | mantissa (bf16, 7 bits)   |
 *
 * e5 = E - offset, E the bf16 biased exponent of the merged magnitude (raised to `offset` when
 * below it, mantissa kept). Decode of position p: mask bit (13 - p) clear -> +0 (0x0000); else the
 * bf16 { sign bit (15 - p), E = e5 + offset, mantissa }.
 */

/** The paper's exponent offset: E = e5 + 112, so packable magnitudes are 2^-15 .. < 2^17. */
export const DEFAULT_EXPONENT_OFFSET = 112;

/** Largest e5 (5 bits). */
export const E5_MAX = 31;

/**
 * Checks an exponent offset: every E = offset + e5 (e5 in 0..31) must be a normal bf16 exponent
 * (1..254), so 1 <= offset <= 223. Returns the offset.
 */
export function checkExponentOffset(offset: number): number {
  if (!Number.isInteger(offset) || offset < 1 || offset + E5_MAX > 254) {
    throw new RangeError(`exponent offset must be an integer from 1 to ${254 - E5_MAX} (E = e5 + offset must be a normal bf16 exponent), got ${offset}`);
  }
  return offset;
}

export type Position = 0 | 1;

/** The fields of a packed word. */
export interface PackedFields {
  /** Sign bits of position 0 (expert i) and 1 (expert j): 0 or 1. */
  readonly sign0: number;
  readonly sign1: number;
  /** Mask bits of position 0 and 1: 0 or 1. */
  readonly mask0: number;
  readonly mask1: number;
  /** Exponent field, 0..31. */
  readonly e5: number;
  /** bf16 mantissa (fraction) field, 0..127. */
  readonly mantissa: number;
}

export function packFields(f: PackedFields): number {
  for (const [k, v, max] of [
    ['sign0', f.sign0, 1],
    ['sign1', f.sign1, 1],
    ['mask0', f.mask0, 1],
    ['mask1', f.mask1, 1],
    ['e5', f.e5, E5_MAX],
    ['mantissa', f.mantissa, 127],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`packFields: ${k} must be an integer from 0 to ${max}, got ${v}`);
  }
  return (f.sign0 << 15) | (f.sign1 << 14) | (f.mask0 << 13) | (f.mask1 << 12) | (f.e5 << 7) | f.mantissa;
}

export function unpackFields(word: number): PackedFields {
  checkWord(word);
  return {
    sign0: (word >> 15) & 1,
    sign1: (word >> 14) & 1,
    mask0: (word >> 13) & 1,
    mask1: (word >> 12) & 1,
    e5: (word >> 7) & 0x1f,
    mantissa: word & 0x7f,
  };
}

function checkWord(word: number): void {
  if (!Number.isInteger(word) || word < 0 || word > 0xffff) throw new RangeError(`a packed word is a 16-bit unsigned integer, got ${word}`);
}

/** The bf16 encoding of position `p` of a packed word (the paper's decoding algorithm). */
export function decodeLane(word: number, p: Position, exponentOffset = DEFAULT_EXPONENT_OFFSET): number {
  checkWord(word);
  checkExponentOffset(exponentOffset);
  if (((word >> (13 - p)) & 1) === 0) return 0x0000;
  const sign = (word >> (15 - p)) & 1;
  const e = ((word >> 7) & 0x1f) + exponentOffset;
  return (sign << 15) | (e << 7) | (word & 0x7f);
}

/** Both positions of a packed word: [lane 0 (expert i), lane 1 (expert j)] as bf16 encodings. */
export function decodeWord(word: number, exponentOffset = DEFAULT_EXPONENT_OFFSET): [number, number] {
  return [decodeLane(word, 0, exponentOffset), decodeLane(word, 1, exponentOffset)];
}
