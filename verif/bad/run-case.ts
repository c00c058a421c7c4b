import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../verilator/build.ts';
import type { BadCase } from './cases.ts';

export interface BadCaseRun {
  readonly stderr: string;
  readonly stdout: string;
  readonly exitCode: number;
  /** Files of the directory that changed, appeared or disappeared during the run. */
  readonly changedFiles: readonly string[];
  /** The stderr holds a JS stack frame (`    at f (file:1:2)`). */
  readonly stackTrace: boolean;
}

/** Every file under `dir` with a hash of its content. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

function populate(c: BadCase): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hdl-bad-'));
  for (const [rel, content] of Object.entries(c.files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    const executable = rel.endsWith('.sh') || rel.startsWith('bin/');
    writeFileSync(path.join(dir, rel), content, { mode: executable ? 0o755 : 0o644 });
  }
  return dir;
}

/** The case's environment with `{dir}` replaced by its directory. */
function envOf(c: BadCase, dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, v.replaceAll('{dir}', dir)]));
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f)).sort();
}

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

/** Runs one case through `node bin/hdlgen.js` in a fresh directory holding its files. */
export async function runBadCase(c: BadCase): Promise<BadCaseRun> {
  const dir = populate(c);
  try {
    const before = snapshot(dir);
    const r = await execa('node', [path.join(PROJECT_ROOT, 'bin', 'hdlgen.js'), ...c.argv], {
      cwd: dir,
      reject: false,
      env: { ...envOf(c, dir), NO_COLOR: '1' },
      stdin: 'ignore',
      stripFinalNewline: false,
    });
    const stderr = String(r.stderr);
    return { stderr, stdout: String(r.stdout), exitCode: r.exitCode ?? -1, changedFiles: changed(before, snapshot(dir)), stackTrace: STACK_FRAME.test(stderr) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs one case through the CLI's `main()` in this process (what bin/hdlgen.js calls: the same
 * commands, messages and exit code, without a process start per case), in its own directory and
 * environment. An exception escaping `main` is what the launcher would print with its stack: it is
 * recorded as a stack trace. Not reentrant (it changes the working directory and the environment).
 */
export async function runBadCaseInProcess(c: BadCase): Promise<BadCaseRun> {
  const { main } = await import('../../hdl-gen/cli/main.ts');
  const dir = populate(c);
  const cwd = process.cwd();
  const savedEnv = Object.fromEntries(Object.keys(c.env ?? {}).map((k) => [k, process.env[k]]));
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  let stdout = '';
  let stderr = '';
  try {
    const before = snapshot(dir);
    process.chdir(dir);
    Object.assign(process.env, envOf(c, dir));
    process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
    process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
    let exitCode: number;
    try {
      exitCode = await main(['node', 'hdlgen', ...c.argv]);
    } catch (e) {
      stderr += `${(e as Error)?.stack ?? String(e)}\n`;
      exitCode = 1;
    }
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    process.chdir(cwd);
    return { stderr, stdout, exitCode, changedFiles: changed(before, snapshot(dir)), stackTrace: STACK_FRAME.test(stderr) };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    process.chdir(cwd);
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
