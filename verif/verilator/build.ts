import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { emitDesign } from '../../hdl-gen/emit/sv-printer.ts';
import { UserError } from '../../hdl-gen/errors.ts';
import type { IrDesign } from '../../hdl-gen/ir/ir.ts';
import { harnessLayout, MODEL_PREFIX, PROTOCOL_VERSION, renderHarness, type HarnessLayout } from './harness.ts';
import { findVerilator, type VerilatorInfo } from './verilator-version.ts';

/** The project root (this file is verif/verilator/build.ts). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BuildOptions {
  /** Build with `--trace-fst` (the harness can then dump an FST with `--fst <path>`). */
  readonly trace?: boolean;
  /** Cache root (default: env HDL_VERILATOR_CACHE, else <project>/build/verilator-cache). */
  readonly cacheDir?: string;
  /** Parallel compile jobs (default 2). */
  readonly jobs?: number;
  /**
   * Verilate with -Wall (default true): the generated SV is meant to be lint-clean, and any warning
   * fails the build (-Wno-fatal is never used). false keeps only Verilator's default warnings.
   */
  readonly wall?: boolean;
  /**
   * Compile through ccache when it is on PATH (default true): the Verilator runtime objects are the
   * same in every build, so only the first build compiles them. Timing a truly cold build needs false.
   */
  readonly ccache?: boolean;
  /** Extra Verilator arguments (part of the cache key). */
  readonly extraArgs?: readonly string[];
  /** Called with progress messages ("building ...", "cache hit ..."). */
  readonly log?: (line: string) => void;
}

export interface BuildResult {
  /** The cache entry: <cacheDir>/<hash>. */
  readonly dir: string;
  /** The harness executable. */
  readonly exe: string;
  readonly hash: string;
  /** True when the entry already existed (no Verilator run). */
  readonly cacheHit: boolean;
  /** Wall time of this call (seconds). */
  readonly seconds: number;
  readonly trace: boolean;
  readonly layout: HarnessLayout;
  readonly verilator: VerilatorInfo;
}

interface Manifest {
  readonly hash: string;
  readonly top: string;
  readonly trace: boolean;
  readonly verilator: string;
  readonly args: readonly string[];
  readonly buildSeconds: number;
  readonly createdAt: string;
}

const inFlight = new Map<string, Promise<BuildResult>>();

export function defaultCacheDir(): string {
  return process.env.HDL_VERILATOR_CACHE || join(PROJECT_ROOT, 'build', 'verilator-cache');
}

/** Strips the `// @[file:line:col]` source locators: they do not change the compiled model. */
function normalizeSv(text: string): string {
  return text.replace(/[ \t]*\/\/ @\[[^\]\n]*\][ \t]*$/gm, '');
}

function findOnPath(cmd: string): string | null {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d && existsSync(join(d, cmd))) return join(d, cmd);
  }
  return null;
}

/**
 * Builds (or finds in the cache) the Verilator model of `design` with the streaming harness.
 * The cache key is sha256 of the SV sources (without source locators), the harness source, the
 * Verilator arguments and the Verilator version; stimulus never enters it, it goes through the
 * harness protocol. Concurrent builds of the same key (in this process or others) are safe.
 */
export async function buildVerilatorModel(design: IrDesign, opts: BuildOptions = {}): Promise<BuildResult> {
  const t0 = performance.now();
  const verilator = await findVerilator();
  const trace = opts.trace ?? false;
  const layout = harnessLayout(design);
  const harness = renderHarness(layout, { trace });

  const sources: { fileName: string; text: string }[] = emitDesign(design).map((m) => ({ fileName: m.fileName, text: m.text }));
  for (const bb of design.blackboxes) {
    if (!bb.source) throw new UserError(`verilator: blackbox '${bb.name}' has no SV source, so the design cannot be simulated`);
    const path = resolve(PROJECT_ROOT, bb.source);
    if (!existsSync(path)) throw new UserError(`verilator: SV source '${bb.source}' of blackbox '${bb.name}' does not exist`);
    sources.push({ fileName: bb.source.split('/').pop()!, text: readFileSync(path, 'utf8') });
  }
  const names = new Set<string>();
  for (const s of sources) {
    if (names.has(s.fileName)) throw new UserError(`verilator: two SV sources are named '${s.fileName}'`);
    names.add(s.fileName);
  }

  const jobs = opts.jobs ?? 2;
  // Flags that change the model (hashed). The parallelism does not change the result: not hashed.
  const modelArgs = [
    '--cc',
    '--exe',
    '--build',
    '-O3',
    ...(opts.wall === false ? [] : ['-Wall']),
    '--top-module',
    design.top,
    '--prefix',
    MODEL_PREFIX,
    '-o',
    'harness',
    ...(trace ? ['--trace-fst'] : []),
    ...(opts.extraArgs ?? []),
  ];

  const h = createHash('sha256');
  const feed = (tag: string, s: string) => h.update(`${tag}\0${s.length}\0${s}\0`);
  feed('protocol', String(PROTOCOL_VERSION));
  feed('verilator', verilator.banner);
  feed('args', JSON.stringify(modelArgs));
  for (const s of sources) feed(`sv:${s.fileName}`, normalizeSv(s.text));
  feed('harness', harness);
  const hash = h.digest('hex');

  const cacheDir = resolve(opts.cacheDir ?? defaultCacheDir());
  const dir = join(cacheDir, hash);
  const exe = join(dir, 'obj_dir', 'harness');
  const result = (cacheHit: boolean): BuildResult => ({ dir, exe, hash, cacheHit, seconds: (performance.now() - t0) / 1000, trace, layout, verilator });

  if (isComplete(dir)) {
    opts.log?.(`verilator: cache hit ${hash.slice(0, 12)} (${design.top}${trace ? ', fst' : ''})`);
    return result(true);
  }
  let p = inFlight.get(dir);
  if (!p) {
    p = (async () => {
      await runVerilator({ design, sources, harness, modelArgs, jobs, cacheDir, dir, hash, trace, verilator, ccache: opts.ccache ?? true, log: opts.log });
      return result(false);
    })();
    inFlight.set(dir, p);
    p.finally(() => inFlight.delete(dir)).catch(() => {});
    return p;
  }
  // Another caller in this process is building the same model: it is a hit for us once it is done.
  await p;
  return result(true);
}

function isComplete(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json')) && existsSync(join(dir, 'obj_dir', 'harness'));
}

async function runVerilator(a: {
  design: IrDesign;
  sources: { fileName: string; text: string }[];
  harness: string;
  modelArgs: string[];
  jobs: number;
  cacheDir: string;
  dir: string;
  hash: string;
  trace: boolean;
  verilator: VerilatorInfo;
  ccache: boolean;
  log?: (line: string) => void;
}): Promise<void> {
  const t0 = performance.now();
  await mkdir(a.cacheDir, { recursive: true });
  await sweepAbandoned(a.cacheDir);
  const tmp = join(a.cacheDir, `${a.hash}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(join(tmp, 'src'), { recursive: true });
  for (const s of a.sources) await writeFile(join(tmp, 'src', s.fileName), s.text);
  await writeFile(join(tmp, 'src', 'harness.cpp'), a.harness);

  const args = [...a.modelArgs, '-j', String(a.jobs), '--Mdir', 'obj_dir', ...a.sources.map((s) => `src/${s.fileName}`), 'src/harness.cpp'];
  a.log?.(`verilator: building ${a.design.top}${a.trace ? ' (fst)' : ''} in ${tmp}`);
  const env: Record<string, string> = {};
  const ccache = a.ccache ? findOnPath('ccache') : undefined;
  if (ccache && !process.env.OBJCACHE) env.OBJCACHE = ccache;
  if (!a.ccache) env.OBJCACHE = ''; // Verilator's makefile: an empty OBJCACHE compiles directly
  const r = await execa(a.verilator.command, args, { cwd: tmp, reject: false, all: true, env, stdin: 'ignore' });
  await writeFile(join(tmp, 'build.log'), `$ ${a.verilator.command} ${args.join(' ')}\n${r.all ?? ''}\n(exit ${r.exitCode})\n`);
  if (r.failed || !existsSync(join(tmp, 'obj_dir', 'harness'))) {
    const failed = join(a.cacheDir, `${a.hash}.failed`);
    await rm(failed, { recursive: true, force: true });
    await rename(tmp, failed).catch(() => {});
    const out = (r.all ?? '').split('\n');
    const interesting = out.filter((l) => /%(Error|Warning)/.test(l));
    const shown = (interesting.length ? interesting : out.slice(-40)).slice(0, 40).join('\n');
    throw new UserError(
      `verilator: building '${a.design.top}' failed (exit ${r.exitCode ?? r.signal ?? '?'}); full log in ${join(failed, 'build.log')}\n${shown}`,
    );
  }
  const manifest: Manifest = {
    hash: a.hash,
    top: a.design.top,
    trace: a.trace,
    verilator: a.verilator.banner,
    args,
    buildSeconds: (performance.now() - t0) / 1000,
    createdAt: new Date().toISOString(),
  };
  await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  try {
    await rename(tmp, a.dir);
  } catch (e) {
    // Someone else finished the same build first (or a stale incomplete entry is in the way).
    if (isComplete(a.dir)) {
      await rm(tmp, { recursive: true, force: true });
    } else {
      await rm(a.dir, { recursive: true, force: true });
      await rename(tmp, a.dir);
    }
  }
  a.log?.(`verilator: built ${a.design.top} in ${manifest.buildSeconds.toFixed(1)} s`);
}

/** Removes the temporary build directories of processes that died mid-build. */
async function sweepAbandoned(cacheDir: string): Promise<void> {
  for (const name of await readdir(cacheDir).catch(() => [] as string[])) {
    const m = /\.tmp-(\d+)-[0-9a-f]+$/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') await rm(join(cacheDir, name), { recursive: true, force: true }).catch(() => {});
    }
  }
}

/** The manifest of a cache entry (build time, arguments), or null. */
export async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}
