import { z } from 'zod';
import type { ModuleDef, Params } from '../index.ts';
import { Counter } from '../examples/counter.ts';
import { DualPortRam } from '../examples/dual-port-ram.ts';
import { Fifo } from '../examples/fifo.ts';
import { IntMacArray } from '../examples/int-mac-array.ts';
import { ValidReadyStage } from '../lib/valid-ready-stage.ts';
import { fpGenerators } from '../units/fp/rtl/generators.ts';
import { speqGenerators } from '../units/speq/rtl/generators.ts';
import { PuzzleMoeDecodeUnit } from '../units/puzzlemoe/rtl/decode-unit.ts';
import { PuzzleMoeDecodeBist } from '../../fpga/bist/puzzlemoe-decode-bist.ts';
import { PuzzleMoeFusedGemv } from '../units/puzzlemoe/rtl/fused-gemv.ts';
import { SpecController } from '../units/speq/rtl/spec-controller.ts';
import { ExpertCache } from '../units/routing/rtl/expert-cache.ts';
import { TopKRouter } from '../units/routing/rtl/topk-router.ts';
import { SpecGovernor } from '../units/routing/rtl/spec-governor.ts';
import { SpeculateCommit } from '../units/routing/rtl/speculate-commit.ts';

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

/** Every generator, sorted by name (the order `known generators` lists them in). */
export const generators: readonly DesignGenerator[] = (<DesignGenerator[]>[
  { name: 'counter', description: 'free-running counter with enable', params: z.object({ width: width(64) }).strict(), def: Counter },
  { name: 'dual-port-ram', description: 'simple dual-port RAM, registered read (block RAM)', params: z.object({ width: width(256), depth: powerOfTwo(1 << 16) }).strict(), def: DualPortRam },
  { name: 'fifo', description: 'synchronous valid/ready FIFO', params: z.object({ width: width(1024), depth: powerOfTwo(1 << 12) }).strict(), def: Fifo },
  ...fpGenerators,
  ...speqGenerators,
  {
    name: 'int-mac-array',
    description: 'output-stationary grid of signed integer MAC PEs',
    params: z.object({ rows: width(64), cols: width(64), dataWidth: width(32), accWidth: width(128) }).strict(),
    def: IntMacArray,
  },
  { name: 'puzzlemoe-decode', description: 'PuzzleMoE packed-word decoder: both bf16 lanes of each 16-bit word per cycle', params: z.object({ lanes: width(64), outputRegister: z.boolean().default(false), exponentOffset: z.number().int().min(1).max(223).default(112) }).strict(), def: PuzzleMoeDecodeUnit },
  {
    name: 'puzzlemoe-decode-bist',
    description: 'board self-test top: decode unit fed from a golden-model ROM, comparator, done/pass/fail outputs (fpga/bist/)',
    params: z.object({ lanes: width(16).default(2), vectors: powerOfTwo(4096).refine((n) => n >= 2, { message: 'must be at least 2' }).default(256), seed: z.number().int().min(0).max(0xffffffff).default(1), outputRegister: z.boolean().default(true), exponentOffset: z.number().int().min(1).max(223).default(112), backpressure: z.boolean().default(true), corruptBeat: z.number().int().min(0).optional() }).strict(),
    def: PuzzleMoeDecodeBist,
  },
  {
    name: 'speq-spec-controller',
    description: 'SPEQ speculative-decoding controller: gamma draft steps, mode switch, verify pass, accept logic, cycle/token counters',
    params: z.object({ gammaMax: width(32), tokenWidth: width(32), timingWidth: width(32).default(16), counterWidth: z.number().int().min(8).max(64).default(32) }).strict(),
    def: SpecController,
  },
  { name: 'puzzlemoe-fused-gemv', description: 'PuzzleMoE fused two-expert GEMV: each packed word read once, bf16 MACs for both experts into fp32 accumulators', params: z.object({ rows: width(64), operandRegister: z.boolean().default(false), exponentOffset: z.number().int().min(1).max(223).default(112) }).strict(), def: PuzzleMoeFusedGemv },
  {
    name: 'expert-cache',
    description: 'expert cache + prefetch controller: LRU/pinned tag store, demand hit/miss/stall, prefetch queue, host-link model, MoBiLE skip',
    params: z
      .object({
        slots: z.number().int().min(2).max(64),
        tagBits: z.number().int().min(1).max(16),
        queueDepth: powerOfTwo(64),
        expertBytes: z.number().int().min(1),
        linkBytesPerCycle: z.number().int().min(1),
        linkLatency: z.number().int().min(0),
        mobileFallback: z.boolean().default(false),
      })
      .strict(),
    def: ExpertCache,
  },
  {
    name: 'topk-router',
    description: 'big/little top-k MoE router: N gate logits (fp32/bf16) -> K ranked expert ids, Q1.W weights, big/little decision',
    params: z
      .object({
        format: z.enum(['fp32', 'bf16']),
        experts: z.number().int().min(2).max(128),
        k: z.number().int().min(2).max(16),
        importance: z.enum(['margin', 'top1']),
        fracBits: z.number().int().min(1).max(12).optional(),
        intBits: z.number().int().min(1).max(12).optional(),
        weightBits: z.number().int().min(4).max(16).optional(),
        lutBits: z.number().int().min(1).max(12).optional(),
      })
      .strict(),
    def: TopKRouter,
  },
  {
    name: 'moe-spec-governor',
    description: 'MoE-SpeQ speculation-depth governor: moving averages of acceptance and loads per position, k = argmax Theta(k) by cross-multiplication, one k per cycle',
    params: z
      .object({
        kMax: z.number().int().min(1).max(16),
        pFracBits: z.number().int().min(4).max(24).optional(),
        loadsIntBits: z.number().int().min(1).max(24).optional(),
        loadsFracBits: z.number().int().min(0).max(16).optional(),
        timingWidth: width(32).optional(),
        pShift: z.number().int().min(0).max(20).optional(),
        loadsShift: z.number().int().min(0).max(20).optional(),
        pInit: z.number().min(0).max(1).optional(),
        loadsInit: z.number().min(0).optional(),
        bonusToken: z.boolean().optional(),
      })
      .strict(),
    def: SpecGovernor,
  },
  {
    name: 'moe-speculate-commit',
    description: 'speculate/commit top: SPEQ controller one round per start, gamma from the MoE-SpeQ governor with accepted-count feedback, MoBiLE fallback-pass request for important accepted tokens',
    params: z
      .object({
        gammaMax: z.number().int().min(1).max(16),
        tokenWidth: width(32),
        timingWidth: width(32).optional(),
        counterWidth: z.number().int().min(8).max(64).optional(),
        governor: z
          .object({
            pFracBits: z.number().int().min(4).max(24).optional(),
            loadsIntBits: z.number().int().min(1).max(24).optional(),
            loadsFracBits: z.number().int().min(0).max(16).optional(),
            pShift: z.number().int().min(0).max(20).optional(),
            loadsShift: z.number().int().min(0).max(20).optional(),
            pInit: z.number().min(0).max(1).optional(),
            loadsInit: z.number().min(0).optional(),
            bonusToken: z.boolean().optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    def: SpeculateCommit,
  },
  { name: 'valid-ready-stage', description: 'full-throughput valid/ready register slice', params: z.object({ width: width(4096) }).strict(), def: ValidReadyStage },
]).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

export function findGenerator(name: string): DesignGenerator | undefined {
  return generators.find((g) => g.name === name);
}
