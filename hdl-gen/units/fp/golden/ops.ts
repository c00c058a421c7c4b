import { f16_add, f32_add } from './add.ts';
import { bf16_to_f32, f16_to_f32, f32_to_bf16, f32_to_f16 } from './convert.ts';
import { f16_mulAdd } from './fma.ts';
import type { FpResult } from './formats.ts';
import { mac_bf16_f32, mac_f16_f32 } from './mac.ts';
import { f16_mul, f32_mul } from './mul.ts';

export type FpOpName =
  | 'f16_mul'
  | 'f16_add'
  | 'f16_mulAdd'
  | 'f32_add'
  | 'f32_mul'
  | 'f16_to_f32'
  | 'bf16_to_f32'
  | 'f32_to_f16'
  | 'f32_to_bf16'
  | 'mac_f16_f32'
  | 'mac_bf16_f32';

/**
 * One golden operation: its operand layout (as in vector files: operands in this order, then the
 * result, then the flags byte) and the model itself.
 */
export interface FpOpSpec {
  readonly name: FpOpName;
  readonly arity: number;
  /** Width in bits of each operand, in vector-file order. */
  readonly operandWidths: readonly number[];
  readonly resultWidth: number;
  readonly fn: (operands: readonly number[]) => FpResult;
}

/**
 * Every golden floating-point operation by name. Operand orders: binary ops `a b`,
 * f16_mulAdd `a b c` (a*b + c), mac_f16_f32 `a b acc` (FP16, FP16, FP32; acc + a*b), mac_bf16_f32
 * `a b acc` (BF16, BF16, FP32).
 */
export const FP_OPS: Readonly<Record<FpOpName, FpOpSpec>> = Object.freeze({
  f16_mul: { name: 'f16_mul', arity: 2, operandWidths: [16, 16], resultWidth: 16, fn: (o) => f16_mul(o[0], o[1]) },
  f16_add: { name: 'f16_add', arity: 2, operandWidths: [16, 16], resultWidth: 16, fn: (o) => f16_add(o[0], o[1]) },
  f16_mulAdd: {
    name: 'f16_mulAdd',
    arity: 3,
    operandWidths: [16, 16, 16],
    resultWidth: 16,
    fn: (o) => f16_mulAdd(o[0], o[1], o[2]),
  },
  f32_add: { name: 'f32_add', arity: 2, operandWidths: [32, 32], resultWidth: 32, fn: (o) => f32_add(o[0], o[1]) },
  f32_mul: { name: 'f32_mul', arity: 2, operandWidths: [32, 32], resultWidth: 32, fn: (o) => f32_mul(o[0], o[1]) },
  f16_to_f32: { name: 'f16_to_f32', arity: 1, operandWidths: [16], resultWidth: 32, fn: (o) => f16_to_f32(o[0]) },
  bf16_to_f32: { name: 'bf16_to_f32', arity: 1, operandWidths: [16], resultWidth: 32, fn: (o) => bf16_to_f32(o[0]) },
  f32_to_f16: { name: 'f32_to_f16', arity: 1, operandWidths: [32], resultWidth: 16, fn: (o) => f32_to_f16(o[0]) },
  f32_to_bf16: { name: 'f32_to_bf16', arity: 1, operandWidths: [32], resultWidth: 16, fn: (o) => f32_to_bf16(o[0]) },
  mac_f16_f32: {
    name: 'mac_f16_f32',
    arity: 3,
    operandWidths: [16, 16, 32],
    resultWidth: 32,
    fn: (o) => mac_f16_f32(o[0], o[1], o[2]),
  },
  mac_bf16_f32: {
    name: 'mac_bf16_f32',
    arity: 3,
    operandWidths: [16, 16, 32],
    resultWidth: 32,
    fn: (o) => mac_bf16_f32(o[0], o[1], o[2]),
  },
});

export function isFpOpName(name: string): name is FpOpName {
  return Object.hasOwn(FP_OPS, name);
}
