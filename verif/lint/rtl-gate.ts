import { execa } from 'execa';
import path from 'node:path';
import { runYosys, type YosysFlavor } from '../tools/yosys.ts';

/**
 * The RTL gate every generated design must pass with zero warnings and no waivers:
 * `verilator --lint-only -Wall`, Yosys (0.23 system and 0.55 embedded) `hierarchy -check; proc;
 * check -assert`, and an Icarus `-g2012` parse.
 */
export interface GateResult {
  readonly tool: string;
  readonly ok: boolean;
  readonly output: string;
}

export async function verilatorLint(files: readonly string[], top: string): Promise<GateResult> {
  const r = await execa('verilator', ['--lint-only', '-Wall', '--top-module', top, ...files], { reject: false, all: true });
  const output = (r.all ?? '').trim();
  return { tool: 'verilator --lint-only -Wall', ok: r.exitCode === 0 && output === '', output };
}

export async function yosysCheck(flavor: YosysFlavor, files: readonly string[], top: string): Promise<GateResult> {
  const names = files.map((f) => path.basename(f)).join(' ');
  const script = `read_verilog -sv ${names}; hierarchy -check -top ${top}; proc; check -assert`;
  const r = await runYosys(flavor, files, script);
  const warnings = r.log.split('\n').filter((l) => /warning|error/i.test(l));
  return { tool: `yosys ${flavor === 'system' ? '0.23 (system)' : '0.55 (embedded)'}`, ok: r.ok && warnings.length === 0, output: r.log.trim() };
}

export async function icarusParse(files: readonly string[], top: string): Promise<GateResult> {
  const r = await execa('iverilog', ['-g2012', '-Wall', '-s', top, '-o', '/dev/null', ...files], { reject: false, all: true });
  const output = (r.all ?? '').trim();
  return { tool: 'iverilog -g2012', ok: r.exitCode === 0 && output === '', output };
}

export async function runGate(files: readonly string[], top: string): Promise<GateResult[]> {
  return [await verilatorLint(files, top), await yosysCheck('system', files, top), await yosysCheck('wasm', files, top), await icarusParse(files, top)];
}
