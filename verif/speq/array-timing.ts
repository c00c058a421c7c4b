/**
 * PE-array timing measured on the SpeqPeArray RTL (IR simulator): realistic tiles run back to back at
 * full stream rate, every result checked bit-exact against golden gemmTile, and the cycle counts
 * reduced to what a performance model needs (cycles per PE step in steady state, fill and drain).
 * Used by the SPEQ array bench and by the routing system model (`hdlgen model`, the routing bench),
 * which so take PE time from the hardware rather than from an assumed MAC rate.
 */
import { elaborate } from '../../hdl-gen/index.ts';
import { gemmTile, type PeMode } from '../../hdl-gen/units/speq/golden/arith.ts';
import { TABLE_FORMAT } from '../../hdl-gen/units/speq/golden/draft-format.ts';
import { analyzeTensor, fp16ToStored } from '../../hdl-gen/units/speq/golden/scale.ts';
import type { PeArrayTiming } from '../../hdl-gen/units/routing/golden/system-model.ts';
import { type ArrayShape, type ArrayTile, runArray, tileK } from '../../hdl-gen/units/speq/rtl/array-host.ts';
import { SpeqPeArray } from '../../hdl-gen/units/speq/rtl/pe-array.ts';
import { rngFromSeed, type SeededRandom } from '../random.ts';
import { IrSimulator } from '../sim/ir-simulator.ts';

/** An FP16 value of a roughly Gaussian-shaped magnitude distribution (sum of uniforms), scale ~ 2^e. */
export function gaussianF16(rng: SeededRandom, e: number): number {
  const u = (rng.below(1 << 16) + rng.below(1 << 16) + rng.below(1 << 16) - 3 * 32768) / 65536; // ~[-1.5, 1.5]
  const v = Math.abs(u) * 2 ** e;
  if (v === 0) return 0;
  const exp = Math.floor(Math.log2(v));
  const field = exp + 15;
  const sign = u < 0 ? 0x8000 : 0;
  if (field <= 0) return sign | Math.min(0x3ff, Math.round(v / 2 ** -24));
  return sign | (field << 10) | Math.floor((v / 2 ** exp - 1) * 1024);
}

/** A realistic tile: activations ~N(0, 1), a weight tensor ~N(0, 2^-6) scaled and packed by the offline rule. */
export function realisticTile(rng: SeededRandom, shape: ArrayShape, K: number, mode: PeMode): ArrayTile {
  const x = Array.from({ length: shape.rows }, () => Array.from({ length: K }, () => gaussianF16(rng, 0)));
  const flat = Array.from({ length: shape.cols * K }, () => gaussianF16(rng, -6));
  const sc = analyzeTensor('w', flat, [shape.cols, K]);
  const k = sc.k;
  const w = Array.from({ length: shape.cols }, (_, c) => flat.slice(c * K, (c + 1) * K).map((v) => fp16ToStored(v, k)));
  return { mode, x, w, cfg: { k, fallback: sc.fallback, format: TABLE_FORMAT, table: TABLE_FORMAT.computeTable(flat, k) }, init: 0 };
}

export interface TileRun {
  readonly tiles: number;
  readonly K: number;
  readonly macs: number;
  /** Cycles in which the PEs stepped. */
  readonly steps: number;
  /** First to last PE step, inclusive: the steady state (fill and drain excluded). */
  readonly steadyCycles: number;
  /** Cycles before the first PE step, and from the last step to the last result beat. */
  readonly fillCycles: number;
  readonly drainCycles: number;
  readonly simSeconds: number;
}

/** Runs `tiles` back to back on a reset array at full rate; throws on any result that differs from gemmTile. */
export function runTiles(sim: IrSimulator, shape: ArrayShape, tiles: readonly ArrayTile[], label: string): TileRun {
  sim.reset(1);
  const t0 = performance.now();
  const run = runArray(sim, shape, tiles);
  const simSeconds = (performance.now() - t0) / 1000;
  tiles.forEach((t, i) => {
    const want = gemmTile(t.mode, t.x, t.w, t.cfg, t.init).y;
    want.forEach((row, r) =>
      row.forEach((y, c) => {
        if (run.results[i][r][c] !== y) throw new Error(`${label}: tile ${i} Y[${r}][${c}] = ${run.results[i][r][c].toString(16)}, golden ${y.toString(16)}`);
      }),
    );
  });
  return {
    tiles: tiles.length,
    K: tiles.length ? tileK(tiles[0]) : 0,
    macs: shape.rows * shape.cols * tiles.reduce((s, t) => s + tileK(t), 0),
    steps: run.stepCycles,
    steadyCycles: run.lastStep - run.firstStep + 1,
    fillCycles: run.firstStep,
    drainCycles: run.lastResult - run.lastStep,
    simSeconds,
  };
}

/** Steady-state and edge costs of the array for a performance model, per mode. */
export interface ArrayTiming {
  readonly shape: ArrayShape;
  /** Steady-state cycles per K element of a tile (verify: 1 / utilisation; draft: 4 weights per step). */
  readonly verifyCyclesPerK: number;
  readonly draftCyclesPerK: number;
  /** Fill + drain of one back-to-back run (paid once per matrix, not per tile). */
  readonly edgeCycles: number;
  readonly seed: number;
}

/** Measures ArrayTiming on an R x C SpeqPeArray (IR simulator): `tiles` tiles of K per mode. */
export function measureArrayTiming(shape: ArrayShape, opts: { K?: number; tiles?: number; seed?: number } = {}): ArrayTiming {
  const K = opts.K ?? 64;
  const T = opts.tiles ?? 3;
  const seed = opts.seed ?? 1;
  const rng = rngFromSeed(seed);
  const sim = new IrSimulator(elaborate(SpeqPeArray, shape));
  const per = (mode: PeMode) => {
    const r = runTiles(sim, shape, Array.from({ length: T }, () => realisticTile(rng, shape, K, mode)), `array timing (${mode})`);
    return { perK: r.steadyCycles / (T * K), edge: r.fillCycles + r.drainCycles };
  };
  const verify = per('verify');
  const draft = per('draft');
  return { shape, verifyCyclesPerK: verify.perK, draftCyclesPerK: draft.perK, edgeCycles: Math.max(verify.edge, draft.edge), seed };
}

/** The PE-array timing of the routing system model for an R x C array, with where each figure came from. */
export interface ModelArrayTiming {
  readonly timing: PeArrayTiming;
  readonly source: string;
}

/**
 * Measures two small square arrays on the RTL and extends them to R x C: the cycles per K element
 * must agree between the two (a systolic array's steady state does not depend on its size; this
 * throws if they differ), and fill + drain is fitted as a + b (R + C) / 2 through the two sizes.
 */
export function modelArrayTiming(rows: number, cols: number, measured: readonly [number, number] = [2, 4]): ModelArrayTiming {
  const key = `${rows}x${cols}@${measured.join(',')}`;
  const hit = timingMemo.get(key);
  if (hit) return hit;
  const [s0, s1] = measured.map((n) => measureArrayTiming({ rows: n, cols: n, kBits: 16 }));
  for (const key of ['verifyCyclesPerK', 'draftCyclesPerK'] as const) {
    if (s0[key] !== s1[key]) throw new Error(`array timing: ${key} differs between ${measured[0]}x${measured[0]} (${s0[key]}) and ${measured[1]}x${measured[1]} (${s1[key]})`);
  }
  const b = (s1.edgeCycles - s0.edgeCycles) / (measured[1] - measured[0]);
  const a = s0.edgeCycles - b * measured[0];
  const edgeCycles = Math.max(0, a + (b * (rows + cols)) / 2);
  const result: ModelArrayTiming = {
    timing: { rows, cols, verifyCyclesPerK: s0.verifyCyclesPerK, draftCyclesPerK: s0.draftCyclesPerK, edgeCycles },
    source:
      `SpeqPeArray RTL in the IR simulator (${measured.map((n) => `${n}x${n}`).join(' and ')}, realistic tiles checked against gemmTile): ` +
      `${s0.verifyCyclesPerK} cycles per K element in verify mode, ${s0.draftCyclesPerK} in draft mode; fill + drain ${s0.edgeCycles} and ${s1.edgeCycles} cycles, fitted ${a} + ${b} (R + C) / 2 = ${edgeCycles} for ${rows}x${cols}`,
  };
  timingMemo.set(key, result);
  return result;
}

/** The RTL runs are deterministic (fixed seed), so one measurement per process and size is enough. */
const timingMemo = new Map<string, ModelArrayTiming>();
