/**
 * nextpnr-ice40 and icepack from the npm `@yowasp/nextpnr-ice40` (WebAssembly, no network, no
 * system install): files go in and come out as in-memory trees.
 */
export interface ToolRun {
  readonly ok: boolean;
  readonly exitCode: number;
  /** Console output (stdout and stderr interleaved). */
  readonly console: string;
  readonly outputs: Record<string, string | Uint8Array>;
  readonly seconds: number;
}

type Tree = Record<string, unknown>;

async function run(tool: 'nextpnr-ice40' | 'icepack', args: string[], files: Record<string, string | Uint8Array>, collect: readonly string[]): Promise<ToolRun> {
  const t0 = performance.now();
  const mod = await import('@yowasp/nextpnr-ice40');
  const command = mod.commands[tool];
  let output = '';
  const decoder = new TextDecoder();
  const sink = (bytes: Uint8Array | null) => {
    if (bytes) output += decoder.decode(bytes);
  };
  const pick = (tree: Tree) => {
    const outputs: Record<string, string | Uint8Array> = {};
    for (const c of collect) {
      const v = tree[c];
      if (typeof v === 'string' || v instanceof Uint8Array) outputs[c] = v;
    }
    return outputs;
  };
  try {
    const tree = ((await command(args, { ...files }, { stdout: sink, stderr: sink })) ?? {}) as Tree;
    return { ok: true, exitCode: 0, console: output, outputs: pick(tree), seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    if (e instanceof mod.Exit) return { ok: false, exitCode: e.code, console: output, outputs: pick((e.files ?? {}) as Tree), seconds: (performance.now() - t0) / 1000 };
    throw e;
  }
}

export const runNextpnrIce40 = (args: string[], files: Record<string, string | Uint8Array>, collect: readonly string[]) => run('nextpnr-ice40', args, files, collect);
export const runIcepack = (args: string[], files: Record<string, string | Uint8Array>, collect: readonly string[]) => run('icepack', args, files, collect);

export async function nextpnrVersion(): Promise<string> {
  const { version } = await import('@yowasp/nextpnr-ice40');
  return `nextpnr-ice40 ${version} (@yowasp/nextpnr-ice40)`;
}

/** Text of a tool output (the API returns strings or bytes). */
export function asText(v: string | Uint8Array | undefined): string {
  return v === undefined ? '' : typeof v === 'string' ? v : new TextDecoder().decode(v);
}
