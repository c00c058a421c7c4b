import { UInt, cat, lit, mux, type Sig } from '../../../index.ts';

/**
 * The decoded draft weight that travels from a column's weight feeder to its PEs: a signed power of
 * two (-1)^sign * 2^exp, or a signed zero when `zero` (golden: `DraftValue` of draft-format.ts).
 * Packed into 7 bits: { zero, sign, exp[4:0] } (bit 6 .. bit 0), exp two's complement in [-16, 15]
 * (the table is 8 x 5-bit exponents; the built-in formats use [-15, 2]).
 */
export const DRAFT_WEIGHT_BITS = 7;
export const DRAFT_EXP_BITS = 5;

export interface DraftWeightFields {
  readonly zero: Sig<'bool'>;
  readonly sign: Sig<'bool'>;
  readonly exp: Sig<'sint'>;
}

export function packDraftWeight(d: DraftWeightFields): Sig<'bits'> {
  return cat(d.zero, d.sign, d.exp.asUInt()).asBits();
}

export function unpackDraftWeight(bits: Sig): DraftWeightFields {
  if (bits.width !== DRAFT_WEIGHT_BITS) throw new Error(`a draft weight is ${DRAFT_WEIGHT_BITS} bits, got ${bits.width}`);
  return { zero: bits.bit(6), sign: bits.bit(5), exp: bits.slice(4, 0).asSInt() };
}

/**
 * The FP16 encoding of a draft weight (exact for every 5-bit exponent: 2^-16 .. 2^15 are FP16
 * numbers, 2^-15 and 2^-16 subnormal): ±0, or { sign, exp + 15, 10'b0 } for exp >= -14, or the
 * subnormals 0x0200 (2^-15) and 0x0100 (2^-16). The verify datapath multiplies by it in draft lane 0.
 */
export function draftWeightToFp16(d: DraftWeightFields): Sig<'bits'> {
  const field = d.exp.add(15); // 5-bit wrap: -16 -> 31, -15 -> 0, -14 .. 15 -> 1 .. 30
  const normal = d.exp.ge(-14);
  const sub = mux(d.exp.eq(-15), lit(0x200, UInt(15)), lit(0x100, UInt(15)));
  const magnitude = mux(d.zero, lit(0, UInt(15)), mux(normal, cat(field.asUInt(), lit(0, UInt(10))), sub));
  return cat(d.sign, magnitude).asBits();
}
