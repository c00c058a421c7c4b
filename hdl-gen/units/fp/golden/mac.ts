import { BF16, FP16, FP32, type FpFormat, type FpResult } from './formats.ts';
import { fusedMulAdd } from './fma.ts';

/**
 * Mixed-precision multiply-accumulate: acc' = round_fp32(acc + a*b), with a, b in `inFmt` (binary16
 * or bfloat16) and acc, acc' binary32. Operand order everywhere (ops table, vector files): a, b, acc.
 *
 * Rounding path: the product sigA*sigB * 2^(expA+expB) (<= 22 bits for binary16, <= 16 for
 * bfloat16, exact in a Number) is formed exactly, added exactly to acc (`addExact`, BigInt
 * alignment with sticky jamming, so a bfloat16 product far outside binary32's range is still
 * exact), and the sum is rounded ONCE to binary32 by `roundPack` (RNE). For binary16 the product
 * is always representable in binary32, so this equals f32_add(acc, exact product).
 *
 * It is `fusedMulAdd(inFmt, FP32, ...)`: special cases as a fused multiply-add (SoftFloat/RISC-V
 * conventions; any NaN -> 0x7FC00000, invalid for sNaN operands and Inf*0, even with a quiet-NaN acc).
 */
export function macToF32(inFmt: FpFormat, a: number, b: number, acc: number): FpResult {
  return fusedMulAdd(inFmt, FP32, a, b, acc);
}

/** acc' = round_fp32(acc + a*b) with binary16 a, b: the PE's verify-mode MAC. */
export function mac_f16_f32(a: number, b: number, acc: number): FpResult {
  return macToF32(FP16, a, b, acc);
}

/** acc' = round_fp32(acc + a*b) with bfloat16 a, b. */
export function mac_bf16_f32(a: number, b: number, acc: number): FpResult {
  return macToF32(BF16, a, b, acc);
}
