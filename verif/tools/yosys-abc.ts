import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { UserError } from '../../hdl-gen/errors.ts';

export interface AbcResult {
  /** 'timeout': killed at the time limit, or ABC gave up (UNDECIDED). */
  readonly verdict: 'proved' | 'failed' | 'timeout';
  /** When failed: each input bit's value by ABC's name for it (`in_a[3]`, or `in_x` for one bit). */
  readonly counterexampleBits: Record<string, 0 | 1>;
  readonly log: string;
}

/**
 * Proves the single output of a combinational AIGER miter (written by Yosys `write_aiger -symbols`)
 * constant 0 with ABC's `iprove` (SAT sweeping: internal equivalences found by simulation and proved
 * one by one, so two copies of a multiplier that differ in one leading-zero counter are cheap, where
 * one monolithic SAT instance times out). Runs the `yosys-abc` that the Debian yosys package ships.
 */
export async function abcProveMiter(aigerPath: string, timeoutSeconds: number): Promise<AbcResult> {
  const cex = `${aigerPath}.cex`;
  const script = `read_aiger ${aigerPath}; strash; iprove; write_cex -n ${cex}`;
  const r = await execa('yosys-abc', ['-c', script], { reject: false, all: true, timeout: timeoutSeconds * 1000 });
  if ((r as { code?: string }).code === 'ENOENT') throw new UserError('yosys-abc was not found: it comes with the system yosys (`apt-get install yosys`)');
  const log = r.all ?? '';
  if (r.timedOut) return { verdict: 'timeout', counterexampleBits: {}, log };
  if (/\bUNSATISFIABLE\b/.test(log)) return { verdict: 'proved', counterexampleBits: {}, log };
  if (/\bSATISFIABLE\b/.test(log)) return { verdict: 'failed', counterexampleBits: parseAbcCex(readFileSync(cex, 'utf8')), log };
  if (/\bUNDECIDED\b/.test(log)) return { verdict: 'timeout', counterexampleBits: {}, log };
  throw new UserError(`yosys-abc could not prove the miter ${aigerPath}: ${log.trim().split('\n').slice(-3).join(' ')}`);
}

/** `write_cex -n` lines `name@0=v` (comments start with '#'). */
export function parseAbcCex(text: string): Record<string, 0 | 1> {
  const bits: Record<string, 0 | 1> = {};
  for (const m of text.matchAll(/^([^#\s@][^@\s]*)@0=([01])\s*$/gm)) bits[m[1]] = m[2] === '1' ? 1 : 0;
  return bits;
}

/**
 * Input bits grouped into ports: `{ 'in_a[1]': 1, 'in_a[0]': 0, in_x: 1 }` with prefix `in_` gives
 * `{ a: '10', x: '1' }` (binary digits, most significant first, like Yosys's `sat -show-inputs`).
 */
export function portBits(bits: Record<string, 0 | 1>, prefix: string): Record<string, string> {
  const ports = new Map<string, (0 | 1)[]>();
  for (const [name, v] of Object.entries(bits)) {
    const m = /^(.*?)(?:\[(\d+)\])?$/.exec(name)!;
    // only the design's ports (registers cut into inputs are named `in_<reg>.q`)
    if (!m[1].startsWith(prefix) || !/^[A-Za-z0-9_]+$/.test(m[1])) continue;
    const port = m[1].slice(prefix.length);
    const digits = ports.get(port) ?? [];
    digits[m[2] === undefined ? 0 : Number(m[2])] = v;
    ports.set(port, digits);
  }
  return Object.fromEntries([...ports].map(([p, d]) => [p, Array.from(d, (v) => v ?? 0).reverse().join('')]));
}
