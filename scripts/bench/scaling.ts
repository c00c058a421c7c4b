// Scaling: how generation (elaboration, checks, emission), the IR simulator and Verilator (build and
// simulation) grow with PE-array size and decode lanes. Each point is measured in this run; the growth
// exponent b of time ~ size^b is a least-squares fit on log-log axes (b = 1 is linear in PEs/lanes).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { elaborateUnchecked } from '../../hdl-gen/core/elaborate.ts';
import { projectRoot } from '../../hdl-gen/core/source-location.ts';
import { generators } from '../../hdl-gen/designs/registry.ts';
import { emitDesign } from '../../hdl-gen/emit/sv-printer.ts';
import type { IrDesign } from '../../hdl-gen/ir/ir.ts';
import { runChecks } from '../../hdl-gen/passes/run-checks.ts';
import { seededRandom } from '../../verif/random.ts';
import { IrSimulator } from '../../verif/sim/index.ts';
import { VerilatorSim } from '../../verif/verilator/verilator-sim.ts';
import { growthExponent, logLogPlot } from '../lib/svg-line-plot.ts';

interface Series {
  readonly label: string;
  /** Registry generator name; the series is skipped (and says so) when the registry lacks it. */
  readonly generator: string;
  readonly sizeName: string;
  /** size -> generator parameters; `size` is the x axis (PEs or lanes). */
  readonly points: readonly { size: number; params: Record<string, unknown> }[];
  /** Largest size (in PEs or lanes) simulated by the IR simulator, and built (cold) by Verilator, to keep the bench in budget. */
  readonly irSimUpTo: number;
  readonly verilatorUpTo: number;
}

interface Point {
  size: number;
  nodes: number;
  elaborateMs: number;
  checkMs: number;
  emitMs: number;
  irSimCyclesPerSecond?: number;
  /** Generated JavaScript of the IR simulator (characters) and instances simulated by shared per-module functions. */
  irSimCodeChars?: number;
  irSimSharedInstances?: number;
  /** Seconds from construction until the IR simulator's rate settled (JIT compilation included). */
  irSimWarmupSeconds?: number;
  verilatorBuildSeconds?: number;
  verilatorCyclesPerSecond?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => performance.now();

function arraySeries(generator: string, label: string, params: (n: number) => Record<string, unknown>, sizes: number[], irSimUpTo: number, verilatorUpTo: number): Series {
  return { label, generator, sizeName: 'PEs', points: sizes.map((n) => ({ size: n * n, params: params(n) })), irSimUpTo, verilatorUpTo };
}

function seriesList(quick: boolean): Series[] {
  const sides = quick ? [4, 8, 16] : [4, 8, 16, 32, 64];
  const lanes = quick ? [1, 4, 16] : [1, 4, 16, 64];
  return [
    // Verilator: the int8 array's series (a 4x4 SPEQ array alone takes ~27 s to build; its growth would need three).
    arraySeries('speq-pe-array', 'SPEQ PE array (R = C)', (n) => ({ rows: n, cols: n }), sides, quick ? 64 : 256, 0),
    arraySeries('int-mac-array', 'int8 MAC array (R = C)', (n) => ({ rows: n, cols: n, dataWidth: 8, accWidth: 24 }), sides, 4096, quick ? 256 : 1024),
    { label: 'PuzzleMoE decode (lanes)', generator: 'puzzlemoe-decode', sizeName: 'lanes', points: lanes.map((l) => ({ size: l, params: { lanes: l, outputRegister: true } })), irSimUpTo: 64, verilatorUpTo: 64 },
  ];
}

function pokeRandomInputs(design: IrDesign, poke: (port: string, v: bigint) => void, seed: number): void {
  const rng = seededRandom('scaling inputs', seed);
  const top = design.modules.find((m) => m.name === design.top)!;
  for (const p of top.ports) if (p.dir === 'input' && !p.role) poke(p.name, rng.bits(p.width));
}

async function measurePoint(s: Series, size: number, params: Record<string, unknown>, quick: boolean): Promise<Point> {
  const g = generators.find((x) => x.name === s.generator)!;
  const parsed = g.params.parse(params);
  const reps = size >= 1024 || quick ? 1 : 3;
  const el: number[] = [];
  const ck: number[] = [];
  const em: number[] = [];
  let design: IrDesign | null = null;
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    const r = elaborateUnchecked(g.def, parsed);
    const t1 = now();
    runChecks(r.design, r.diagnostics);
    const t2 = now();
    emitDesign(r.design);
    const t3 = now();
    el.push(t1 - t0);
    ck.push(t2 - t1);
    em.push(t3 - t2);
    design = r.design;
  }
  const d = design!;
  const nodes = d.modules.reduce((a, m) => a + m.nodes.length, 0);

  if (size > s.irSimUpTo) return { size, nodes, elaborateMs: median(el), checkMs: median(ck), emitMs: median(em) };
  const warmStart = now();
  const sim = new IrSimulator(d);
  sim.reset();
  pokeRandomInputs(d, (p, v) => sim.poke(p, v), 1);
  // V8 compiles the generated functions concurrently (tiering up as they get hot): warm up for at
  // least 1 s and until two consecutive 0.25 s windows agree within 10% (at most 10 s), then take the
  // best of three windows of >= 0.5 s.
  let cycles = 16;
  let lastRate = 0;
  for (;;) {
    let seconds = 0;
    let n = 0;
    while (seconds < 0.25) {
      const t = now();
      sim.step(cycles);
      const dt = (now() - t) / 1000;
      seconds += dt;
      n += cycles;
      if (dt < 0.05) cycles *= 2;
    }
    const r = n / seconds;
    const elapsed = now() - warmStart;
    if (elapsed > 10_000 || (elapsed > 1000 && Math.abs(r - lastRate) < 0.1 * r)) break;
    lastRate = r;
  }
  const warmupSeconds = (now() - warmStart) / 1000;
  let rate = 0;
  for (let window = 0; window < 3; window++) {
    let seconds = 0;
    let n = 0;
    while (seconds < 0.5) {
      const t = now();
      sim.step(cycles);
      seconds += (now() - t) / 1000;
      n += cycles;
    }
    rate = Math.max(rate, n / seconds);
  }
  const point: Point = {
    size,
    nodes,
    elaborateMs: median(el),
    checkMs: median(ck),
    emitMs: median(em),
    irSimCyclesPerSecond: rate,
    irSimCodeChars: sim.stats.codeChars,
    irSimSharedInstances: sim.stats.sharedInstances,
    irSimWarmupSeconds: warmupSeconds,
  };

  if (size <= s.verilatorUpTo) {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'bench-scaling-vl-'));
    try {
      const t = now();
      const vsim = await VerilatorSim.build(d, { cacheDir, jobs: os.cpus().length });
      point.verilatorBuildSeconds = (now() - t) / 1000;
      vsim.reset();
      pokeRandomInputs(d, (p, v) => vsim.poke(p, v), 1);
      await vsim.sync();
      let n = 1000;
      let dt = 0;
      while (dt < 0.3 && n < 50_000_000) {
        n *= 4;
        const t1 = now();
        vsim.step(n);
        await vsim.sync();
        dt = (now() - t1) / 1000;
      }
      point.verilatorCyclesPerSecond = n / dt;
      await vsim.close();
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  return point;
}

export async function bench(opts: { quick: boolean }): Promise<{ key: string; results: unknown; markdown: string[] }> {
  const md: string[] = ['## Scaling', ''];
  md.push(
    'Each point: one design elaborated (generators to IR), checked (the named passes) and emitted, then, up to per-series size limits (a dash above them), simulated with random constant inputs in the IR simulator (warm-up: at least 1 s and until two consecutive 0.25 s windows agree within 10%, at most 10 s; then the best of three 0.5 s windows) and built by Verilator (a fresh model cache; the Verilator runtime objects from ccache, as every build after the first) and simulated. Growth exponent b fits time ~ size^b (1 = linear). IR sim JS: the JavaScript the IR simulator generated (replicated instances, e.g. the PEs, share one function per module: "shared" counts them); warm-up s: from construction to a settled rate.',
    '',
  );
  const results: Record<string, { label: string; sizeName: string; points: Point[]; growth: Record<string, number> } | { skipped: string }> = {};
  const plotDir = path.join(projectRoot, 'bench');
  mkdirSync(plotDir, { recursive: true });
  const genSeries: { label: string; points: [number, number][] }[] = [];
  const simSeries: { label: string; points: [number, number][] }[] = [];
  for (const s of seriesList(opts.quick)) {
    if (!generators.some((g) => g.name === s.generator)) {
      results[s.generator] = { skipped: `generator '${s.generator}' is not in the registry` };
      md.push(`- ${s.label}: skipped, generator '${s.generator}' is not in the registry.`, '');
      continue;
    }
    const points: Point[] = [];
    for (const p of s.points) {
      process.stderr.write(`  scaling: ${s.generator} ${s.sizeName}=${p.size}\n`);
      points.push(await measurePoint(s, p.size, p.params, opts.quick));
    }
    const fit = (f: (p: Point) => number | undefined) => growthExponent(points.filter((p) => f(p) !== undefined).map((p) => [p.size, f(p)!] as [number, number]));
    const growth = {
      elaborate: fit((p) => p.elaborateMs),
      check: fit((p) => p.checkMs),
      emit: fit((p) => p.emitMs),
      irSimSecondsPerCycle: fit((p) => (p.irSimCyclesPerSecond ? 1 / p.irSimCyclesPerSecond : undefined)),
      verilatorBuild: fit((p) => p.verilatorBuildSeconds),
      verilatorSecondsPerCycle: fit((p) => (p.verilatorCyclesPerSecond ? 1 / p.verilatorCyclesPerSecond : undefined)),
    };
    results[s.generator] = { label: s.label, sizeName: s.sizeName, points, growth };
    md.push(`### ${s.label}`, '', `| ${s.sizeName} | IR nodes | elaborate ms | checks ms | emit ms | IR sim cycles/s | IR sim JS kB (shared) | IR sim warm-up s | Verilator build s | Verilator cycles/s |`, '|---|---|---|---|---|---|---|---|---|---|');
    for (const p of points) {
      const js = p.irSimCodeChars === undefined ? '-' : `${(p.irSimCodeChars / 1000).toFixed(0)} (${p.irSimSharedInstances})`;
      md.push(
        `| ${p.size} | ${p.nodes} | ${p.elaborateMs.toFixed(1)} | ${p.checkMs.toFixed(1)} | ${p.emitMs.toFixed(1)} | ${p.irSimCyclesPerSecond?.toExponential(2) ?? '-'} | ${js} | ${p.irSimWarmupSeconds?.toFixed(1) ?? '-'} | ${p.verilatorBuildSeconds?.toFixed(1) ?? '-'} | ${p.verilatorCyclesPerSecond?.toExponential(2) ?? '-'} |`,
      );
    }
    const b = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
    md.push(`| growth b | | ${b(growth.elaborate)} | ${b(growth.check)} | ${b(growth.emit)} | ${b(growth.irSimSecondsPerCycle)} (time/cycle) | | | ${b(growth.verilatorBuild)} | ${b(growth.verilatorSecondsPerCycle)} (time/cycle) |`, '');
    genSeries.push({ label: `${s.generator} gen`, points: points.map((p) => [p.size, p.elaborateMs + p.checkMs + p.emitMs]) });
    simSeries.push({ label: `${s.generator} IR sim`, points: points.filter((p) => p.irSimCyclesPerSecond).map((p) => [p.size, 1e6 / p.irSimCyclesPerSecond!]) });
    const vl = points.filter((p) => p.verilatorCyclesPerSecond);
    if (vl.length) simSeries.push({ label: `${s.generator} Verilator`, points: vl.map((p) => [p.size, 1e6 / p.verilatorCyclesPerSecond!]) });
  }
  if (genSeries.length) {
    writeFileSync(path.join(plotDir, 'scaling-generation.svg'), logLogPlot(genSeries, { title: 'Generation time (elaborate + check + emit)', xLabel: 'size (PEs or lanes)', yLabel: 'ms' }));
    writeFileSync(path.join(plotDir, 'scaling-simulation.svg'), logLogPlot(simSeries, { title: 'Simulation time per cycle', xLabel: 'size (PEs or lanes)', yLabel: 'microseconds per cycle' }));
    md.push('![generation time](scaling-generation.svg)', '', '![simulation time per cycle](scaling-simulation.svg)', '');
  }
  return { key: 'scaling', results, markdown: md };
}
