import { z } from 'zod';
import type { ModuleDef, Params } from '../index.ts';
import { Counter } from '../examples/counter.ts';
import { DualPortRam } from '../examples/dual-port-ram.ts';
import { Fifo } from '../examples/fifo.ts';
import { IntMacArray } from '../examples/int-mac-array.ts';
import { ValidReadyStage } from '../lib/valid-ready-stage.ts';
import { fpGenerators } from '../units/fp/rtl/generators.ts';
import { PuzzleMoeDecodeUnit } from '../units/puzzlemoe/rtl/decode-unit.ts';

/** A named generator the configuration can refer to, with the schema of its parameters. */
export interface DesignGenerator {
  readonly name: string;
  readonly description: string;
  readonly params: z.ZodType<Params>;
  readonly def: ModuleDef<any, any>;
}

const width = (max: number) => z.number().int().min(1).max(max);
const powerOfTwo = (max: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(max)
    .refine((n) => (n & (n - 1)) === 0, { message: 'must be a power of two' });

export const generators: readonly DesignGenerator[] = [
  { name: 'counter', description: 'free-running counter with enable', params: z.object({ width: width(64) }).strict(), def: Counter },
  { name: 'dual-port-ram', description: 'simple dual-port RAM, registered read (block RAM)', params: z.object({ width: width(256), depth: powerOfTwo(1 << 16) }).strict(), def: DualPortRam },
  { name: 'fifo', description: 'synchronous valid/ready FIFO', params: z.object({ width: width(1024), depth: powerOfTwo(1 << 12) }).strict(), def: Fifo },
  ...fpGenerators,
  {
    name: 'int-mac-array',
    description: 'output-stationary grid of signed integer MAC PEs',
    params: z.object({ rows: width(64), cols: width(64), dataWidth: width(32), accWidth: width(128) }).strict(),
    def: IntMacArray,
  },
  { name: 'puzzlemoe-decode', description: 'PuzzleMoE packed-word decoder: both bf16 lanes of each 16-bit word per cycle', params: z.object({ lanes: width(64), outputRegister: z.boolean().default(false), exponentOffset: z.number().int().min(1).max(223).default(112) }).strict(), def: PuzzleMoeDecodeUnit },
  { name: 'valid-ready-stage', description: 'full-throughput valid/ready register slice', params: z.object({ width: width(4096) }).strict(), def: ValidReadyStage },
];

export function findGenerator(name: string): DesignGenerator | undefined {
  return generators.find((g) => g.name === name);
}
