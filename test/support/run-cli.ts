import { vi } from 'vitest';
import { main } from '../../hdl-gen/cli/main.ts';

/** Runs the `hdlgen` CLI in-process (no node start-up cost); returns exit code, stdout and stderr. */
export async function runCliInProcess(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const exitCode = await main(['node', 'hdlgen', ...args]);
    return { exitCode, stdout: stdout.trimEnd(), stderr: stderr.trimEnd() };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
