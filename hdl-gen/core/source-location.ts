import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A position in the user's TypeScript source, relative to the project root (never absolute). */
export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const libraryDirs = [path.join(projectRoot, 'hdl-gen', 'core') + path.sep, path.join(projectRoot, 'hdl-gen', 'passes') + path.sep];

/** Set (e.g. by tests or the fuzzer) to treat more directories as library code when locating the user's call. */
export const extraLibraryDirs: string[] = [];

const frameRe = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):(\d+)\)?\s*$/;

function isLibraryFile(file: string): boolean {
  if (file.includes(`${path.sep}node_modules${path.sep}`) || file.startsWith('node:')) return true;
  return libraryDirs.some((d) => file.startsWith(d)) || extraLibraryDirs.some((d) => file.startsWith(d));
}

export function displayPath(file: string): string {
  const rel = path.relative(projectRoot, file);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  const cwdRel = path.relative(process.cwd(), file);
  return (cwdRel.startsWith('..') ? path.basename(file) : cwdRel).split(path.sep).join('/');
}

export const unknownLoc: SourceLoc = { file: '<unknown>', line: 0, col: 0 };

/**
 * The first stack frame outside the eDSL library: the user's line that built the hardware.
 * Source maps (tsx, vitest) make these TypeScript positions.
 */
export function captureLoc(): SourceLoc {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = saved;
  for (const raw of stack.split('\n').slice(1)) {
    const m = frameRe.exec(raw.trim());
    if (!m) continue;
    const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    if (isLibraryFile(file)) continue;
    return { file: displayPath(file), line: Number(m[2]), col: Number(m[3]) };
  }
  return unknownLoc;
}

export function formatLoc(loc: SourceLoc): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}
