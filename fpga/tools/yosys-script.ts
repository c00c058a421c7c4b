import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../hdl-gen/core/source-location.ts';
import { UserError } from '../../hdl-gen/errors.ts';
import type { YosysFlavor } from '../../verif/tools/yosys.ts';

export type { YosysFlavor };

export interface YosysRun {
  readonly ok: boolean;
  /** The full log (`-l`), or the console output when the run failed before writing it. */
  readonly log: string;
  /** The files the script wrote that were asked for, by name. */
  readonly outputs: Record<string, string>;
  readonly seconds: number;
}

/**
 * Runs a Yosys script over in-memory files, with the full log captured (`-q -l yosys.log`):
 * the system `yosys` (in a temporary directory) or the embedded `@yowasp/yosys`. Unlike
 * verif/tools/yosys.ts (lint only), this keeps the whole log and any number of output files.
 */
export async function runYosysScript(flavor: YosysFlavor, files: Readonly<Record<string, string>>, script: string, collect: readonly string[]): Promise<YosysRun> {
  const t0 = performance.now();
  const args = ['-q', '-l', 'yosys.log', '-p', script];
  const seconds = () => (performance.now() - t0) / 1000;
  if (flavor === 'system') {
    const dir = mkdtempSync(path.join(tmpdir(), 'hdlgen-yosys-'));
    try {
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
      const r = await execa('yosys', args, { cwd: dir, reject: false, all: true });
      if ((r as { code?: string }).code === 'ENOENT') throw new UserError('the system yosys was not found: install it with `apt-get install yosys`, or use --yosys wasm');
      const logPath = path.join(dir, 'yosys.log');
      const console = r.all ?? '';
      const log = existsSync(logPath) ? readFileSync(logPath, 'utf8') : console;
      const outputs: Record<string, string> = {};
      for (const c of collect) if (existsSync(path.join(dir, c))) outputs[c] = readFileSync(path.join(dir, c), 'utf8');
      // a failed run: the log, then what Yosys printed that the log does not hold
      return { ok: r.exitCode === 0, log: r.exitCode === 0 || log === console ? log : `${log}\n${console}`, outputs, seconds: seconds() };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { runYosys, Exit } = await import('@yowasp/yosys');
  let output = '';
  const decoder = new TextDecoder();
  const sink = (bytes: Uint8Array | null) => {
    if (bytes) output += decoder.decode(bytes);
  };
  const text = (v: unknown) => (typeof v === 'string' ? v : v instanceof Uint8Array ? decoder.decode(v) : undefined);
  try {
    const tree = ((await runYosys(args, { ...files }, { stdout: sink, stderr: sink })) ?? {}) as Record<string, unknown>;
    const outputs: Record<string, string> = {};
    for (const c of collect) {
      const v = text(tree[c]);
      if (v !== undefined) outputs[c] = v;
    }
    return { ok: true, log: text(tree['yosys.log']) ?? output, outputs, seconds: seconds() };
  } catch (e) {
    if (e instanceof Exit) return { ok: false, log: `${text(e.files?.['yosys.log']) ?? ''}\n${output}`, outputs: {}, seconds: seconds() };
    throw e;
  }
}

/** The version banner of a Yosys flavour ("Yosys 0.23 (git sha1 ...)"). */
export async function yosysVersion(flavor: YosysFlavor): Promise<string> {
  if (flavor === 'wasm') {
    const { version } = await import('@yowasp/yosys');
    return `Yosys ${version} (@yowasp/yosys)`;
  }
  const r = await execa('yosys', ['-V'], { reject: false });
  if (r.exitCode !== 0) throw new UserError('the system yosys was not found: install it with `apt-get install yosys`, or use --yosys wasm');
  return r.stdout.trim();
}

/**
 * Yosys's data directory (`+/` in scripts), where the technology cells' simulation models live
 * (`ice40/cells_sim.v`, `xilinx/cells_sim.v`): next to the system binary, or inside the npm package.
 */
export async function yosysShareDir(flavor: YosysFlavor): Promise<string> {
  if (flavor === 'wasm') {
    const dir = path.join(projectRoot, 'node_modules', '@yowasp', 'yosys', 'gen', 'share');
    if (!existsSync(dir)) throw new UserError(`the @yowasp/yosys share directory ${path.relative(process.cwd(), dir)} is missing: run \`npm ci\``);
    return dir;
  }
  const r = await execa('sh', ['-c', 'command -v yosys'], { reject: false });
  if (r.exitCode !== 0 || !r.stdout.trim()) throw new UserError('the system yosys was not found: install it with `apt-get install yosys`, or use --yosys wasm');
  const dir = path.resolve(path.dirname(realpathSync(r.stdout.trim())), '..', 'share', 'yosys');
  if (!existsSync(dir)) throw new UserError(`the system yosys has no share directory at ${dir}`);
  return dir;
}

/**
 * Warnings this project treats as errors: nets used but never driven, implicit declarations
 * (also refused up front by `read_verilog -noautowire`).
 */
export function fatalYosysWarnings(log: string): string[] {
  return log
    .split('\n')
    .filter((l) => /^Warning:/.test(l) && /(implicitly declared|has no driver|undriven|is used but has no driver)/i.test(l))
    .map((l) => l.trim());
}

/** Every `Warning:` line of a log (shown in the report). */
export function yosysWarnings(log: string): string[] {
  return [...new Set(log.split('\n').filter((l) => /^Warning:/.test(l)).map((l) => l.trim()))];
}
