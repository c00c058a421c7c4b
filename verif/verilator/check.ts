import { join, relative, resolve } from 'node:path';
import { UserError } from '../../hdl-gen/errors.ts';
import type { IrDesign } from '../../hdl-gen/ir/ir.ts';
import { rngFromSeed, type SeededRandom } from '../random.ts';
import { buildVerilatorModel, PROJECT_ROOT, type BuildOptions } from './build.ts';
import { toBits } from './codec.ts';
import type { PortLayout } from './harness.ts';
import { VectorProgress } from './progress.ts';
import { VerilatorSim, type Value, type VectorMode } from './verilator-sim.ts';

/**
 * Bit-exact checking of the RTL (through Verilator) against a golden TypeScript model, vector by
 * vector. Stops at the FIRST mismatch and reports the vector index, cycle, inputs, expected and
 * actual outputs and the seed; then re-runs the vectors up to the failing one on a tracing build
 * and writes the waveform to build/waves/<name>.fst. The report ends with `N passed, N failed`.
 */

export type PortValues = Readonly<Record<string, Value>>;

export interface CheckSpec {
  /** Names the run in messages and the waveform file (build/waves/<name>.fst). */
  readonly name: string;
  readonly design: IrDesign;
  /** 'comb': inputs -> eval -> outputs, no clock. 'clocked': one clock cycle per vector. */
  readonly mode: VectorMode;
  /**
   * Seed of the stimulus RNG (verif/random.ts, 0..2^32-1; use seedFromEnv() for HDL_SEED support).
   * Reported on failure; the same seed reproduces the run.
   */
  readonly seed: number;
  /** Vector count (with `stimulus`). */
  readonly vectors?: number;
  /**
   * Vector i's inputs, drawn from `rng` (seeded with `seed`). Must depend only on the rng and i:
   * the waveform re-run regenerates the vectors from the seed. Inputs left out keep their value.
   */
  readonly stimulus?: (rng: SeededRandom, i: number) => PortValues;
  /** Alternatively, the input columns themselves (vector count = their length). */
  readonly inputs?: Readonly<Record<string, readonly Value[]>>;
  /**
   * The expected outputs of vector i (given the inputs applied, as bigints). Called in order from
   * vector 0, so clocked models may keep state. Outputs left out (or undefined) are not checked.
   * In clocked mode output i is sampled before clock edge i.
   */
  readonly golden: (inputs: Readonly<Record<string, bigint>>, i: number) => Readonly<Record<string, Value | undefined>>;
  /** Clocked mode: reset cycles before vector 0 (default 1 if the design has a reset port, else 0). */
  readonly reset?: number;
  /** Write the waveform of a failure (default true). */
  readonly waveOnFailure?: boolean;
  /** Vectors before the failure kept in the waveform (default 10000; the re-run starts at 0). */
  readonly waveWindow?: number;
  /** Directory for waveforms (default <project>/build/waves). */
  readonly wavesDir?: string;
  /** Vectors per chunk (stimulus generation, RTL run, comparison). Default 65536. */
  readonly chunkSize?: number;
  /** Progress bar on stderr (default: when stderr is a TTY). */
  readonly progress?: boolean;
  /** Where report lines go (default: console.log). */
  readonly log?: (line: string) => void;
  readonly build?: Omit<BuildOptions, 'trace'>;
}

export interface Mismatch {
  readonly index: number;
  /** Clock cycle of the vector (counting reset cycles), null in combinational mode. */
  readonly cycle: number | null;
  /** Trace time of the vector's sample in the waveform. */
  readonly time: number;
  readonly inputs: Record<string, bigint>;
  readonly expected: Record<string, bigint>;
  readonly got: Record<string, bigint>;
  /** Outputs that differ. */
  readonly ports: string[];
  readonly seed: number;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly passed: number;
  readonly failed: number;
  /** Vectors requested. */
  readonly total: number;
  readonly seed: number;
  readonly mismatch: Mismatch | null;
  /** The waveform of the failure, if written. */
  readonly wavePath: string | null;
  readonly seconds: number;
  readonly vectorsPerSecond: number;
  readonly cacheHit: boolean;
  readonly buildSeconds: number;
  /** Every line logged, joined with newlines; the last line is `N passed, N failed`. */
  readonly report: string;
}

export async function checkAgainstGolden(spec: CheckSpec): Promise<CheckResult> {
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    (spec.log ?? console.log)(line);
  };
  const seed = spec.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new Error(`check '${spec.name}': seed must be an integer in [0, 2^32), got ${seed}`);
  const total = spec.inputs ? columnLength(spec.inputs) : spec.vectors;
  if (total === undefined || !spec.stimulus === !spec.inputs) throw new Error(`check '${spec.name}': give either stimulus and vectors, or inputs`);

  const sim = await VerilatorSim.build(spec.design, { ...spec.build, trace: false });
  const L = sim.layout;
  const resetCycles = spec.mode === 'clocked' ? (spec.reset ?? (L.resets.length ? 1 : 0)) : 0;
  const outByName = new Map(L.outputs.map((p) => [p.name, p]));
  const inputNames = L.inputs.map((p) => p.name);
  const chunk = Math.max(1, spec.chunkSize ?? 65536);
  const progress = new VectorProgress(spec.name, total, { enabled: spec.progress });
  const rng = rngFromSeed(seed);
  let passed = 0;
  let mismatch: Mismatch | null = null;
  try {
    if (resetCycles) sim.reset(resetCycles);
    const staged: Record<string, bigint> = Object.fromEntries(inputNames.map((n) => [n, 0n]));
    if (resetCycles) for (const r of L.resets) staged[r.name] = r.activeLow ? 1n : 0n;
    for (let start = 0; start < total && !mismatch; start += chunk) {
      const m = Math.min(chunk, total - start);
      const cols = spec.inputs ? sliceColumns(spec.inputs, start, m) : stimulusColumns(spec.stimulus!, rng, start, m, L.inputs, staged);
      const out = await sim.runVectors(cols, spec.mode, { onProgress: (d) => progress.update(start + d) });
      const names = Object.keys(cols);
      const vin: Record<string, bigint> = { ...staged };
      for (let j = 0; j < m; j++) {
        const i = start + j;
        for (const n of names) vin[n] = BigInt(cols[n][j]);
        const exp = spec.golden({ ...vin }, i);
        let bad: string[] | null = null;
        for (const [port, e] of Object.entries(exp)) {
          if (e === undefined) continue;
          const p = outByName.get(port);
          if (!p) throw new Error(`check '${spec.name}': the golden model returned '${port}', which is not an output of ${L.top} (outputs: ${[...outByName.keys()].join(', ')})`);
          if (toBits(p, e, ` (golden output at vector ${i})`) !== out[port][j]) (bad ??= []).push(port);
        }
        if (bad) {
          const expected: Record<string, bigint> = {};
          for (const [port, e] of Object.entries(exp)) if (e !== undefined) expected[port] = toBits(outByName.get(port)!, e);
          const got = Object.fromEntries(L.outputs.map((p) => [p.name, out[p.name][j]]));
          const cycle = spec.mode === 'clocked' ? resetCycles + i : null;
          const time = 1 + (spec.mode === 'clocked' ? 2 * (resetCycles + i) : i);
          mismatch = { index: i, cycle, time, inputs: { ...vin }, expected, got, ports: bad, seed };
          break;
        }
        passed++;
      }
      Object.assign(staged, vin);
    }
  } finally {
    await sim.close();
  }
  const stats = progress.stop(passed + (mismatch ? 1 : 0));
  log(stats.summary);

  let wavePath: string | null = null;
  if (mismatch) {
    const pad = (s: string) => s.padEnd(10);
    const fmt = (ports: readonly PortLayout[], vals: Record<string, bigint>, mark?: readonly string[]) =>
      ports
        .filter((p) => vals[p.name] !== undefined)
        .map((p) => `${p.name}=${formatValue(vals[p.name], p.width)}${mark?.includes(p.name) ? ' (!)' : ''}`)
        .join(' ');
    const where = mismatch.cycle === null ? 'combinational' : `cycle ${mismatch.cycle}`;
    log(`FAIL ${spec.name}: first mismatch at vector ${mismatch.index} (${where}, trace time ${mismatch.time}), seed ${seed}`);
    log(`  ${pad('inputs:')}${fmt(L.inputs, mismatch.inputs)}`);
    log(`  ${pad('expected:')}${fmt(L.outputs, mismatch.expected, mismatch.ports)}`);
    log(`  ${pad('got:')}${fmt(L.outputs, mismatch.got, mismatch.ports)}`);
    if (spec.waveOnFailure ?? true) {
      try {
        const r = await writeFailureWave(spec, mismatch, resetCycles);
        wavePath = r.path;
        log(`  ${pad('waveform:')}${displayPath(r.path)} (vectors ${r.from}..${mismatch.index} of a re-run with FST tracing)`);
        if (!r.reproduced) log(`  warning: the traced re-run did not reproduce the mismatch (is the stimulus a pure function of the rng?)`);
      } catch (e) {
        log(`  ${pad('waveform:')}not written: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  const failed = mismatch ? 1 : 0;
  log(`${passed} passed, ${failed} failed`);
  return {
    name: spec.name,
    ok: !mismatch,
    passed,
    failed,
    total,
    seed,
    mismatch,
    wavePath,
    seconds: stats.seconds,
    vectorsPerSecond: stats.rate,
    cacheHit: sim.cacheHit,
    buildSeconds: sim.build.seconds,
    report: lines.join('\n'),
  };
}

/**
 * CLI-style entry: runs the check, prints the report, returns the exit code (0 pass, 1 fail).
 * A UserError (e.g. Verilator missing) is printed without a stack and returns its exit code.
 */
export async function checkMain(spec: CheckSpec): Promise<number> {
  try {
    const r = await checkAgainstGolden(spec);
    return r.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof UserError) {
      console.error(`error: ${e.message}`);
      return e.exitCode;
    }
    throw e;
  }
}

async function writeFailureWave(spec: CheckSpec, mm: Mismatch, resetCycles: number): Promise<{ path: string; reproduced: boolean; from: number }> {
  const dir = resolve(spec.wavesDir ?? join(PROJECT_ROOT, 'build', 'waves'));
  const path = join(dir, `${spec.name.replace(/[^A-Za-z0-9_.-]+/g, '_')}.fst`);
  const b = await buildVerilatorModel(spec.design, { ...spec.build, trace: true });
  const sim = await VerilatorSim.start(b);
  const n = mm.index + 1;
  // Trace only the last `waveWindow` vectors before the failure (all of them, with the reset, if fewer).
  const from = Math.max(0, n - (spec.waveWindow ?? 10_000));
  let reproduced = false;
  try {
    if (from === 0) sim.startTrace(path);
    if (resetCycles) sim.reset(resetCycles);
    const cols = spec.inputs
      ? sliceColumns(spec.inputs, 0, n)
      : stimulusColumns(spec.stimulus!, rngFromSeed(mm.seed), 0, n, b.layout.inputs, Object.fromEntries(b.layout.inputs.map((p) => [p.name, 0n])));
    if (from > 0) {
      await sim.runVectors(sliceColumns(cols, 0, from), spec.mode);
      sim.startTrace(path);
    }
    const out = await sim.runVectors(sliceColumns(cols, from, n - from), spec.mode);
    reproduced = b.layout.outputs.every((p) => out[p.name][n - 1 - from] === mm.got[p.name]);
    // A few more cycles so the failing edge and its effect are visible.
    if (spec.mode === 'clocked') sim.step(2);
    else sim.eval();
  } finally {
    await sim.close();
  }
  return { path, reproduced, from };
}

function stimulusColumns(
  stimulus: (rng: SeededRandom, i: number) => PortValues,
  rng: SeededRandom,
  start: number,
  m: number,
  inputs: readonly PortLayout[],
  staged: Readonly<Record<string, bigint>>,
): Record<string, Value[]> {
  const cols: Record<string, Value[]> = {};
  const known = new Set(inputs.map((p) => p.name));
  for (let j = 0; j < m; j++) {
    const v = stimulus(rng, start + j);
    for (const k in v) {
      let col = cols[k];
      if (!col) {
        if (!known.has(k)) throw new Error(`stimulus: '${k}' is not an input (inputs: ${[...known].join(', ')})`);
        // An input first driven mid-chunk held its previous value until then.
        col = cols[k] = new Array<Value>(m).fill(staged[k], 0, j);
      }
      col[j] = v[k];
    }
    // Inputs this vector leaves out keep their last value.
    for (const k in cols) if (!(k in v)) cols[k][j] = j > 0 ? cols[k][j - 1] : staged[k];
  }
  return cols;
}

function sliceColumns(inputs: Readonly<Record<string, readonly Value[]>>, start: number, m: number): Record<string, Value[]> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.slice(start, start + m)]));
}

function columnLength(inputs: Readonly<Record<string, readonly Value[]>>): number {
  const lens = new Set(Object.values(inputs).map((v) => v.length));
  if (lens.size !== 1) throw new Error('check: input columns must all have the same (non-zero count of) length');
  return [...lens][0];
}

function formatValue(v: bigint, width: number): string {
  const hex = `0x${v.toString(16).padStart(Math.ceil(width / 4), '0')}`;
  return width <= 64 && width > 4 ? `${hex} (${v})` : width <= 4 ? `${v}` : hex;
}

function displayPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}
