// `npm run bench`: measures what the issues ask to be measured and writes bench/results.json and
// bench/REPORT.md. Every figure comes from this run; nothing is typed in by hand.
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generate } from '../hdl-gen/cli/commands/gen.ts';
import { projectRoot } from '../hdl-gen/core/source-location.ts';
import { UInt, defineModule, elaborate, input, output } from '../hdl-gen/index.ts';
import { emitDesign } from '../hdl-gen/emit/sv-printer.ts';
import { generators } from '../hdl-gen/designs/registry.ts';
import { checkAgainstGolden } from '../verif/verilator/check.ts';
import { IrSimulator } from '../verif/sim/index.ts';
import { Counter } from '../hdl-gen/examples/counter.ts';
import { runFuzzBatch } from '../verif/fuzz/differential.ts';

const quick = process.argv.includes('--quick');

/** What each scripts/bench/<area>.ts exports: one report section, measured in this run. */
type BenchSection = (opts: { quick: boolean }) => Promise<{ key: string; results: unknown; markdown: string[] }>;
const results: Record<string, unknown> = {};
const report: string[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, (performance.now() - t) / 1000];
}

// ---- machine and tools ----------------------------------------------------------------------
const version = async (cmd: string, args: string[]) => (await execa(cmd, args, { reject: false })).stdout.split('\n')[0];
const commit = (await execa('git', ['rev-parse', '--short', 'HEAD'], { reject: false, cwd: projectRoot })).stdout;
results.machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
results.tools = { verilator: await version('verilator', ['--version']), yosys: await version('yosys', ['-V']), iverilog: (await execa('iverilog', ['-V'], { reject: false })).stdout.split('\n')[0] };
results.commit = commit;
results.date = new Date().toISOString().slice(0, 10);
report.push('# Benchmark report', '', `Commit ${commit}, ${results.date}, ${os.cpus().length} x ${os.cpus()[0]?.model}, node ${process.version}.`);
report.push(`Tools: ${Object.values(results.tools as Record<string, string>).join('; ')}.`, '');

// ---- generation time --------------------------------------------------------------------------
{
  const out = mkdtempSync(path.join(os.tmpdir(), 'bench-gen-'));
  const runs: number[] = [];
  let last: Awaited<ReturnType<typeof generate>> | null = null;
  for (let i = 0; i < 3; i++) {
    const [r, s] = await timed(() => generate({ out: path.join(out, `o${i}`) }));
    runs.push(s);
    last = r;
  }
  const elab = last!.designs.reduce((a, d) => a + d.elaborateMs, 0);
  const emit = last!.designs.reduce((a, d) => a + d.emitMs, 0);
  results.genRtl = { medianSeconds: median(runs), elaborateAndCheckMs: elab, emitMs: emit, files: last!.files };
  report.push('## Tool speed', '', '| measurement | value |', '|---|---|');
  report.push(`| gen:rtl, default config (median of 3) | ${median(runs).toFixed(2)} s (elaborate+check ${elab.toFixed(0)} ms, emit ${emit.toFixed(0)} ms, ${last!.files} files) |`);
}

// ---- IR simulator and Verilator rates ----------------------------------------------------------
{
  const sim = new IrSimulator(elaborate(Counter, { width: 16 }));
  sim.reset(1);
  sim.poke('en', 1);
  const n = 2_000_000;
  const [, s] = await timed(() => sim.step(n));
  results.irSimCounterCyclesPerSecond = n / s;
  report.push(`| IR simulator, 16-bit counter | ${(n / s / 1e6).toFixed(1)} M cycles/s |`);

  const Mul = defineModule({ name: 'BenchMul16', io: () => ({ a: input(UInt(16)), b: input(UInt(16)), p: output(UInt(32)) }), body: (_m, io) => io.p.set(io.a.mulExpand(io.b)) });
  const design = elaborate(Mul, {});
  const vectors = 1_000_000;
  const r = await checkAgainstGolden({
    name: 'bench-mul16',
    design,
    mode: 'comb',
    seed: 1,
    vectors,
    stimulus: (rng) => ({ a: rng.bits(16), b: rng.bits(16) }),
    golden: ({ a, b }) => ({ p: a * b }),
    progress: false,
    log: () => {},
  });
  if (!r.ok) throw new Error('bench: the 16x16 multiplier failed its check');
  results.verilatorMillionVectors = { vectors, seconds: r.seconds, vectorsPerSecond: r.vectorsPerSecond, buildSeconds: r.buildSeconds, cacheHit: r.cacheHit };
  report.push(`| Verilator, 1,000,000 vectors through a 16x16 multiplier, checked vs golden | ${r.seconds.toFixed(2)} s, ${(r.vectorsPerSecond / 1e6).toFixed(2)} M vectors/s (build ${r.buildSeconds.toFixed(1)} s${r.cacheHit ? ', cached' : ''}) |`);
}

// ---- differential fuzzing ----------------------------------------------------------------------
{
  const count = quick ? 500 : 10_000;
  let comparisons = 0;
  let mismatches = 0;
  const [, s] = await timed(async () => {
    for (let start = 0; start < count; start += 500) {
      const seeds = Array.from({ length: 500 }, (_, i) => (0xbe7c4 * 1_000_003 + start + i) >>> 0);
      const r = await runFuzzBatch(seeds, 200, start);
      comparisons += r.comparisons;
      mismatches += new Set(r.mismatches.map((m) => m.circuitSeed)).size;
    }
  });
  results.fuzz = { circuits: count, comparisons, mismatchingCircuits: mismatches, seconds: s };
  report.push(`| differential fuzzing, ${count} random circuits x 200 cycles | ${mismatches} mismatching circuits, ${comparisons} comparisons, ${s.toFixed(0)} s |`);
}

// ---- FP: exhaustive f16 multiply (golden vs independent model) ----------------------------------
{
  const args = ['scripts/bench-fp-exhaustive.ts', '--workers', String(os.cpus().length)];
  if (quick) args.push('--limit', String(2 ** 26));
  const r = await execa(path.join(projectRoot, 'node_modules/.bin/tsx'), args, { cwd: projectRoot, reject: false });
  const line = r.stdout.split('\n').find((l) => l.startsWith('checked ')) ?? r.stdout;
  results.f16MulExhaustive = { exitCode: r.exitCode, summary: line };
  report.push(`| f16 multiply golden vs independent model, ${quick ? '2^26' : 'all 2^32'} pairs | ${line} |`);
}

// ---- QoR: Yosys cells per FP unit ---------------------------------------------------------------
{
  report.push('', '## Synthesis (Yosys 0.23, `synth_ice40 -dsp` and `synth_xilinx`)', '', '| design | iCE40 cells | LUT4 | SB_MAC16 | FFs | Xilinx cells |', '|---|---|---|---|---|---|');
  const qor: Record<string, unknown> = {};
  const units: [string, Record<string, unknown>][] = [
    ['fp-mul', { format: 'f16', stages: 0 }],
    ['fp-mul', { format: 'f32', stages: 0 }],
    ['fp-add', { format: 'f16', stages: 0 }],
    ['fp-add', { format: 'f32', stages: 0 }],
    ['fp-fma', { format: 'f16', stages: 0 }],
    ['fp-mac', { inFormat: 'f16', stages: 0 }],
    ['fp-mac', { inFormat: 'bf16', stages: 0 }],
    ['puzzlemoe-decode', { lanes: 4, outputRegister: true, exponentOffset: 112 }],
  ];
  for (const [gen, params] of units) {
    const g = generators.find((x) => x.name === gen);
    if (!g) continue;
    const p = g.params.safeParse(params);
    if (!p.success) continue;
    const design = elaborate(g.def, p.data);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-qor-'));
    const files = emitDesign(design).map((m) => {
      writeFileSync(path.join(dir, m.fileName), m.text);
      return m.fileName;
    });
    const stat = async (synth: string) => (await execa('yosys', ['-q', '-p', `read_verilog -sv ${files.join(' ')}; ${synth} -top ${design.top}; tee -o stat.txt stat`], { cwd: dir, reject: false })).stdout + (await execa('cat', ['stat.txt'], { cwd: dir, reject: false })).stdout;
    const ice = await stat('synth_ice40 -dsp');
    const xil = await stat('synth_xilinx');
    const num = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
    const row = {
      ice40Cells: num(ice, /Number of cells:\s+(\d+)/),
      lut4: num(ice, /SB_LUT4\s+(\d+)/),
      mac16: num(ice, /SB_MAC16\s+(\d+)/) || 0,
      ffs: [...ice.matchAll(/SB_DFF\w*\s+(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0),
      xilinxCells: num(xil, /Number of cells:\s+(\d+)/),
    };
    qor[design.top] = row;
    report.push(`| ${design.top} | ${row.ice40Cells} | ${row.lut4} | ${row.mac16} | ${row.ffs} | ${row.xilinxCells} |`);
  }
  results.qor = qor;
}

// ---- unit sections: every scripts/bench/<area>.ts exports bench({ quick }) ------------------------
// A failing section is reported in place and makes the run exit non-zero; the others still run.
{
  const dir = path.join(projectRoot, 'scripts', 'bench');
  const sections = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts')).sort() : [];
  const sectionSeconds: Record<string, number> = {};
  for (const file of sections) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { bench?: BenchSection };
    if (typeof mod.bench !== 'function') throw new Error(`bench: scripts/bench/${file} does not export bench({ quick })`);
    process.stderr.write(`bench: ${file}...\n`);
    try {
      const [r, s] = await timed(() => mod.bench!({ quick }));
      results[r.key] = r.results;
      sectionSeconds[file] = s;
      report.push('', ...r.markdown);
    } catch (e) {
      process.exitCode = 1;
      report.push('', `## ${file}: FAILED`, '', '```', String(e instanceof Error ? e.stack ?? e.message : e), '```');
    }
  }
  results.sectionSeconds = sectionSeconds;
}

mkdirSync(path.join(projectRoot, 'bench'), { recursive: true });
writeFileSync(path.join(projectRoot, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
writeFileSync(path.join(projectRoot, 'bench', 'REPORT.md'), report.join('\n') + '\n');
process.stdout.write(report.join('\n') + '\n');
