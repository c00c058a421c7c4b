// Floating point: the f16 multiply golden model against an independent model over the first 2^28
// operand pairs (2^26 with --quick; all 2^32 with `npx tsx scripts/bench-fp-exhaustive.ts`, about
// 4 minutes on 2 cores, kept out of the bench's 20-minute budget), and Yosys cell counts.
import { execa } from 'execa';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../hdl-gen/core/source-location.ts';
import { mapConcurrently } from '../lib/map-concurrently.ts';
import { synthStats } from '../lib/yosys-stats.ts';

const UNITS: [generator: string, params: Record<string, unknown>][] = [
  ['fp-mul', { format: 'f16', stages: 0 }],
  ['fp-mul', { format: 'f32', stages: 0 }],
  ['fp-add', { format: 'f16', stages: 0 }],
  ['fp-add', { format: 'f32', stages: 0 }],
  ['fp-fma', { format: 'f16', stages: 0 }],
  ['fp-mac', { inFormat: 'f16', stages: 0 }],
  ['fp-mac', { inFormat: 'bf16', stages: 0 }],
  ['fp-mac', { inFormat: 'f16', stages: 2 }],
];

export async function bench(opts: { quick: boolean }): Promise<{ key: string; results: unknown; markdown: string[] }> {
  const md = ['## Floating point', ''];
  const args = ['scripts/bench-fp-exhaustive.ts', '--workers', String(os.cpus().length)];
  args.push('--limit', String(opts.quick ? 2 ** 26 : 2 ** 28));
  const r = await execa(path.join(projectRoot, 'node_modules/.bin/tsx'), args, { cwd: projectRoot, reject: false });
  const line = r.stdout.split('\n').find((l) => l.startsWith('checked ')) ?? `${r.stdout}\n${r.stderr}`;
  if (r.exitCode !== 0) throw new Error(`bench-fp-exhaustive failed (exit ${r.exitCode}): ${line}`);
  md.push(`f16 multiply, golden model vs an independent double-based model, ${opts.quick ? 'the first 2^26 operand pairs' : 'the first 2^28 operand pairs (all 2^32: `npx tsx scripts/bench-fp-exhaustive.ts`)'}: ${line}`, '');

  md.push('| design | iCE40 cells | LUT4 | SB_MAC16 | FFs | Xilinx cells | Xilinx LUTs | DSP48E1 |', '|---|---|---|---|---|---|---|---|');
  const qor: Record<string, unknown> = {};
  // Two designs at a time (Yosys is single-threaded: one per core), rows in UNITS order.
  for (const s of await mapConcurrently(UNITS, 2, (u) => synthStats(...u))) {
    qor[s.top] = s;
    md.push(`| ${s.top} | ${s.ice40.cells} | ${s.ice40.lut4} | ${s.ice40.mac16} | ${s.ice40.ffs} | ${s.xilinx.cells} | ${s.xilinx.luts} | ${s.xilinx.dsp48} |`);
  }
  md.push('', 'Cells from the system Yosys: `synth_ice40 -dsp` and `synth_xilinx -flatten`, both flattened (combinational units unless a stage count is in the name).');
  return { key: 'fp', results: { f16MulExhaustive: line, qor }, markdown: md };
}
