// SPEQ PE array: weight throughput per PE and MAC utilisation in draft and verify mode, measured
// from IR-simulator cycle counts of an 8x8 array (results checked bit-exact against golden
// gemmTile), Yosys cells of the reconfigurable PE against the plain FP16-MAC PE and against a
// PE without datapath sharing, and elaboration time of 8x8 and 64x64 arrays.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emitDesign } from '../../hdl-gen/emit/sv-printer.ts';
import { elaborate, type ModuleDef } from '../../hdl-gen/index.ts';
import type { PeMode } from '../../hdl-gen/units/speq/golden/arith.ts';
import type { ArrayShape } from '../../hdl-gen/units/speq/rtl/array-host.ts';
import { SpeqDraftAdd } from '../../hdl-gen/units/speq/rtl/draft-add.ts';
import { SpeqWeightFeeder } from '../../hdl-gen/units/speq/rtl/feeders.ts';
import { SpeqPeArray } from '../../hdl-gen/units/speq/rtl/pe-array.ts';
import { SpeqPe, SpeqPlainPe } from '../../hdl-gen/units/speq/rtl/pe.ts';
import { rngFromSeed, type SeededRandom } from '../../verif/random.ts';
import { realisticTile, runTiles, type TileRun } from '../../verif/speq/array-timing.ts';
import { IrSimulator } from '../../verif/sim/ir-simulator.ts';

const SEED = 1;

interface ModeRun extends TileRun {
  readonly label: string;
  readonly weightsPerPeCycle: number;
  /** Useful MACs / (steady cycles x peak MACs per cycle of the mode); null for the mixed run. */
  readonly utilisation: number | null;
}

function runModes(sim: IrSimulator, shape: ArrayShape, label: string, modes: readonly PeMode[], K: number, rng: SeededRandom): ModeRun {
  const run = runTiles(sim, shape, modes.map((m) => realisticTile(rng, shape, K, m)), `speq-array bench: ${label}`);
  const pes = shape.rows * shape.cols;
  const uniform = modes.every((m) => m === modes[0]);
  const peak = modes[0] === 'draft' ? 4 : 1;
  return { label, ...run, weightsPerPeCycle: run.macs / pes / run.steadyCycles, utilisation: uniform ? run.macs / (run.steadyCycles * pes * peak) : null };
}

interface Cells {
  readonly ice40: { cells: number; lut4: number; carry: number; mac16: number; ffs: number };
  readonly xilinx: { cells: number; luts: number; carry4: number; dsp48: number; ffs: number };
}

const sumOf = (text: string, re: RegExp) => [...text.matchAll(re)].reduce((a, m) => a + Number(m[1]), 0);

/**
 * Cells of one module after `synth_ice40 -dsp -noflatten` / `synth_xilinx` and a final `flatten`
 * (so `stat` counts one netlist). Hierarchical synthesis: flattening the reconfigurable PE first
 * makes Yosys 0.23's SAT-based `share` pass run out of memory on the four chained FP datapaths.
 */
async function cellsOf(def: ModuleDef<any, any>, params: object): Promise<{ top: string; cells: Cells }> {
  const design = elaborate(def, params);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-speq-'));
  try {
    const files = emitDesign(design).map((m) => {
      writeFileSync(path.join(dir, m.fileName), m.text);
      return m.fileName;
    });
    const stat = async (synth: string, out: string) => {
      const r = await execa('yosys', ['-q', '-p', `read_verilog -sv ${files.join(' ')}; ${synth} -top ${design.top}; flatten; tee -q -o ${out} stat`], { cwd: dir, reject: false });
      if (r.exitCode !== 0) throw new Error(`yosys ${synth} failed on ${design.top} (exit ${r.exitCode}):\n${r.stderr || r.stdout}`);
      return readFileSync(path.join(dir, out), 'utf8');
    };
    const [ice, xil] = await Promise.all([stat('synth_ice40 -dsp -noflatten', 'ice40.txt'), stat('synth_xilinx', 'xilinx.txt')]);
    return {
      top: design.top,
      cells: {
        ice40: { cells: sumOf(ice, /Number of cells:\s+(\d+)/g), lut4: sumOf(ice, /SB_LUT4\s+(\d+)/g), carry: sumOf(ice, /SB_CARRY\s+(\d+)/g), mac16: sumOf(ice, /SB_MAC16\s+(\d+)/g), ffs: sumOf(ice, /SB_DFF\w*\s+(\d+)/g) },
        xilinx: { cells: sumOf(xil, /Number of cells:\s+(\d+)/g), luts: sumOf(xil, /LUT\d\s+(\d+)/g), carry4: sumOf(xil, /CARRY4\s+(\d+)/g), dsp48: sumOf(xil, /DSP48E1\s+(\d+)/g), ffs: sumOf(xil, /FD[CPRS]E?\s+(\d+)/g) },
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Logic depth of a module's longest register-to-register path: generic `synth`, `flatten`,
 * `abc -lut 4`, then `ltp -noff` (cells on the longest path, i.e. 4-input LUT levels). The draft
 * step's four sequential roundings are one combinational path, so this is what sets the clock.
 */
async function lutDepthOf(def: ModuleDef<any, any>, params: object): Promise<number> {
  const design = elaborate(def, params);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-speq-ltp-'));
  try {
    const files = emitDesign(design).map((m) => {
      writeFileSync(path.join(dir, m.fileName), m.text);
      return m.fileName;
    });
    const r = await execa('yosys', ['-q', '-p', `read_verilog -sv ${files.join(' ')}; synth -top ${design.top}; flatten; abc -lut 4; opt_clean; tee -q -o ltp.txt ltp -noff`], { cwd: dir, reject: false });
    if (r.exitCode !== 0) throw new Error(`yosys ltp failed on ${design.top} (exit ${r.exitCode}):\n${r.stderr || r.stdout}`);
    const m = /Longest topological path in \S+ \(length=(\d+)\)/.exec(readFileSync(path.join(dir, 'ltp.txt'), 'utf8'));
    if (!m) throw new Error(`yosys ltp: no longest path reported for ${design.top}`);
    return Number(m[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function elaborationSeconds(n: number): { top: string; seconds: number; svBytes: number } {
  const t0 = performance.now();
  const design = elaborate(SpeqPeArray, { rows: n, cols: n });
  const seconds = (performance.now() - t0) / 1000;
  const svBytes = emitDesign(design).reduce((s, m) => s + m.text.length, 0);
  return { top: design.top, seconds, svBytes };
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const f2 = (x: number) => x.toFixed(2);

export async function bench(opts: { quick: boolean }): Promise<{ key: string; results: unknown; markdown: string[] }> {
  const rng = rngFromSeed(SEED);
  // --quick: a 4x4 array, shorter tiles, two area designs, no 64x64 elaboration (< 1 min)
  const shape: ArrayShape = opts.quick ? { rows: 4, cols: 4, kBits: 16 } : { rows: 8, cols: 8, kBits: 16 };
  const K = opts.quick ? 64 : 128;
  const T = 4;
  const sim = new IrSimulator(elaborate(SpeqPeArray, shape));
  const verify = runModes(sim, shape, 'verify', Array(T).fill('verify'), K, rng);
  const draft = runModes(sim, shape, 'draft', Array(T).fill('draft'), K, rng);
  const mixed = runModes(sim, shape, 'draft/verify alternating', ['draft', 'verify', 'draft', 'verify'], K, rng);
  const ratio = draft.weightsPerPeCycle / verify.weightsPerPeCycle;

  const areaDesigns: [string, ModuleDef<any, any>, object][] = [
    ['plain FP16-MAC PE', SpeqPlainPe, {}],
    ['reconfigurable PE (shared datapath)', SpeqPe, { datapath: 'shared' }],
    ['reconfigurable PE, no sharing (baseline)', SpeqPe, { datapath: 'separate' }],
    ['one draft add slot (SpeqDraftAdd)', SpeqDraftAdd, {}],
    ['weight feeder (one per column)', SpeqWeightFeeder, {}],
  ];
  const area: Record<string, { top: string; cells: Cells }> = {};
  for (const [label, def, params] of opts.quick ? areaDesigns.slice(0, 2) : areaDesigns) area[label] = await cellsOf(def, params);
  const plain = area['plain FP16-MAC PE'].cells;
  const shared = area['reconfigurable PE (shared datapath)'].cells;
  const separate = area['reconfigurable PE, no sharing (baseline)']?.cells;

  const depth = opts.quick ? null : await Promise.all([lutDepthOf(SpeqPlainPe, {}), lutDepthOf(SpeqPe, { datapath: 'shared' })]).then(([plain, shared]) => ({ plain, shared }));
  const elab = [elaborationSeconds(8), ...(opts.quick ? [] : [elaborationSeconds(64)])];

  const md = ['## SPEQ PE array', ''];
  md.push(
    `Throughput and utilisation: ${shape.rows}x${shape.cols} SpeqPeArray in the IR simulator, ${T} back-to-back tiles of K = ${K} per run at full stream rate, random realistic data (seed ${SEED}); every result checked bit-exact against golden gemmTile. Steady state = first to last PE step (fill and drain listed separately).`,
    '',
    '| run | MACs | PE steps | steady cycles | weights / PE / cycle | MAC utilisation | fill | drain | sim time |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of [verify, draft, mixed]) {
    md.push(`| ${r.label} | ${r.macs} | ${r.steps} | ${r.steadyCycles} | ${f2(r.weightsPerPeCycle)} | ${r.utilisation === null ? `${pct(r.steps / r.steadyCycles)} of cycles step` : pct(r.utilisation)} | ${r.fillCycles} | ${r.drainCycles} | ${r.simSeconds.toFixed(1)} s |`);
  }
  md.push('', `Draft vs verify weight throughput per PE: ${f2(ratio)}x (limit 4x).`, '');
  md.push(
    'Area (system Yosys 0.23: `synth_ice40 -dsp -noflatten` and `synth_xilinx`, then `flatten; stat`; combinational datapaths plus the 32-bit accumulator register):',
    '',
    '| design | iCE40 cells | SB_LUT4 | SB_CARRY | SB_MAC16 | Xilinx cells | LUTs | CARRY4 | DSP48E1 |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const [label, a] of Object.entries(area)) {
    const c = a.cells;
    md.push(`| ${label} (${a.top}) | ${c.ice40.cells} | ${c.ice40.lut4} | ${c.ice40.carry} | ${c.ice40.mac16} | ${c.xilinx.cells} | ${c.xilinx.luts} | ${c.xilinx.carry4} | ${c.xilinx.dsp48} |`);
  }
  md.push('', `Reconfigurable / plain PE: ${f2(shared.ice40.cells / plain.ice40.cells)}x iCE40 cells, ${f2(shared.xilinx.cells / plain.xilinx.cells)}x Xilinx cells.`);
  if (separate) {
    md.push(
      `Sharing (draft lane 0 on the verify datapath) saves ${separate.ice40.cells - shared.ice40.cells} iCE40 cells (${pct(1 - shared.ice40.cells / separate.ice40.cells)}) and ${separate.xilinx.cells - shared.xilinx.cells} Xilinx cells (${pct(1 - shared.xilinx.cells / separate.xilinx.cells)}) against the PE with a separate verify MAC and four draft slots.`,
    );
  }
  if (depth) {
    md.push(
      `Logic depth (generic \`synth; flatten; abc -lut 4; ltp -noff\`, LUT4 levels on the longest path): plain PE ${depth.plain}, reconfigurable PE ${depth.shared} (${f2(depth.shared / depth.plain)}x): the draft step's four sequential roundings are one combinational path, so at equal logic per cycle the draft mode's 4x MACs per cycle come with a clock about that much slower.`,
    );
  }
  md.push('', '| array | elaboration | SystemVerilog |', '|---|---|---|');
  for (const e of elab) md.push(`| ${e.top} | ${e.seconds.toFixed(2)} s | ${(e.svBytes / 1e6).toFixed(2)} MB |`);
  return { key: 'speq-array', results: { shape, K, tiles: T, runs: { verify, draft, mixed }, draftVsVerify: ratio, area, lutDepth: depth, elaboration: elab }, markdown: md };
}

// `npx tsx scripts/bench/speq-array.ts [--quick]` prints the section on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await bench({ quick: process.argv.includes('--quick') });
  console.log(r.markdown.join('\n'));
}
