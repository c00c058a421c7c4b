import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: two levels up from this file (verif/vectors/ -> repo). */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the shared reference vectors are expected: `<repo>/../shared/vectors`. */
export function sharedVectorsPath(): string {
  return path.resolve(REPO_ROOT, '../shared/vectors');
}

/** The shared vectors folder when it exists, else null (callers decide how loudly to fail). */
export function findSharedVectorsDir(): string | null {
  const dir = sharedVectorsPath();
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : null;
}

/**
 * Operation name of a vector file, from the file-name convention `<op>.<rounding/level...>.txt.gz`
 * (e.g. `f16_mulAdd.rne.l1.every30.txt.gz` -> `f16_mulAdd`).
 */
export function vectorFileOpName(file: string): string {
  const base = path.basename(file);
  const dot = base.indexOf('.');
  return dot < 0 ? base : base.slice(0, dot);
}

/** Absolute paths of the vector files in `dir`/`subdir` (files only, sorted), e.g. 'testfloat'. */
export function listVectorFiles(dir: string, subdir: string): string[] {
  const folder = path.join(dir, subdir);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => !name.startsWith('.') && /\.txt(\.gz)?$/.test(name))
    .sort()
    .map((name) => path.join(folder, name))
    .filter((file) => statSync(file).isFile());
}
