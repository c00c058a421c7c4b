import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../hdl-gen/errors.ts';

export type YosysFlavor = 'system' | 'wasm';

export interface YosysResult {
  readonly ok: boolean;
  readonly log: string;
  /** Files the script wrote, by name (only those listed in `collect`). */
  readonly outputs: Record<string, string>;
}

/**
 * Runs a Yosys script over SV files, either the system `yosys` (Debian's 0.23) or the npm
 * `@yowasp/yosys` (0.55, WebAssembly, no network needed). Files are passed by base name, so
 * scripts refer to them as plain names in both flavours.
 */
export async function runYosys(flavor: YosysFlavor, files: readonly string[], script: string, collect: readonly string[] = []): Promise<YosysResult> {
  if (flavor === 'system') {
    const dir = path.dirname(files[0] ?? '.');
    const r = await execa('yosys', ['-q', '-p', script], { cwd: dir, reject: false, all: true }).catch((e: Error) => {
      throw new UserError(`could not run the system yosys (${e.message}): install it with \`apt-get install yosys\`, or use the embedded one`);
    });
    if ((r as { code?: string }).code === 'ENOENT' || (r.exitCode === undefined && r.failed)) {
      throw new UserError('the system yosys was not found: install it with `apt-get install yosys`, or use the embedded one');
    }
    const outputs: Record<string, string> = {};
    for (const c of collect) outputs[c] = readFileSync(path.join(dir, c), 'utf8');
    return { ok: r.exitCode === 0, log: r.all ?? '', outputs };
  }
  const { runYosys: run, Exit } = await import('@yowasp/yosys');
  const tree: Record<string, string> = {};
  for (const f of files) tree[path.basename(f)] = readFileSync(f, 'utf8');
  let log = '';
  const decoder = new TextDecoder();
  const sink = (bytes: Uint8Array | null) => {
    if (bytes) log += decoder.decode(bytes);
  };
  try {
    const out = (await run(['-q', '-p', script], tree, { stdout: sink, stderr: sink })) ?? {};
    const outputs: Record<string, string> = {};
    for (const c of collect) {
      const v = (out as Record<string, unknown>)[c];
      outputs[c] = typeof v === 'string' ? v : v instanceof Uint8Array ? decoder.decode(v) : '';
    }
    return { ok: true, log, outputs };
  } catch (e) {
    if (e instanceof Exit) return { ok: false, log, outputs: {} };
    throw e;
  }
}
