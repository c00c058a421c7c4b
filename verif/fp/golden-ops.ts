import type { FpResult } from '../../hdl-gen/units/fp/golden/formats.ts';
import { FP_OPS } from '../../hdl-gen/units/fp/golden/ops.ts';
import type { RtlFpOpName } from './rtl-ops.ts';

/** The golden model of every operation the RTL implements (operands in vector-file order). */
export function goldenFn(op: RtlFpOpName): (operands: readonly number[]) => FpResult {
  return FP_OPS[op].fn;
}
