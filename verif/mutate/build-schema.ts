import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { UserError } from '../../hdl-gen/errors.ts';
import type { IrDesign } from '../../hdl-gen/ir/ir.ts';
import { defaultCacheDir, type BuildResult } from '../verilator/build.ts';
import { harnessLayout, MODEL_PREFIX, renderHarness } from '../verilator/harness.ts';
import { findVerilator } from '../verilator/verilator-version.ts';
import { MUTANT_DPI_FUNCTION, type SvFile } from './sv-mutants.ts';

/** The DPI function of the schema: the mutant to activate, from HDL_MUTANT (0 = original). */
const SELECT_CPP = `#include <cstdlib>
// Mutant schema selector (verif/mutate): HDL_MUTANT=<id> activates one mutant, 0 or unset none.
extern "C" int ${MUTANT_DPI_FUNCTION}() {
    const char* s = std::getenv("HDL_MUTANT");
    return s ? std::atoi(s) : 0;
}
`;

/**
 * Builds the Verilator model of a mutant schema (the design's printed SV with mutants compiled in)
 * with the project's streaming harness, cached under <verilator cache>/mutate-<sha256>. Mutants may
 * be ill-formed hardware (out-of-range selects, width changes), so warnings are not fatal here;
 * the original design is lint-clean on its own (the RTL gate).
 */
export async function buildSchemaModel(design: IrDesign, files: readonly SvFile[], opts: { log?: (line: string) => void } = {}): Promise<BuildResult> {
  const t0 = performance.now();
  const verilator = await findVerilator();
  const layout = harnessLayout(design);
  const harness = renderHarness(layout, { trace: false });
  const args = ['--cc', '--exe', '--build', '-O3', '-Wno-fatal', '-Wno-lint', '-Wno-style', '--top-module', design.top, '--prefix', MODEL_PREFIX, '-o', 'harness'];
  const h = createHash('sha256');
  const feed = (tag: string, s: string) => h.update(`${tag}\0${s.length}\0${s}\0`);
  feed('verilator', verilator.banner);
  feed('args', JSON.stringify(args));
  for (const f of files) feed(`sv:${f.fileName}`, f.text);
  feed('harness', harness);
  feed('select', SELECT_CPP);
  const hash = h.digest('hex');
  const cacheDir = defaultCacheDir();
  const dir = join(cacheDir, `mutate-${hash}`);
  const exe = join(dir, 'obj_dir', 'harness');
  const result = (cacheHit: boolean): BuildResult => ({ dir, exe, hash, cacheHit, seconds: (performance.now() - t0) / 1000, trace: false, layout, verilator });
  if (existsSync(exe)) return result(true);

  opts.log?.(`verilator: building the mutant schema of ${design.top}`);
  const tmp = join(cacheDir, `mutate-${hash}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(join(tmp, 'src'), { recursive: true });
  for (const f of files) await writeFile(join(tmp, 'src', f.fileName), f.text);
  await writeFile(join(tmp, 'src', 'harness.cpp'), harness);
  await writeFile(join(tmp, 'src', 'mutant_select.cpp'), SELECT_CPP);
  const all = [...args, '-j', '2', '--Mdir', 'obj_dir', ...files.map((f) => `src/${f.fileName}`), 'src/harness.cpp', 'src/mutant_select.cpp'];
  const r = await execa(verilator.command, all, { cwd: tmp, reject: false, all: true, stdin: 'ignore' });
  if (r.failed || !existsSync(join(tmp, 'obj_dir', 'harness'))) {
    const log = join(tmp, 'build.log');
    await writeFile(log, `$ ${verilator.command} ${all.join(' ')}\n${r.all ?? ''}\n`);
    const shown = (r.all ?? '').split('\n').filter((l) => /%Error/.test(l)).slice(0, 20).join('\n');
    throw new UserError(`mutate: building the mutant schema of '${design.top}' failed; log in ${log}\n${shown}`);
  }
  try {
    await rename(tmp, dir);
  } catch {
    await rm(tmp, { recursive: true, force: true }); // a concurrent build of the same schema won
  }
  return result(false);
}
