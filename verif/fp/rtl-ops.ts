import type { ModuleDef } from '../../hdl-gen/index.ts';
import type { FpOpName } from '../../hdl-gen/units/fp/golden/ops.ts';
import { FpAdd } from '../../hdl-gen/units/fp/rtl/fp-add.ts';
import { FpConvert } from '../../hdl-gen/units/fp/rtl/fp-convert.ts';
import { FpFma } from '../../hdl-gen/units/fp/rtl/fp-fma.ts';
import { FpMac } from '../../hdl-gen/units/fp/rtl/fp-mac.ts';
import { FpMul } from '../../hdl-gen/units/fp/rtl/fp-mul.ts';

/** Every FP operation the RTL implements: every golden FP_OPS operation. */
export type RtlFpOpName = FpOpName;

/** How to build and drive the generator of one operation. */
export interface RtlFpOp {
  readonly name: RtlFpOpName;
  readonly def: ModuleDef<any, any>;
  /** Generator parameters for a given number of pipeline stages. */
  params(stages: number): Record<string, unknown>;
  /** Largest supported `stages`. */
  readonly maxStages: number;
  /** Input port names, in operand (vector-file) order. */
  readonly inputs: readonly string[];
  readonly operandWidths: readonly number[];
  readonly resultWidth: number;
}

const op = (o: RtlFpOp): RtlFpOp => Object.freeze(o);

export const RTL_FP_OPS: Readonly<Record<RtlFpOpName, RtlFpOp>> = Object.freeze({
  f16_mul: op({ name: 'f16_mul', def: FpMul, params: (stages) => ({ format: 'f16', stages }), maxStages: 3, inputs: ['a', 'b'], operandWidths: [16, 16], resultWidth: 16 }),
  f32_mul: op({ name: 'f32_mul', def: FpMul, params: (stages) => ({ format: 'f32', stages }), maxStages: 3, inputs: ['a', 'b'], operandWidths: [32, 32], resultWidth: 32 }),
  f16_add: op({ name: 'f16_add', def: FpAdd, params: (stages) => ({ format: 'f16', stages }), maxStages: 3, inputs: ['a', 'b'], operandWidths: [16, 16], resultWidth: 16 }),
  f32_add: op({ name: 'f32_add', def: FpAdd, params: (stages) => ({ format: 'f32', stages }), maxStages: 3, inputs: ['a', 'b'], operandWidths: [32, 32], resultWidth: 32 }),
  f16_mulAdd: op({ name: 'f16_mulAdd', def: FpFma, params: (stages) => ({ format: 'f16', stages }), maxStages: 4, inputs: ['a', 'b', 'c'], operandWidths: [16, 16, 16], resultWidth: 16 }),
  f16_to_f32: op({ name: 'f16_to_f32', def: FpConvert, params: (stages) => ({ from: 'f16', to: 'f32', stages }), maxStages: 1, inputs: ['a'], operandWidths: [16], resultWidth: 32 }),
  bf16_to_f32: op({ name: 'bf16_to_f32', def: FpConvert, params: (stages) => ({ from: 'bf16', to: 'f32', stages }), maxStages: 1, inputs: ['a'], operandWidths: [16], resultWidth: 32 }),
  f32_to_f16: op({ name: 'f32_to_f16', def: FpConvert, params: (stages) => ({ from: 'f32', to: 'f16', stages }), maxStages: 2, inputs: ['a'], operandWidths: [32], resultWidth: 16 }),
  f32_to_bf16: op({ name: 'f32_to_bf16', def: FpConvert, params: (stages) => ({ from: 'f32', to: 'bf16', stages }), maxStages: 2, inputs: ['a'], operandWidths: [32], resultWidth: 16 }),
  mac_f16_f32: op({ name: 'mac_f16_f32', def: FpMac, params: (stages) => ({ inFormat: 'f16', stages }), maxStages: 4, inputs: ['a', 'b', 'acc'], operandWidths: [16, 16, 32], resultWidth: 32 }),
  mac_bf16_f32: op({ name: 'mac_bf16_f32', def: FpMac, params: (stages) => ({ inFormat: 'bf16', stages }), maxStages: 4, inputs: ['a', 'b', 'acc'], operandWidths: [16, 16, 32], resultWidth: 32 }),
});

export const RTL_FP_OP_NAMES = Object.keys(RTL_FP_OPS) as RtlFpOpName[];

export function isRtlFpOpName(name: string): name is RtlFpOpName {
  return Object.hasOwn(RTL_FP_OPS, name);
}
