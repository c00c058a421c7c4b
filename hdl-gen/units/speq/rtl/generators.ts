import { z } from 'zod';
import type { DesignGenerator } from '../../../designs/registry.ts';
import type { Params } from '../../../index.ts';
import { SPEQ_ARRAY_MAX_DIM, SpeqPeArray } from './pe-array.ts';
import { SpeqPe, SpeqPlainPe } from './pe.ts';

const dim = z.number().int().min(1).max(SPEQ_ARRAY_MAX_DIM);

/** The SPEQ generators of the design registry (one spread into its list). */
export const speqGenerators: readonly DesignGenerator[] = [
  {
    name: 'speq-pe',
    description: 'SPEQ reconfigurable PE: verify = one f16 x f16 + f32 MAC per cycle, draft = four power-of-two draft MACs per cycle (sequential roundings)',
    params: z.object({ datapath: z.enum(['shared', 'separate']).default('shared') }).strict() as z.ZodType<Params>,
    def: SpeqPe,
  },
  {
    name: 'speq-plain-pe',
    description: 'plain f16 x f16 + f32 MAC PE (the area baseline of speq-pe)',
    params: z.object({}).strict() as z.ZodType<Params>,
    def: SpeqPlainPe,
  },
  {
    name: 'speq-pe-array',
    description: 'SPEQ output-stationary R x C array of reconfigurable PEs: nibble-plane weight feeders, result drain, mode switch per tile, valid/ready edges',
    params: z.object({ rows: dim, cols: dim, kBits: z.number().int().min(3).max(32).default(16) }).strict() as z.ZodType<Params>,
    def: SpeqPeArray,
  },
];
