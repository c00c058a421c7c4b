/**
 * The floating-point formats of the RTL generators: field widths and the derived constants the
 * hardware needs. Plain numbers only (the golden models keep their own, independent table).
 */
export type FpFormatName = 'f16' | 'bf16' | 'f32';

export const FP_FORMAT_NAMES: readonly FpFormatName[] = ['f16', 'bf16', 'f32'];

export interface FpFormatSpec {
  readonly name: FpFormatName;
  /** Total width: sign + exponent + fraction. */
  readonly width: number;
  readonly expBits: number;
  /** Stored fraction bits; the significand precision is fracBits + 1. */
  readonly fracBits: number;
  /** fracBits + 1 (hidden bit included). */
  readonly precision: number;
  readonly bias: number;
  /** All-ones exponent field (Inf / NaN). */
  readonly expMax: number;
  /** The canonical quiet NaN (positive, quiet bit only): 0x7E00, 0x7FC0, 0x7FC00000. */
  readonly canonicalNaN: number;
}

function spec(name: FpFormatName, expBits: number, fracBits: number): FpFormatSpec {
  const expMax = 2 ** expBits - 1;
  return Object.freeze({
    name,
    width: 1 + expBits + fracBits,
    expBits,
    fracBits,
    precision: fracBits + 1,
    bias: 2 ** (expBits - 1) - 1,
    expMax,
    canonicalNaN: expMax * 2 ** fracBits + 2 ** (fracBits - 1),
  });
}

export const FP_FORMATS: Readonly<Record<FpFormatName, FpFormatSpec>> = Object.freeze({
  f16: spec('f16', 5, 10),
  bf16: spec('bf16', 8, 7),
  f32: spec('f32', 8, 23),
});

export function fpFormat(name: FpFormatName): FpFormatSpec {
  const f = FP_FORMATS[name];
  if (!f) throw new Error(`unknown floating-point format '${String(name)}' (known: ${FP_FORMAT_NAMES.join(', ')})`);
  return f;
}

/** Bits of a two's complement number holding every integer of [min, max]. */
export function signedWidth(min: number, max: number): number {
  let w = 2;
  while (-(2 ** (w - 1)) > min || 2 ** (w - 1) - 1 < max) w++;
  return w;
}
