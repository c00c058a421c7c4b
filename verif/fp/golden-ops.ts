import type { FpResult } from '../../hdl-gen/units/fp/golden/formats.ts';
import { FP_OPS } from '../../hdl-gen/units/fp/golden/ops.ts';
import { mac_bf16_f32 } from '../../hdl-gen/units/fp/golden/mac.ts';
import type { RtlFpOpName } from './rtl-ops.ts';

/** The golden model of every operation the RTL implements (operands in vector-file order). */
export function goldenFn(op: RtlFpOpName): (operands: readonly number[]) => FpResult {
  if (op === 'mac_bf16_f32') return (o) => mac_bf16_f32(o[0], o[1], o[2]);
  return FP_OPS[op].fn;
}
