import type { Command } from 'commander';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { elaborate } from '../../core/elaborate.ts';
import { emitDesign } from '../../emit/sv-printer.ts';
import { writeGeneration, type GeneratedDesign } from '../../emit/write-output.ts';
import { UserError } from '../../errors.ts';
import { defaultConfigPath, loadConfig } from '../../config/load-config.ts';

export interface GenOptions {
  readonly config?: string;
  readonly out: string;
  readonly only?: readonly string[];
  readonly quiet?: boolean;
}

export interface GenResult {
  readonly designs: readonly { name: string; modules: number; elaborateMs: number; emitMs: number }[];
  readonly files: number;
}

/** Elaborates, checks and emits every configured design, then swaps the output directory in. */
export async function generate(opts: GenOptions): Promise<GenResult> {
  const configPath = opts.config ? path.resolve(opts.config) : defaultConfigPath;
  let designs = await loadConfig(configPath);
  if (opts.only?.length) {
    const unknown = opts.only.filter((n) => !designs.some((d) => d.name === n));
    if (unknown.length) throw new UserError(`--only: no design named ${unknown.map((n) => `'${n}'`).join(', ')} in the config; designs: ${designs.map((d) => d.name).join(', ')}`);
    designs = designs.filter((d) => opts.only!.includes(d.name));
  }
  const generated: GeneratedDesign[] = [];
  const stats: { name: string; modules: number; elaborateMs: number; emitMs: number }[] = [];
  for (const d of designs) {
    const t0 = performance.now();
    const design = elaborate(d.generator.def, d.params);
    const t1 = performance.now();
    const modules = emitDesign(design);
    const t2 = performance.now();
    generated.push({ name: d.name, generator: d.generator.name, params: d.params, design, modules });
    stats.push({ name: d.name, modules: modules.length, elaborateMs: t1 - t0, emitMs: t2 - t1 });
  }
  const { files } = writeGeneration(opts.out, generated);
  return { designs: stats, files };
}

export function registerGen(program: Command): void {
  program
    .command('gen')
    .description('generate SystemVerilog for every design in the configuration (default: all example designs and units)')
    .option('-c, --config <file>', 'configuration file (.json, or .ts with a default export)')
    .option('-o, --out <dir>', 'output directory, replaced only when generation succeeds', 'rtl-out')
    .option('--only <names...>', 'generate only these designs of the configuration')
    .option('-q, --quiet', 'print nothing on success')
    .action(async (o: { config?: string; out: string; only?: string[]; quiet?: boolean }) => {
      const r = await generate({ config: o.config, out: o.out, only: o.only, quiet: o.quiet });
      if (o.quiet) return;
      const w = Math.max(6, ...r.designs.map((d) => d.name.length));
      process.stdout.write(`${'design'.padEnd(w)}  modules  elaborate+check  emit\n`);
      for (const d of r.designs) {
        process.stdout.write(`${d.name.padEnd(w)}  ${String(d.modules).padStart(7)}  ${d.elaborateMs.toFixed(1).padStart(12)} ms  ${d.emitMs.toFixed(1).padStart(5)} ms\n`);
      }
      process.stdout.write(`wrote ${r.files} files to ${o.out}/ (manifest.json lists them)\n`);
    });
}
