import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { projectRoot } from '../core/source-location.ts';
import type { IrDesign } from '../ir/ir.ts';
import type { EmittedModule } from './sv-printer.ts';

/** One generated design: its IR, its emitted modules, and the configuration that produced it. */
export interface GeneratedDesign {
  readonly name: string;
  readonly generator: string;
  readonly params: unknown;
  readonly design: IrDesign;
  readonly modules: readonly EmittedModule[];
}

export const GENERATOR_ID = 'hdlgen 0.1.0';

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Writes every design under `outDir/<design>/` (one .sv per module, a filelist `<design>.f` with
 * paths relative to itself (use `verilator -F`), a source map) plus `outDir/manifest.json`.
 * The new tree is built beside `outDir` and swapped in only when complete, so a failure leaves
 * the previous output untouched. Contents are deterministic: no timestamps, no absolute paths.
 */
export function writeGeneration(outDir: string, designs: readonly GeneratedDesign[]): { files: number } {
  const parent = path.dirname(path.resolve(outDir));
  mkdirSync(parent, { recursive: true });
  const staging = path.join(parent, `.${path.basename(outDir)}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  let files = 0;
  try {
    const manifest = { generator: GENERATOR_ID, designs: [] as unknown[] };
    for (const g of designs) {
      const dir = path.join(staging, g.name);
      mkdirSync(dir, { recursive: true });
      const entries: unknown[] = [];
      const sourceMap: Record<string, Readonly<Record<number, string>>> = {};
      const fileList: string[] = [];
      for (const bb of g.design.blackboxes) {
        if (!bb.source) continue;
        const src = path.join(projectRoot, bb.source);
        if (!existsSync(src)) throw new UserError(`blackbox '${bb.name}' names source '${bb.source}', which does not exist`);
        const text = readFileSync(src);
        writeFileSync(path.join(dir, path.basename(src)), text);
        fileList.push(path.basename(src));
        entries.push({ module: bb.name, file: path.basename(src), sha256: sha256(text), blackbox: true });
        files++;
      }
      for (const m of g.modules) {
        writeFileSync(path.join(dir, m.fileName), m.text);
        fileList.push(m.fileName);
        sourceMap[m.fileName] = m.sourceMap;
        const ir = g.design.modules.find((x) => x.name === m.name)!;
        entries.push({ module: m.name, file: m.fileName, sha256: sha256(m.text), params: ir.params, source: `${ir.loc.file}:${ir.loc.line}` });
        files++;
      }
      writeFileSync(path.join(dir, `${g.name}.f`), fileList.join('\n') + '\n');
      writeFileSync(path.join(dir, 'sourcemap.json'), JSON.stringify(sourceMap, null, 2) + '\n');
      manifest.designs.push({ name: g.name, generator: g.generator, params: g.params, top: g.design.top, filelist: `${g.name}/${g.name}.f`, modules: entries });
    }
    writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    swapIn(staging, path.resolve(outDir));
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  return { files };
}

function swapIn(staging: string, target: string): void {
  const old = `${staging}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(target)) renameSync(target, old);
  try {
    renameSync(staging, target);
  } catch (e) {
    if (existsSync(old)) renameSync(old, target);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}


