import { z } from 'zod';
import type { DesignGenerator } from '../../../designs/registry.ts';
import type { Params } from '../../../index.ts';
import { FP_ADD_CUTS, FpAdd } from './fp-add.ts';
import { FP_CONVERT_CUTS, FpConvert } from './fp-convert.ts';
import { FP_FMA_CUTS, FpFma } from './fp-fma.ts';
import { FpMac } from './fp-mac.ts';
import { FP_MUL_CUTS, FpMul } from './fp-mul.ts';

const stages = (max: number) => z.number().int().min(0).max(max).default(0);
const format = z.enum(['f16', 'bf16', 'f32']);

/** Supported conversions: the exact widenings and the rounded narrowings to f32's neighbours. */
const CONVERSIONS = ['f16>f32', 'bf16>f32', 'f32>f16', 'f32>bf16'];

/** The floating-point generators of the design registry (one spread into its list). */
export const fpGenerators: readonly DesignGenerator[] = [
  {
    name: 'fp-add',
    description: 'IEEE-style add (f16/bf16/f32, RNE, subnormals, canonical NaN), optional pipeline',
    params: z.object({ format, stages: stages(FP_ADD_CUTS.length) }).strict() as z.ZodType<Params>,
    def: FpAdd,
  },
  {
    name: 'fp-convert',
    description: 'format conversion f16/bf16 -> f32 (exact) and f32 -> f16/bf16 (RNE)',
    params: z
      .object({ from: format, to: format, stages: stages(FP_CONVERT_CUTS.narrow.length) })
      .strict()
      .refine((p) => CONVERSIONS.includes(`${p.from}>${p.to}`), { message: `supported conversions: ${CONVERSIONS.join(', ').replace(/>/g, ' -> ')}` })
      .refine((p) => p.from === 'f32' || p.stages <= FP_CONVERT_CUTS.widen.length, { message: 'a widening conversion has at most 1 stage', path: ['stages'] }) as z.ZodType<Params>,
    def: FpConvert,
  },
  {
    name: 'fp-fma',
    description: 'fused multiply-add round(a*b + c), one rounding, optional pipeline',
    params: z.object({ format, stages: stages(FP_FMA_CUTS.length) }).strict() as z.ZodType<Params>,
    def: FpFma,
  },
  {
    name: 'fp-mac',
    description: 'mixed-precision MAC y = round_f32(acc + a*b), a, b f16 or bf16, one rounding',
    params: z.object({ inFormat: z.enum(['f16', 'bf16']), stages: stages(FP_FMA_CUTS.length) }).strict() as z.ZodType<Params>,
    def: FpMac,
  },
  {
    name: 'fp-mul',
    description: 'IEEE-style multiply (f16/bf16/f32, RNE, subnormals, canonical NaN), optional pipeline',
    params: z.object({ format, stages: stages(FP_MUL_CUTS.length) }).strict() as z.ZodType<Params>,
    def: FpMul,
  },
];
