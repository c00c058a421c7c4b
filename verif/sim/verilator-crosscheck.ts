/**
 * Cross-checks IrSimulator against Verilator running the SV that hdl-gen's printer emits: same
 * design, same stimulus, outputs compared before every clock edge. Self-contained (its own tiny
 * C++ testbench), so it depends only on `verilator` being on PATH.
 *
 *   HDL_SEED=123 N=16 CYCLES=200 ./node_modules/.bin/tsx verif/sim/verilator-crosscheck.ts
 *   OPS=1,31,32,33,64,65,130 ./node_modules/.bin/tsx verif/sim/verilator-crosscheck.ts   # per-operator modules
 *
 * Testbench protocol, per cycle: set every non-clock input, eval(), print every output (hex),
 * then one edge of all clocks together (clk=1, eval, clk=0, eval), matching IrSimulator's
 * poke / peek / step().
 */
import { RandomCircuit, type RandomCircuitOptions } from '../random-circuit.ts';
import { interestingBits, rngFromSeed, seedFromEnv, type SeededRandom } from '../random.ts';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { emitDesign } from '../../hdl-gen/emit/sv-printer.ts';
import { elaborate } from '../../hdl-gen/index.ts';
import type { IrDesign, IrPort } from '../../hdl-gen/ir/ir.ts';
import { IrSimulator } from './ir-simulator.ts';
import { edgeValues, opsModule, shiftAmounts } from './op-designs.ts';

const run = promisify(execFile);

export async function verilatorAvailable(): Promise<boolean> {
  try {
    await run('verilator', ['--version']);
    return true;
  } catch {
    return false;
  }
}

function testbench(design: IrDesign): string {
  const top = design.modules[design.modules.length - 1];
  const cls = `V${top.name}`;
  const ins = top.ports.filter((p) => p.dir === 'input' && p.role !== 'clock');
  const clocks = top.ports.filter((p) => p.role === 'clock');
  const outs = top.ports.filter((p) => p.dir === 'output');
  const set = (p: IrPort) => {
    const nw = Math.ceil(p.width / 32);
    if (p.width <= 64) return `  if (fscanf(f, "%4095s", buf) != 1) break; parseHex(buf, w, ${nw}); t->${p.name} = (uint64_t)w[0] | ((uint64_t)w[1] << 32);`;
    return `  if (fscanf(f, "%4095s", buf) != 1) break; parseHex(buf, w, ${nw}); for (int i = 0; i < ${nw}; i++) t->${p.name}[i] = w[i];`;
  };
  const print = (p: IrPort) => {
    if (p.width <= 64) return `  printf("%llx ", (unsigned long long)t->${p.name});`;
    const nw = Math.ceil(p.width / 32);
    return `  for (int i = ${nw - 1}; i >= 0; i--) printf("%08x", (unsigned)t->${p.name}[i]); printf(" ");`;
  };
  return `#include "${cls}.h"
#include "verilated.h"
#include <cstdio>
#include <cstdint>
#include <cstring>
static void parseHex(const char* s, uint32_t* w, int nw) {
  memset(w, 0, sizeof(uint32_t) * 8);
  int len = (int)strlen(s);
  for (int i = 0; i < len && i / 8 < nw; i++) {
    int c = s[len - 1 - i];
    unsigned v = c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
    w[i / 8] |= v << (4 * (i % 8));
  }
}
int main(int argc, char** argv) {
  VerilatedContext* ctx = new VerilatedContext;
  ${cls}* t = new ${cls}(ctx);
  FILE* f = fopen(argv[1], "r");
  char buf[4096];
  uint32_t w[8];
${clocks.map((c) => `  t->${c.name} = 0;`).join('\n')}
  for (;;) {
${ins.map(set).join('\n')}
  t->eval();
${outs.map(print).join('\n')}
  printf("\\n");
${clocks.map((c) => `  t->${c.name} = 1;`).join('\n')}
  t->eval();
${clocks.map((c) => `  t->${c.name} = 0;`).join('\n')}
  t->eval();
  }
  delete t;
  delete ctx;
  return 0;
}
`;
}

export interface CrossCheckResult {
  readonly name: string;
  readonly cycles: number;
  readonly comparisons: number;
  /** First mismatch, or null. */
  readonly mismatch: string | null;
  readonly buildSeconds: number;
}

/** Builds `design` with Verilator in `dir` and compares `cycles` random cycles against IrSimulator. */
export type Stimulus = (port: IrPort, cycle: number, rng: SeededRandom) => bigint;

export async function crossCheck(design: IrDesign, dir: string, seed: number, cycles: number, stimulus?: Stimulus): Promise<CrossCheckResult> {
  const top = design.modules[design.modules.length - 1];
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const m of emitDesign(design, { locators: false })) {
    await writeFile(join(dir, m.fileName), m.text);
    files.push(m.fileName);
  }
  await writeFile(join(dir, 'tb.cpp'), testbench(design));

  // Stimulus, and IrSimulator's outputs for it.
  const rng = rngFromSeed((seed ^ 0x2545f491) >>> 0);
  const ins = top.ports.filter((p) => p.dir === 'input' && p.role !== 'clock');
  const outs = top.ports.filter((p) => p.dir === 'output');
  const activeLow = new Map(top.domains.filter((d) => d.reset !== null).map((d) => [top.nodes[d.reset!].name!, d.resetActiveLow]));
  const sim = new IrSimulator(design);
  const stim: string[] = [];
  const expected: bigint[][] = [];
  for (let c = 0; c < cycles; c++) {
    const line: string[] = [];
    for (const p of ins) {
      let v = stimulus ? stimulus(p, c, rng) : interestingBits(rng, p.width);
      if (p.role === 'reset') v = BigInt(Number(rng.chance(c < 3 ? 0.8 : 0.1)) ^ Number(activeLow.get(p.name)));
      sim.poke(p.name, v);
      line.push(v.toString(16));
    }
    stim.push(line.join(' '));
    expected.push(outs.map((p) => sim.peek(p.name)));
    sim.step();
  }
  await writeFile(join(dir, 'stim.txt'), stim.join('\n') + '\n');

  const t0 = performance.now();
  await run(
    'verilator',
    // -fno-expand: see verif/fuzz/differential.ts (a Verilator 5.006 V3Expand miscompile).
    ['--cc', '--exe', '--build', '-Wno-fatal', '-Wno-lint', '-Wno-style', '-fno-expand', '--top-module', top.name, '-o', 'sim', '-MAKEFLAGS', 'OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0', ...files, 'tb.cpp'],
    { cwd: dir, maxBuffer: 64 << 20 },
  );
  const buildSeconds = (performance.now() - t0) / 1000;
  const { stdout } = await run(join(dir, 'obj_dir', 'sim'), [join(dir, 'stim.txt')], { maxBuffer: 256 << 20 });
  const lines = stdout.trim().split('\n');
  let comparisons = 0;
  for (let c = 0; c < cycles; c++) {
    const got = (lines[c] ?? '').trim().split(/\s+/);
    for (let i = 0; i < outs.length; i++) {
      const v = got[i] === undefined ? undefined : BigInt(`0x${got[i]}`);
      comparisons++;
      if (v !== expected[c][i]) {
        return { name: top.name, cycles, comparisons, buildSeconds, mismatch: `${top.name} cycle ${c}: output '${outs[i].name}' is ${v} in Verilator, ${expected[c][i]} in IrSimulator (SV in ${dir})` };
      }
    }
  }
  return { name: top.name, cycles, comparisons, buildSeconds, mismatch: null };
}

/**
 * The i-th cross-checked design: 90 operators, 12 outputs, conditional blocks; two of three with
 * registers, a memory and the second clock domain; child levels 0, 1, 2 in turn.
 */
export function crossCheckOptions(seed: number, i: number): RandomCircuitOptions {
  const sequential = i % 3 !== 2;
  return { seed, operations: 90, outputs: 12, registers: sequential ? 2 + (seed % 5) : 0, memory: sequential, secondDomain: sequential, conditionals: true, depth: i % 3, maxShiftAmountWidth: 64 };
}

/** Cross-checks `n` random designs (seeds derived from `baseSeed`), `jobs` Verilator builds at a time. */
export async function crossCheckRandom(baseSeed: number, n: number, cycles: number, opts: { jobs?: number; root?: string; keep?: boolean; log?: (s: string) => void } = {}): Promise<CrossCheckResult[]> {
  const root = opts.root ?? join(tmpdir(), `ir-sim-xcheck-${process.pid}`);
  const jobs = opts.jobs ?? Math.max(1, Math.min(8, availableParallelism() - 1));
  const results: CrossCheckResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const seed = (baseSeed + i * 7919) >>> 0;
      const params = crossCheckOptions(seed, i);
      const design = elaborate(RandomCircuit, params);
      const dir = join(root, `s${seed}`);
      const r = await crossCheck(design, dir, seed, cycles);
      opts.log?.(`${r.mismatch ? 'MISMATCH' : 'ok'} seed ${seed} ${JSON.stringify(params)}: ${r.comparisons} comparisons, build ${r.buildSeconds.toFixed(1)}s${r.mismatch ? `\n  ${r.mismatch}` : ''}`);
      if (!r.mismatch && !opts.keep) await rm(dir, { recursive: true, force: true });
      results.push(r);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}

/** The per-operator modules of op-designs.ts through Verilator, with edge-case operands and shift amounts. */
export async function crossCheckOps(widths: readonly number[], seed: number, opts: { jobs?: number; root?: string; keep?: boolean; log?: (s: string) => void } = {}): Promise<CrossCheckResult[]> {
  const root = opts.root ?? join(tmpdir(), `ir-sim-xcheck-ops-${process.pid}`);
  const jobs = opts.jobs ?? Math.max(1, Math.min(8, availableParallelism() - 1));
  const results: CrossCheckResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < widths.length) {
      const w = widths[next++];
      const vals = edgeValues(w, rngFromSeed((seed + w) >>> 0));
      const { s, sb } = shiftAmounts(w);
      const cycles = vals.length * vals.length;
      const stimulus: Stimulus = (p, c) => {
        if (p.name === 'a') return vals[Math.floor(c / vals.length)];
        if (p.name === 'b') return vals[c % vals.length];
        if (p.name === 'c') return BigInt(c & 1);
        if (p.name === 's') return s[c % s.length];
        return sb[c % sb.length];
      };
      const dir = join(root, `w${w}`);
      const r = await crossCheck(elaborate(opsModule(w), {}), dir, seed, cycles, stimulus);
      opts.log?.(`${r.mismatch ? 'MISMATCH' : 'ok'} operators at width ${w}: ${r.comparisons} comparisons, build ${r.buildSeconds.toFixed(1)}s${r.mismatch ? `\n  ${r.mismatch}` : ''}`);
      if (!r.mismatch && !opts.keep) await rm(dir, { recursive: true, force: true });
      results.push(r);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}

async function main(): Promise<void> {
  const seed = seedFromEnv();
  const n = Number(process.env.N ?? 8);
  const cycles = Number(process.env.CYCLES ?? 200);
  console.log(`verilator-crosscheck: HDL_SEED=${seed} N=${n} CYCLES=${cycles}${process.env.OPS ? ` OPS=${process.env.OPS}` : ''}`);
  const log = (s: string) => console.log(s);
  const rs = process.env.OPS
    ? await crossCheckOps(process.env.OPS.split(',').map(Number), seed, { log, keep: !!process.env.KEEP })
    : await crossCheckRandom(seed, n, cycles, { log, keep: !!process.env.KEEP });
  const bad = rs.filter((r) => r.mismatch);
  console.log(`${rs.length - bad.length} passed, ${bad.length} failed`);
  process.exitCode = bad.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
