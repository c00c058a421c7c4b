import { packVec, unpackVec } from '../../../core/vec-value.ts';
import type { PeMode, SpeqTensorConfig } from '../golden/arith.ts';
import { groupsFor, toNibblePlanes } from '../golden/layout.ts';

/**
 * The host side of SpeqPeArray (pe-array.ts), for testbenches and the benchmark: turns a tile
 * (activations X[R][K], stored weights W[C][K], tensor configuration, mode, init) into the array's
 * command and its act / wgt beats (the weights read from the nibble-plane layout of the golden
 * layout.ts), and drives the four streams cycle by cycle on any simulator (IR simulator or
 * Verilator), with optional random stalls, recording every input so a run can be replayed
 * elsewhere. Plain TypeScript: it touches the hardware only through port names.
 */

export interface ArrayShape {
  readonly rows: number;
  readonly cols: number;
  readonly kBits: number;
}

export interface ArrayTile {
  readonly mode: PeMode;
  /** X[r][k]: FP16 activations, R rows of K. */
  readonly x: readonly (readonly number[])[];
  /** W[c][k]: stored words, C rows of K. */
  readonly w: readonly ArrayLike<number>[];
  readonly cfg: SpeqTensorConfig;
  /** FP32 encoding every accumulator starts from. */
  readonly init: number;
}

/** Whether a tile runs draft arithmetic (a fallback tensor runs verify arithmetic in both modes). */
export function isDraftTile(t: Pick<ArrayTile, 'mode' | 'cfg'>): boolean {
  return t.mode === 'draft' && !t.cfg.fallback;
}

export function tileK(t: ArrayTile): number {
  return t.x.length > 0 ? t.x[0].length : t.w[0].length;
}

/** PE steps of a tile: ceil(K/4) in draft mode, K in verify mode. */
export function tileSteps(t: ArrayTile): number {
  const K = tileK(t);
  return isDraftTile(t) ? groupsFor(K) : K;
}

/** The cmd_* port values of a tile. */
export function tileCommand(t: ArrayTile, shape: ArrayShape): Record<string, bigint> {
  const K = tileK(t);
  if (K < 1 || K > 2 ** shape.kBits) throw new RangeError(`tile K must be 1 .. ${2 ** shape.kBits}, got ${K}`);
  if (t.x.length !== shape.rows || t.w.length !== shape.cols) throw new RangeError(`tile is ${t.x.length} x ${t.w.length}, array ${shape.rows} x ${shape.cols}`);
  const exps = t.cfg.table.exps;
  for (const e of exps) if (!Number.isInteger(e) || e < -16 || e > 15) throw new RangeError(`draft table exponent ${e} does not fit 5 bits`);
  return {
    cmd_draft: t.mode === 'draft' ? 1n : 0n,
    cmd_k_last: BigInt(K - 1),
    cmd_scale_k1: BigInt(t.cfg.k),
    cmd_fallback: t.cfg.fallback ? 1n : 0n,
    cmd_table: packVec(exps.map((e) => e & 0x1f), 5),
    cmd_init: BigInt(t.init >>> 0),
  };
}

/**
 * The act and wgt beats of a tile, one per group g. Activation padding lanes (k >= K) and, in
 * draft mode, the residual words (which the draft pass does not read) are filled by `junk` (the
 * array must ignore them), or by 0.
 */
export function tileBeats(t: ArrayTile, shape: ArrayShape, junk: () => number = () => 0): { act: bigint[]; wgt: bigint[] } {
  const K = tileK(t);
  const G = groupsFor(K);
  const draft = isDraftTile(t);
  const planes = t.w.map((row) => toNibblePlanes(row));
  const act: bigint[] = [];
  const wgt: bigint[] = [];
  for (let g = 0; g < G; g++) {
    const a: number[] = [];
    for (let r = 0; r < shape.rows; r++) for (let j = 0; j < 4; j++) a.push(4 * g + j < K ? t.x[r][4 * g + j] : junk() & 0xffff);
    const w: number[] = [];
    for (let c = 0; c < shape.cols; c++) {
      const p = planes[c];
      w.push(p[g]);
      for (let i = 0; i < 3; i++) w.push(draft ? junk() & 0xffff : p[G + 3 * g + i]);
    }
    act.push(packVec(a, 16));
    wgt.push(packVec(w, 16));
  }
  return { act, wgt };
}

/** The simulator operations the driver needs (IrSimulator has them; a Verilator replay uses the trace). */
export interface CycleSim {
  poke(port: string, value: bigint | number): void;
  peek(port: string): bigint;
  step(): void;
}

/** Per-cycle probabilities that a source offers data (cmd, act, wgt) and that the sink is ready (res). */
export interface StreamRates {
  readonly cmd: number;
  readonly act: number;
  readonly wgt: number;
  readonly res: number;
}

export const FULL_RATE: StreamRates = { cmd: 1, act: 1, wgt: 1, res: 1 };

export interface ArrayRun {
  /** Per tile, Y[r][c] as FP32 encodings, in drain order. */
  readonly results: number[][][];
  readonly cycles: number;
  /** Cycles in which the PEs stepped. */
  readonly stepCycles: number;
  /** Cycle (0-based) of the first and last PE step, and of the last result beat. */
  readonly firstStep: number;
  readonly lastStep: number;
  readonly lastResult: number;
  /** Input port values of every cycle (for a replay on another simulator). */
  readonly trace: Record<string, bigint[]>;
  /** Outputs of every cycle. */
  readonly outputs: Record<string, bigint[]>;
}

export const ARRAY_INPUTS = ['cmd_valid', 'cmd_draft', 'cmd_k_last', 'cmd_scale_k1', 'cmd_fallback', 'cmd_table', 'cmd_init', 'act_valid', 'act_data', 'wgt_valid', 'wgt_data', 'res_ready'] as const;
export const ARRAY_OUTPUTS = ['cmd_ready', 'act_ready', 'wgt_ready', 'res_valid', 'res_data', 'res_row', 'res_last', 'step_active', 'idle'] as const;

/** A source of uniform numbers in [0, 1) (the seeded PRNG's `chance` is enough). */
export interface Coin {
  chance(p: number): boolean;
  next32(): number;
}

/**
 * Runs `tiles` through the array: the command source, the act and wgt sources and the result sink
 * each follow valid/ready (a source holds its beat until accepted; with rates < 1 it idles at
 * random between beats, the sink drops ready at random). Stops when every result has drained and
 * the array is idle; throws if nothing progresses for `stallLimit` cycles.
 */
export function runArray(sim: CycleSim, shape: ArrayShape, tiles: readonly ArrayTile[], opts: { rates?: StreamRates; coin?: Coin; junk?: () => number; stallLimit?: number } = {}): ArrayRun {
  const rates = opts.rates ?? FULL_RATE;
  const coin = opts.coin;
  const chance = (p: number) => p >= 1 || (coin ? coin.chance(p) : true);
  const cmds = tiles.map((t) => tileCommand(t, shape));
  const actBeats: bigint[] = [];
  const wgtBeats: bigint[] = [];
  for (const t of tiles) {
    const b = tileBeats(t, shape, opts.junk);
    actBeats.push(...b.act);
    wgtBeats.push(...b.wgt);
  }
  const trace: Record<string, bigint[]> = Object.fromEntries(ARRAY_INPUTS.map((p) => [p, []]));
  const outputs: Record<string, bigint[]> = Object.fromEntries(ARRAY_OUTPUTS.map((p) => [p, []]));
  const results: number[][][] = [];
  let rowsOfTile: number[][] = [];
  let nextCmd = 0;
  let nextAct = 0;
  let nextWgt = 0;
  let cmdOn = false;
  let actOn = false;
  let wgtOn = false;
  let cycle = 0;
  let stepCycles = 0;
  let firstStep = -1;
  let lastStep = -1;
  let lastResult = -1;
  let lastProgress = 0;
  const stallLimit = opts.stallLimit ?? 1000;
  const set = (port: (typeof ARRAY_INPUTS)[number], v: bigint) => {
    sim.poke(port, v);
    trace[port].push(v);
  };
  const idleCmd = cmds[0] ?? {};
  for (;;) {
    if (!cmdOn && nextCmd < cmds.length && chance(rates.cmd)) cmdOn = true;
    if (!actOn && nextAct < actBeats.length && chance(rates.act)) actOn = true;
    if (!wgtOn && nextWgt < wgtBeats.length && chance(rates.wgt)) wgtOn = true;
    const ready = chance(rates.res);
    const cmd = cmdOn ? cmds[nextCmd] : idleCmd;
    set('cmd_valid', cmdOn ? 1n : 0n);
    for (const k of ['cmd_draft', 'cmd_k_last', 'cmd_scale_k1', 'cmd_fallback', 'cmd_table', 'cmd_init'] as const) set(k, cmd[k] ?? 0n);
    set('act_valid', actOn ? 1n : 0n);
    set('act_data', actOn ? actBeats[nextAct] : 0n);
    set('wgt_valid', wgtOn ? 1n : 0n);
    set('wgt_data', wgtOn ? wgtBeats[nextWgt] : 0n);
    set('res_ready', ready ? 1n : 0n);
    const out: Record<string, bigint> = {};
    for (const p of ARRAY_OUTPUTS) {
      out[p] = sim.peek(p);
      outputs[p].push(out[p]);
    }
    let progress = false;
    if (cmdOn && out.cmd_ready === 1n) {
      nextCmd++;
      cmdOn = false;
      progress = true;
    }
    if (actOn && out.act_ready === 1n) {
      nextAct++;
      actOn = false;
      progress = true;
    }
    if (wgtOn && out.wgt_ready === 1n) {
      nextWgt++;
      wgtOn = false;
      progress = true;
    }
    if (out.step_active === 1n) {
      stepCycles++;
      if (firstStep < 0) firstStep = cycle;
      lastStep = cycle;
      progress = true;
    }
    if (out.res_valid === 1n && ready) {
      const row = Number(out.res_row);
      if (row !== rowsOfTile.length) throw new Error(`cycle ${cycle}: result row ${row} out of order (expected ${rowsOfTile.length})`);
      rowsOfTile.push(unpackVec(out.res_data, shape.cols, 32));
      if ((out.res_last === 1n) !== (rowsOfTile.length === shape.rows)) throw new Error(`cycle ${cycle}: res_last ${out.res_last} on row ${row}`);
      if (rowsOfTile.length === shape.rows) {
        results.push(rowsOfTile);
        rowsOfTile = [];
      }
      lastResult = cycle;
      progress = true;
    }
    const done = results.length === tiles.length && out.idle === 1n;
    sim.step();
    cycle++;
    if (done) break;
    if (progress) lastProgress = cycle;
    else if (cycle - lastProgress > stallLimit) throw new Error(`no progress for ${stallLimit} cycles at cycle ${cycle}: ${results.length}/${tiles.length} tiles drained`);
  }
  return { results, cycles: cycle, stepCycles, firstStep, lastStep, lastResult, trace, outputs };
}

/** Result beats of a recorded output trace (res_valid and res_ready), grouped into tiles of R rows. */
export function resultsFromTrace(outputs: Record<string, readonly bigint[]>, resReady: readonly bigint[], shape: ArrayShape): number[][][] {
  const tiles: number[][][] = [];
  let rows: number[][] = [];
  for (let i = 0; i < resReady.length; i++) {
    if (outputs.res_valid[i] !== 1n || resReady[i] !== 1n) continue;
    rows.push(unpackVec(outputs.res_data[i], shape.cols, 32));
    if (rows.length === shape.rows) {
      tiles.push(rows);
      rows = [];
    }
  }
  return tiles;
}
