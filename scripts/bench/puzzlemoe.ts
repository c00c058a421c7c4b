// PuzzleMoE (issue 5 item 5): storage before/after merging on a synthetic Mixtral-8x7B-shaped MoE
// layer, reconstruction error, Yosys cells of the decode unit and the fused two-expert datapath, and
// the streaming throughput of both measured in the IR simulator under random backpressure.
//
// Merging the whole layer (8 experts x 3 matrices x 4096 x 14336 = 1.4 G weights) in TypeScript does
// not fit the bench budget, so a sample of whole rows of every matrix of every pair goes through the
// real merge+pack golden (hdl-gen/units/puzzlemoe/golden/merge.ts); the packed size is fixed by the
// format (one 16-bit word per position of a pair), and the sample's measured bytes per weight are
// extrapolated to the layer. Every figure below is measured in this run.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ModuleDef, Params } from '../../hdl-gen/index.ts';
import { elaborate, packVec } from '../../hdl-gen/index.ts';
import { emitDesign } from '../../hdl-gen/emit/sv-printer.ts';
import { mac_bf16_f32 } from '../../hdl-gen/units/fp/golden/mac.ts';
import { DEFAULT_EXPONENT_OFFSET, decodeWord } from '../../hdl-gen/units/puzzlemoe/golden/format.ts';
import { fusedDot } from '../../hdl-gen/units/puzzlemoe/golden/fused-gemv.ts';
import { DEFAULT_TAU, isShared, mergeMatrix } from '../../hdl-gen/units/puzzlemoe/golden/merge.ts';
import { PuzzleMoeDecodeUnit } from '../../hdl-gen/units/puzzlemoe/rtl/decode-unit.ts';
import { PuzzleMoeFusedGemv } from '../../hdl-gen/units/puzzlemoe/rtl/fused-gemv.ts';
import { rngFromSeed, type SeededRandom } from '../../verif/random.ts';
import { IrSimulator } from '../../verif/sim/index.ts';

const SEED = 20251105;
const EXPERTS = 8;
const HIDDEN = 4096;
const FFN = 14336;
/** Mixtral expert matrices as [out, in]: w1 (gate) and w3 (up) map hidden -> ffn, w2 (down) ffn -> hidden. */
const MATRICES = [
  { name: 'w1', rows: FFN, cols: HIDDEN },
  { name: 'w3', rows: FFN, cols: HIDDEN },
  { name: 'w2', rows: HIDDEN, cols: FFN },
] as const;

// ---- synthetic weights -----------------------------------------------------------------------------

function gaussian(rng: SeededRandom): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = (rng.next32() + 1) / 2 ** 32;
    const v = rng.next32() / 2 ** 32;
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** Round a double to the nearest bf16 value (RNE via fp32; the sample never overflows). */
function toBf16(x: number): number {
  f32[0] = x;
  const b = u32[0];
  u32[0] = ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) << 16;
  return f32[0];
}
function bf16Value(bits: number): number {
  u32[0] = bits << 16;
  return f32[0];
}
function fp32Value(bits: number): number {
  u32[0] = bits;
  return f32[0];
}
function bf16Bits(x: number): number {
  f32[0] = x;
  return u32[0] >>> 16;
}

/**
 * Rows of an expert pair's matrix, stored as bf16: Gaussian with a per-row scale drawn log-normally
 * around 1/sqrt(fan_in) (sigma of log scale 0.35) and a heavier-tailed 1 % of entries (x4), which
 * spreads the exponents over roughly 2^-20 .. 2^-3 as in trained checkpoints. Expert j's row is
 * correlated with expert i's: wj = rho * wi + sqrt(1 - rho^2) * fresh (same scale), before rounding.
 */
function weightRows(rng: SeededRandom, normal: () => number, cols: number, fanIn: number, rho: number): [Float64Array, Float64Array] {
  const scale = Math.exp(0.35 * normal()) / Math.sqrt(fanIn);
  const wi = new Float64Array(cols);
  const wj = new Float64Array(cols);
  const other = Math.sqrt(1 - rho * rho);
  for (let c = 0; c < cols; c++) {
    const a = scale * normal() * (rng.chance(0.01) ? 4 : 1);
    const b = scale * normal() * (rng.chance(0.01) ? 4 : 1);
    wi[c] = toBf16(a);
    wj[c] = toBf16(rho * a + other * b);
  }
  return [wi, wj];
}

/** Calibration channel norms (L2 over routed tokens): log-normal, as activation outlier channels make them. */
function channelNorms(normal: () => number, cols: number): Float64Array {
  const x = new Float64Array(cols);
  for (let c = 0; c < cols; c++) x[c] = Math.fround(Math.exp(0.6 * normal()) * 16);
  return x;
}

// ---- section 1: bytes and reconstruction error -----------------------------------------------------

interface ErrorAccumulator {
  err2: number;
  ref2: number;
  wErr2: number;
  wRef2: number;
  zeroed: number;
  maxAbsErr: number;
}
const newAcc = (): ErrorAccumulator => ({ err2: 0, ref2: 0, wErr2: 0, wRef2: 0, zeroed: 0, maxAbsErr: 0 });

interface StorageResult {
  rho: number;
  sampleRowsPerMatrix: number;
  sampleWeights: number;
  sampleBytesBefore: number;
  sampleBytesAfter: number;
  bytesPerWeightAfter: number;
  layerWeights: number;
  layerBytesBefore: number;
  layerBytesAfter: number;
  compression: number;
  mergeSeconds: number;
  mergeWeightsPerSecond: number;
  layerMergeSecondsExtrapolated: number;
  sharedFraction: number;
  belowExponentFloorFraction: number;
  relL2: { expertI: number; expertJ: number; all: number };
  saliencyWeightedRelL2: number;
  zeroedFraction: number;
  maxAbsError: number;
  gemv: { rows: number; dotLength: string; relL2Fused: number; relL2DenseBf16Fp32: number };
}

function storageAndError(quick: boolean, rho: number): StorageResult {
  const rng = rngFromSeed(SEED);
  const normal = gaussian(rng);
  const sampleRows = quick ? 3 : 24;
  const gemvRows = quick ? 1 : 2;
  const accI = newAcc();
  const accJ = newAcc();
  let sampleWeights = 0; // per expert position, i.e. elements of one expert
  let bytesAfter = 0;
  let shared = 0;
  let belowFloor = 0;
  let mergeSeconds = 0;
  const floor = 2 ** (DEFAULT_EXPONENT_OFFSET - 127);
  const gemvFused = { err2: 0, ref2: 0 };
  const gemvDense = { err2: 0, ref2: 0 };

  for (let pair = 0; pair < EXPERTS / 2; pair++) {
    for (const mtx of MATRICES) {
      const { cols } = mtx;
      const xi = channelNorms(normal, cols);
      const xj = channelNorms(normal, cols);
      const wi = new Float64Array(sampleRows * cols);
      const wj = new Float64Array(sampleRows * cols);
      for (let r = 0; r < sampleRows; r++) {
        const [a, b] = weightRows(rng, normal, cols, cols, rho);
        wi.set(a, r * cols);
        wj.set(b, r * cols);
      }
      const t0 = performance.now();
      const words = mergeMatrix({
        wi: { name: `expert${2 * pair}.${mtx.name}`, values: wi },
        wj: { name: `expert${2 * pair + 1}.${mtx.name}`, values: wj },
        xi: { name: `norms${2 * pair}.${mtx.name}`, values: xi },
        xj: { name: `norms${2 * pair + 1}.${mtx.name}`, values: xj },
        rows: sampleRows,
        cols,
      });
      mergeSeconds += (performance.now() - t0) / 1000;
      bytesAfter += words.byteLength;
      sampleWeights += wi.length;
      for (let k = 0; k < words.length; k++) {
        const [l0, l1] = decodeWord(words[k]);
        const c = k % cols;
        for (const [acc, w, lane, x] of [
          [accI, wi[k], l0, xi[c]],
          [accJ, wj[k], l1, xj[c]],
        ] as const) {
          const e = bf16Value(lane) - w;
          acc.err2 += e * e;
          acc.ref2 += w * w;
          acc.wErr2 += e * e * x * x;
          acc.wRef2 += w * w * x * x;
          if (lane === 0 && w !== 0) acc.zeroed++;
          acc.maxAbsErr = Math.max(acc.maxAbsErr, Math.abs(e));
          if (Math.abs(w) < floor) belowFloor++;
        }
        if (isShared(Math.abs(wi[k]), Math.abs(wj[k]), DEFAULT_TAU)) shared++;
      }
      // GEMV on a few sampled rows: fused datapath golden vs the exact product with the original
      // weights, and the same order/rounding with the original (unmerged) bf16 weights for scale.
      const actI = Array.from({ length: cols }, () => bf16Bits(toBf16(normal())));
      const actJ = Array.from({ length: cols }, () => bf16Bits(toBf16(normal())));
      for (let r = 0; r < gemvRows; r++) {
        const row = words.subarray(r * cols, (r + 1) * cols);
        const fused = fusedDot(row, actI, actJ);
        for (const [w, act, y] of [
          [wi, actI, fused.yi],
          [wj, actJ, fused.yj],
        ] as const) {
          let exact = 0;
          const dense: number[] = [];
          for (let c = 0; c < cols; c++) {
            exact += w[r * cols + c] * bf16Value(act[c]);
            dense.push(bf16Bits(w[r * cols + c]));
          }
          const yf = fp32Value(y);
          const yd = fp32Value(denseDot(dense, act)); // the unmerged weights, same MAC order
          gemvFused.err2 += (yf - exact) ** 2;
          gemvFused.ref2 += exact ** 2;
          gemvDense.err2 += (yd - exact) ** 2;
          gemvDense.ref2 += exact ** 2;
        }
      }
    }
  }
  const layerWeights = EXPERTS * MATRICES.reduce((s, m) => s + m.rows * m.cols, 0);
  const sampleBytesBefore = 2 * sampleWeights * 2; // two experts, bf16
  const bytesPerWeightAfter = bytesAfter / (2 * sampleWeights);
  return {
    rho,
    sampleRowsPerMatrix: sampleRows,
    sampleWeights: 2 * sampleWeights,
    sampleBytesBefore,
    sampleBytesAfter: bytesAfter,
    bytesPerWeightAfter,
    layerWeights,
    layerBytesBefore: layerWeights * 2,
    layerBytesAfter: layerWeights * bytesPerWeightAfter,
    compression: sampleBytesBefore / bytesAfter,
    mergeSeconds,
    mergeWeightsPerSecond: (2 * sampleWeights) / mergeSeconds,
    layerMergeSecondsExtrapolated: layerWeights / ((2 * sampleWeights) / mergeSeconds),
    sharedFraction: shared / sampleWeights,
    belowExponentFloorFraction: belowFloor / (2 * sampleWeights),
    relL2: {
      expertI: Math.sqrt(accI.err2 / accI.ref2),
      expertJ: Math.sqrt(accJ.err2 / accJ.ref2),
      all: Math.sqrt((accI.err2 + accJ.err2) / (accI.ref2 + accJ.ref2)),
    },
    saliencyWeightedRelL2: Math.sqrt((accI.wErr2 + accJ.wErr2) / (accI.wRef2 + accJ.wRef2)),
    zeroedFraction: (accI.zeroed + accJ.zeroed) / (2 * sampleWeights),
    maxAbsError: Math.max(accI.maxAbsErr, accJ.maxAbsErr),
    gemv: {
      rows: gemvRows * MATRICES.length * (EXPERTS / 2) * 2,
      dotLength: `${HIDDEN} / ${FFN}`,
      relL2Fused: Math.sqrt(gemvFused.err2 / gemvFused.ref2),
      relL2DenseBf16Fp32: Math.sqrt(gemvDense.err2 / gemvDense.ref2),
    },
  };
}

/** The dense baseline: the same sequential bf16 x bf16 -> fp32 MAC order over unmerged weights. */
function denseDot(w: readonly number[], x: readonly number[]): number {
  let acc = 0;
  for (let k = 0; k < w.length; k++) acc = mac_bf16_f32(w[k], x[k], acc).bits;
  return acc;
}

// ---- section 2: Yosys cells ------------------------------------------------------------------------

interface SynthRow {
  design: string;
  cells: number;
  lut4: number;
  carry: number;
  mac16: number;
  ffs: number;
  lutDepth: number | null;
  seconds: number;
}

async function synth<P extends Params>(def: ModuleDef<P, any>, params: P, depth: boolean): Promise<SynthRow> {
  const design = elaborate(def, params);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-puzzlemoe-'));
  try {
    const files = emitDesign(design).map((m) => {
      writeFileSync(path.join(dir, m.fileName), m.text);
      return m.fileName;
    });
    const t0 = performance.now();
    const read = `read_verilog -sv ${files.join(' ')}`;
    // Logic depth proxy: generic 4-LUT mapping (carry chains as LUTs), longest FF-to-FF path; run
    // beside the iCE40 synthesis (single-threaded Yosys, one per core).
    const ltpRun = depth ? execa('yosys', ['-q', '-p', `${read}; synth -flatten -top ${design.top}; abc -lut 4; opt_clean; tee -q -o ltp.txt ltp -noff`], { cwd: dir, reject: false }) : null;
    const r = await execa('yosys', ['-q', '-p', `${read}; synth_ice40 -dsp -top ${design.top}; tee -q -o stat.txt stat`], { cwd: dir, reject: false });
    if (r.exitCode !== 0) throw new Error(`yosys synth_ice40 failed for ${design.top}: ${r.stderr || r.stdout}`);
    const stat = (await execa('cat', ['stat.txt'], { cwd: dir })).stdout;
    const num = (re: RegExp) => Number(re.exec(stat)?.[1] ?? 0);
    let lutDepth: number | null = null;
    if (ltpRun) {
      const l = await ltpRun;
      if (l.exitCode !== 0) throw new Error(`yosys ltp failed for ${design.top}: ${l.stderr || l.stdout}`);
      const ltp = (await execa('cat', ['ltp.txt'], { cwd: dir })).stdout;
      lutDepth = Number(/\(length=(\d+)\)/.exec(ltp)?.[1] ?? NaN); // cells on the path
    }
    return {
      design: design.top,
      cells: num(/Number of cells:\s+(\d+)/),
      lut4: num(/SB_LUT4\s+(\d+)/),
      carry: num(/SB_CARRY\s+(\d+)/),
      mac16: num(/SB_MAC16\s+(\d+)/),
      ffs: [...stat.matchAll(/SB_DFF\w*\s+(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0),
      lutDepth,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- section 3: streaming throughput (IR simulator) ------------------------------------------------

interface ThroughputRow {
  pValid: number;
  pReady: number;
  cycles: number;
  wordsPerLanePerCycle: number;
}

/** The decode unit with a random source and sink; every delivered beat is checked against the golden. */
function decodeThroughput(lanes: number, pValid: number, pReady: number, cycles: number, rng: SeededRandom): ThroughputRow {
  const sim = new IrSimulator(elaborate(PuzzleMoeDecodeUnit, { lanes, outputRegister: true }));
  sim.reset();
  const pending: number[][] = [];
  let offer: number[] | null = null;
  let delivered = 0;
  for (let c = 0; c < cycles; c++) {
    if (!offer && rng.chance(pValid)) offer = Array.from({ length: lanes }, () => rng.below(0x10000));
    const ready = rng.chance(pReady);
    sim.poke('in_valid', offer ? 1 : 0);
    sim.poke('in_words', offer ? packVec(offer, 16) : 0n);
    sim.poke('out_ready', ready ? 1 : 0);
    if (sim.peek('out_valid') === 1n && ready) {
      const want = pending.shift()!;
      const l0 = sim.peek('out_lane0');
      const l1 = sim.peek('out_lane1');
      want.forEach((w, k) => {
        const [g0, g1] = decodeWord(w);
        if (Number((l0 >> BigInt(16 * k)) & 0xffffn) !== g0 || Number((l1 >> BigInt(16 * k)) & 0xffffn) !== g1) throw new Error(`decode throughput run: wrong lane for word ${w}`);
      });
      delivered++;
    }
    if (offer && sim.peek('in_ready') === 1n) {
      pending.push(offer);
      offer = null;
    }
    sim.step();
  }
  return { pValid, pReady, cycles, wordsPerLanePerCycle: delivered / cycles };
}

interface FusedThroughputRow {
  tileColumns: number;
  pReady: number;
  cycles: number;
  columnsPerCycle: number;
  macsPerCycle: number;
}

/** The fused datapath with an always-valid source and a random sink; results checked against the golden. */
function fusedThroughput(rows: number, tileColumns: number, pReady: number, cycles: number, rng: SeededRandom): FusedThroughputRow {
  const sim = new IrSimulator(elaborate(PuzzleMoeFusedGemv, { rows }));
  sim.reset();
  const act = () => ((rng.below(2) << 15) | (rng.range(120, 130) << 7) | rng.below(128)) >>> 0;
  const tile = () => {
    const words = Array.from({ length: rows }, () => Array.from({ length: tileColumns }, () => rng.below(0x10000)));
    const xi = Array.from({ length: tileColumns }, act);
    const xj = Array.from({ length: tileColumns }, act);
    return { words, xi, xj, want: words.map((w) => fusedDot(w, xi, xj)) };
  };
  let cur = tile();
  let k = 0;
  const queued: ReturnType<typeof tile>[] = [];
  let columns = 0;
  for (let c = 0; c < cycles; c++) {
    sim.poke('in_valid', 1);
    sim.poke('in_words', packVec(cur.words.map((w) => w[k]), 16));
    sim.poke('in_x_i', cur.xi[k]);
    sim.poke('in_x_j', cur.xj[k]);
    sim.poke('in_last', k === tileColumns - 1 ? 1 : 0);
    const ready = rng.chance(pReady);
    sim.poke('out_ready', ready ? 1 : 0);
    if (sim.peek('out_valid') === 1n && ready) {
      const t = queued.shift()!;
      const yi = sim.peek('out_y_i');
      const yj = sim.peek('out_y_j');
      t.want.forEach((d, r) => {
        if (Number((yi >> BigInt(32 * r)) & 0xffffffffn) !== d.yi || Number((yj >> BigInt(32 * r)) & 0xffffffffn) !== d.yj) throw new Error('fused throughput run: result differs from the golden');
      });
    }
    if (sim.peek('in_ready') === 1n) {
      columns++;
      if (++k === tileColumns) {
        queued.push(cur);
        cur = tile();
        k = 0;
      }
    }
    sim.step();
  }
  return { tileColumns, pReady, cycles, columnsPerCycle: columns / cycles, macsPerCycle: (2 * rows * columns) / cycles };
}

// ---- the section --------------------------------------------------------------------------------

const gb = (b: number) => `${(b / 1e9).toFixed(3)} GB`;
const pct = (x: number, d = 2) => `${(100 * x).toFixed(d)} %`;

export async function bench(opts: { quick: boolean }): Promise<{ key: string; results: unknown; markdown: string[] }> {
  const quick = opts.quick;
  const t0 = performance.now();
  const storage = [storageAndError(quick, 0), storageAndError(quick, 0.8)];

  const storageSeconds = (performance.now() - t0) / 1000;

  // The logic-depth run costs as much as the synthesis itself: only for the MAC datapath, full runs only.
  const t1 = performance.now();
  const synthRows: SynthRow[] = [];
  synthRows.push(await synth(PuzzleMoeDecodeUnit, { lanes: 4, outputRegister: true }, false));
  synthRows.push(await synth(PuzzleMoeFusedGemv, { rows: 1 }, !quick));
  if (!quick) synthRows.push(await synth(PuzzleMoeFusedGemv, { rows: 2, operandRegister: true }, false));
  const synthSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();

  const rng = rngFromSeed(SEED);
  const cycles = quick ? 4000 : 20000;
  const decodeRows = [
    [1, 1],
    [1, 0.9],
    [1, 0.5],
    [0.9, 0.9],
    [0.5, 0.5],
  ].map(([v, r]) => decodeThroughput(4, v, r, cycles, rng));
  const fusedRows = [
    [64, 1],
    [64, 0.1],
    [1, 1],
    [1, 0.5],
  ].map(([k, r]) => fusedThroughput(2, k, r, quick ? 1500 : 6000, rng));

  const throughputSeconds = (performance.now() - t2) / 1000;
  const [s, c] = storage;
  const both = (f: (r: StorageResult) => string) => `${f(s)} | ${f(c)}`;
  const md: string[] = [
    '## PuzzleMoE: storage, reconstruction error, hardware cost, throughput',
    '',
    `Synthetic Mixtral-8x7B-shaped MoE layer: ${EXPERTS} experts x (w1, w3: ${FFN}x${HIDDEN}; w2: ${HIDDEN}x${FFN}), bf16, pairs (0,1) (2,3) (4,5) (6,7), tau ${DEFAULT_TAU}, exponent offset ${DEFAULT_EXPONENT_OFFSET}. ` +
      `Weights: Gaussian, per-row scale log-normal around 1/sqrt(fan_in), 1 % of entries x4; calibration channel norms log-normal (seed ${SEED}). ` +
      `Two synthetic cases: independent experts (rho 0, the worst case for merging) and correlated pairs (expert j = ${c.rho} * expert i + noise, illustrative). ` +
      `${s.sampleRowsPerMatrix} random rows of every matrix of every pair (${s.sampleWeights.toLocaleString('en-US')} weights per case) went through the real merge+pack golden; the layer figures extrapolate the measured bytes per weight (the format fixes them: one 16-bit word per position of a pair).`,
    '',
    `| measurement | rho ${s.rho} | rho ${c.rho} |`,
    '|---|---|---|',
    `| sample: bytes before (bf16, both experts) / after (packed) | ${both((r) => `${r.sampleBytesBefore.toLocaleString('en-US')} B / ${r.sampleBytesAfter.toLocaleString('en-US')} B`)} |`,
    `| packed bytes per expert weight (bf16: 2) | ${both((r) => r.bytesPerWeightAfter.toFixed(3))} |`,
    `| layer (${s.layerWeights.toLocaleString('en-US')} expert weights): before / after, extrapolated | ${both((r) => `${gb(r.layerBytesBefore)} / ${gb(r.layerBytesAfter)} (${r.compression.toFixed(3)}x)`)} |`,
    `| merge+pack golden speed; whole layer at that speed (extrapolated) | ${both((r) => `${(r.mergeWeightsPerSecond / 1e6).toFixed(2)} M weights/s; ${(r.layerMergeSecondsExtrapolated / 60).toFixed(1)} min`)} |`,
    `| shared positions (masks 11) | ${both((r) => pct(r.sharedFraction))} |`,
    `| expert weights zeroed by the masks (w != 0 decoded as +0) | ${both((r) => pct(r.zeroedFraction))} |`,
    `| weights below the exponent floor 2^-15 (exponent raised) | ${both((r) => pct(r.belowExponentFloorFraction, 4))} |`,
    `| reconstruction relative L2 error, expert i / expert j / all | ${both((r) => `${r.relL2.expertI.toFixed(4)} / ${r.relL2.expertJ.toFixed(4)} / ${r.relL2.all.toFixed(4)}`)} |`,
    `| saliency-weighted (abs(W) x channel norm) relative L2 error | ${both((r) => r.saliencyWeightedRelL2.toFixed(4))} |`,
    `| largest absolute weight error | ${both((r) => r.maxAbsError.toExponential(3))} |`,
    `| GEMV output relative L2 error vs exact (${s.gemv.rows} rows, dot length ${s.gemv.dotLength}): fused datapath golden / unmerged bf16, same MAC order | ${both((r) => `${r.gemv.relL2Fused.toFixed(4)} / ${r.gemv.relL2DenseBf16Fp32.toExponential(2)}`)} |`,
    '',
    'Yosys 0.23 `synth_ice40 -dsp` (cells; LUT depth = longest FF-to-FF path after a generic `abc -lut 4` mapping with carry chains as LUTs, a logic-depth proxy, not an Fmax: nextpnr is not run here).',
    '',
    '| design | cells | SB_LUT4 | SB_CARRY | SB_MAC16 | FFs | LUT depth | yosys s |',
    '|---|---|---|---|---|---|---|---|',
    ...synthRows.map((r) => `| ${r.design} | ${r.cells} | ${r.lut4} | ${r.carry} | ${r.mac16} | ${r.ffs} | ${r.lutDepth ?? '-'} | ${r.seconds.toFixed(1)} |`),
    '',
    `Decode unit (4 lanes, registered) in the IR simulator, ${cycles.toLocaleString('en-US')} cycles each, random source (valid with p_valid, held until taken) and sink (ready with p_ready); every delivered beat checked against the golden. Limit: 1 word per lane per cycle.`,
    '',
    '| p_valid | p_ready | words / lane / cycle |',
    '|---|---|---|',
    ...decodeRows.map((r) => `| ${r.pValid} | ${r.pReady} | ${r.wordsPerLanePerCycle.toFixed(4)} |`),
    '',
    'Fused two-expert GEMV datapath (2 rows, always-valid source, random sink); every result checked against the golden. Each column beat reads one packed word per row and does 2 MACs per word, i.e. 1 byte of weight per MAC against 2 for dense bf16.',
    '',
    '| tile columns | p_ready | columns / cycle | MACs / cycle |',
    '|---|---|---|---|',
    ...fusedRows.map((r) => `| ${r.tileColumns} | ${r.pReady} | ${r.columnsPerCycle.toFixed(4)} | ${r.macsPerCycle.toFixed(3)} |`),
  ];
  md.push('', `Section time: storage/error ${storageSeconds.toFixed(1)} s, Yosys ${synthSeconds.toFixed(1)} s, throughput ${throughputSeconds.toFixed(1)} s.`);
  return { key: 'puzzlemoe', results: { storage, synth: synthRows, decodeThroughput: decodeRows, fusedThroughput: fusedRows, seconds: { storage: storageSeconds, synth: synthSeconds, throughput: throughputSeconds } }, markdown: md };
}

// `npx tsx scripts/bench/puzzlemoe.ts [--quick]` runs this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await bench({ quick: process.argv.includes('--quick') });
  process.stdout.write(r.markdown.join('\n') + '\n');
}
