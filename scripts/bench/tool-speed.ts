// Tool speed: gen:rtl on the default configuration, IR-simulator and Verilator vector rates,
// Verilator build time cold and cached, differential fuzzing throughput, and (full runs) the
// whole vitest regression's wall time.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generate } from '../../hdl-gen/cli/commands/gen.ts';
import { projectRoot } from '../../hdl-gen/core/source-location.ts';
import { Counter } from '../../hdl-gen/examples/counter.ts';
import { UInt, defineModule, elaborate, input, output } from '../../hdl-gen/index.ts';
import { runFuzzBatch } from '../../verif/fuzz/differential.ts';
import { IrSimulator } from '../../verif/sim/index.ts';
import { checkAgainstGolden } from '../../verif/verilator/check.ts';
import { buildVerilatorModel } from '../../verif/verilator/build.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const r = await fn();
  return [r, (performance.now() - t) / 1000];
};

const BenchMul16 = defineModule({ name: 'BenchMul16', io: () => ({ a: input(UInt(16)), b: input(UInt(16)), p: output(UInt(32)) }), body: (_m, io) => io.p.set(io.a.mulExpand(io.b)) });

export async function bench(opts: { quick: boolean }): Promise<{ key: string; results: unknown; markdown: string[] }> {
  const results: Record<string, unknown> = {};
  const md = ['## Tool speed', '', '| measurement | value |', '|---|---|'];

  // gen:rtl on the default configuration, median of 3 (elaborate+check and emit per design summed).
  {
    const out = mkdtempSync(path.join(os.tmpdir(), 'bench-gen-'));
    const runs: number[] = [];
    let last: Awaited<ReturnType<typeof generate>> | null = null;
    for (let i = 0; i < 3; i++) {
      const [r, s] = await seconds(() => generate({ out: path.join(out, `o${i}`) }));
      runs.push(s);
      last = r;
    }
    rmSync(out, { recursive: true, force: true });
    const elab = last!.designs.reduce((a, d) => a + d.elaborateMs, 0);
    const emit = last!.designs.reduce((a, d) => a + d.emitMs, 0);
    results.genRtl = { medianSeconds: median(runs), elaborateAndCheckMs: elab, emitMs: emit, files: last!.files, designs: last!.designs.length };
    md.push(`| gen:rtl, default config (${last!.designs.length} designs, median of 3) | ${median(runs).toFixed(2)} s (elaborate+check ${elab.toFixed(0)} ms, emit ${emit.toFixed(0)} ms, ${last!.files} files) |`);
  }

  // IR simulator on a small clocked design.
  {
    const sim = new IrSimulator(elaborate(Counter, { width: 16 }));
    sim.reset(1);
    sim.poke('en', 1);
    sim.step(1_000_000); // warm up (JIT)
    const n = 2_000_000;
    const rates: number[] = [];
    for (let i = 0; i < 3; i++) rates.push(n / (await seconds(() => sim.step(n)))[1]);
    results.irSimCounterCyclesPerSecond = median(rates);
    md.push(`| IR simulator, 16-bit counter (median of 3) | ${(median(rates) / 1e6).toFixed(1)} M cycles/s |`);
  }

  // Verilator: one cold build in a fresh cache, then cached builds; 1M vectors checked vs golden.
  {
    const design = elaborate(BenchMul16, {});
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'bench-vl-cache-'));
    const vectors = opts.quick ? 200_000 : 1_000_000;
    const runs: { seconds: number; rate: number; build: number; hit: boolean }[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await checkAgainstGolden({
        name: 'bench-mul16',
        design,
        mode: 'comb',
        seed: 1 + i,
        vectors,
        build: { cacheDir, ccache: false },
        stimulus: (rng) => ({ a: rng.bits(16), b: rng.bits(16) }),
        golden: ({ a, b }) => ({ p: a * b }),
        progress: false,
        log: () => {},
      });
      if (!r.ok) throw new Error('bench: the 16x16 multiplier failed its check against a*b');
      runs.push({ seconds: r.seconds, rate: r.vectorsPerSecond, build: r.buildSeconds, hit: r.cacheHit });
    }
    rmSync(cacheDir, { recursive: true, force: true });
    // The same cold build with the Verilator runtime objects from ccache, as tests and units build.
    const ccacheDir = mkdtempSync(path.join(os.tmpdir(), 'bench-vl-cache-'));
    const withCcache = (await buildVerilatorModel(design, { cacheDir: ccacheDir })).seconds;
    rmSync(ccacheDir, { recursive: true, force: true });
    const cold = runs.find((r) => !r.hit);
    const cached = runs.filter((r) => r.hit).map((r) => r.build);
    const rate = median(runs.map((r) => r.rate));
    results.verilator = { vectors, vectorsPerSecond: rate, coldBuildSeconds: cold?.build, coldBuildWithCcacheSeconds: withCcache, cachedBuildSeconds: cached.length ? median(cached) : null };
    md.push(`| Verilator, ${vectors.toLocaleString('en-US')} vectors through a 16x16 multiplier, checked vs golden (median of 3) | ${(rate / 1e6).toFixed(2)} M vectors/s |`);
    md.push(`| Verilator build, cold (no ccache) / cold with the Verilator runtime from ccache / cache hit | ${cold ? cold.build.toFixed(1) : '-'} s / ${withCcache.toFixed(1)} s / ${cached.length ? (median(cached) * 1000).toFixed(1) : '-'} ms |`);
  }

  // Differential fuzzing (IR simulator vs Verilator), up to 500 circuits per Verilator build.
  {
    const count = 100; // CI fuzzes 2,000 circuits; the bench measures the rate
    const batch = 500;
    let comparisons = 0;
    let mismatches = 0;
    const [, s] = await seconds(async () => {
      for (let start = 0; start < count; start += batch) {
        const seeds = Array.from({ length: Math.min(batch, count - start) }, (_, i) => (0xbe7c4 * 1_000_003 + start + i) >>> 0);
        const r = await runFuzzBatch(seeds, 200, start);
        comparisons += r.comparisons;
        mismatches += new Set(r.mismatches.map((m) => m.circuitSeed)).size;
      }
    });
    results.fuzz = { circuits: count, comparisons, mismatchingCircuits: mismatches, seconds: s };
    md.push(`| differential fuzzing, ${count} random circuits x 200 cycles | ${mismatches} mismatching circuits, ${comparisons.toLocaleString('en-US')} comparisons, ${s.toFixed(0)} s |`);
    if (mismatches) throw new Error(`bench: differential fuzzing found ${mismatches} mismatching circuits`);
  }
  // The full regression (vitest, as CI runs it after typecheck), with the Verilator cache as it is.
  if (!opts.quick) {
    const [r, s] = await seconds(() => execa(path.join(projectRoot, 'node_modules/.bin/vitest'), ['run'], { cwd: projectRoot, reject: false, env: { ...process.env, HDL_SEED: '' } }));
    const summary = /Tests\s+(.*)/.exec(r.stdout)?.[1]?.trim() ?? 'no summary';
    results.regression = { seconds: s, exitCode: r.exitCode, summary };
    md.push(`| full vitest regression (Verilator cache as the sections above left it) | ${s.toFixed(0)} s, ${summary}${r.exitCode ? ` (exit ${r.exitCode})` : ''} |`);
    if (r.exitCode) {
      // Keep the whole output (seeds, first mismatches) and name the failed tests.
      const log = path.join(projectRoot, 'build', 'bench-regression.log');
      mkdirSync(path.dirname(log), { recursive: true });
      writeFileSync(log, `${r.stdout}\n${r.stderr}`);
      const failed = [...new Set(r.stdout.split('\n').filter((l) => /^\s*FAIL\s+\S+\.test\.ts/.test(l)).map((l) => l.trim()))];
      throw new Error(`bench: the regression failed (exit ${r.exitCode}): ${summary}; ${failed.join('; ') || 'no FAIL line'}; output in build/bench-regression.log`);
    }
  }
  return { key: 'toolSpeed', results, markdown: md };
}
