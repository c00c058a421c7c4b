import { Bits, defineModule, input, output } from '../../../index.ts';
import { FP_FORMATS, type FpFormatName } from './format.ts';
import { fusedMulAddBody } from './fp-fma.ts';
import { stageSuffix, withValidPorts } from './pipeline.ts';

export type FpMacParams = {
  /** Format of the multiplicands a, b: 'f16' (mac_f16_f32) or 'bf16' (mac_bf16_f32). */
  readonly inFormat: Extract<FpFormatName, 'f16' | 'bf16'>;
  /** Pipeline registers: 0 (combinational) to 4. */
  readonly stages: number;
};

/**
 * Mixed-precision multiply-accumulate: y = round_f32(acc + a * b) with a, b in `inFormat` and acc,
 * y in f32, one rounding (the product of two f16 or bf16 significands is exact in the datapath).
 * The accumulator register itself belongs to the unit that uses this (feed y back into acc).
 * Same datapath and special cases as FpFma (see fusedMulAddBody).
 */
export const FpMac = defineModule({
  name: 'FpMac',
  io: (p: FpMacParams) => {
    const w = FP_FORMATS[p.inFormat].width;
    return withValidPorts(p.stages, { a: input(Bits(w)), b: input(Bits(w)), acc: input(Bits(32)), y: output(Bits(32)) });
  },
  moduleName: (p) => `FpMac_${p.inFormat}_f32${stageSuffix(p.stages)}`,
  body: (m, io, p) => {
    fusedMulAddBody(
      m,
      { a: io.a, b: io.b, c: io.acc, y: io.y, inValid: p.stages > 0 ? io.in_valid : null, outValid: p.stages > 0 ? io.out_valid : null },
      { mulFormat: p.inFormat, addFormat: 'f32', stages: p.stages },
      `FpMac_${p.inFormat}_f32`,
    );
  },
});
