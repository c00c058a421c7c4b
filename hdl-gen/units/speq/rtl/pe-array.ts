import { UserError } from '../../../errors.ts';
import { Bits, Bool, SInt, UInt, Vec, clog2, defineModule, input, lit, mux, output, type Sig } from '../../../index.ts';
import { DRAFT_EXP_BITS } from './draft-weight.ts';
import { DRAFT_TABLE_ENTRIES, SpeqActivationFeeder, SpeqWeightFeeder } from './feeders.ts';
import { DRAFT_LANES, SpeqPe } from './pe.ts';

/**
 * SpeqPeArray: R x C reconfigurable PEs (SpeqPe), output-stationary (spec "The array"; golden
 * gemmTile in hdl-gen/units/speq/golden/arith.ts): PE (r, c) accumulates Y[r][c] = sum_k X[r][k] *
 * W[c][k] from `init`; row r receives X[r] (broadcast to the row), column c receives W[c]
 * (broadcast down the column). Every PE does the same step in the same cycle.
 *
 * Streams (valid/ready; data held while valid and not ready):
 *  - cmd: one tile: `cmd_draft` (mode), `cmd_k_last` = K - 1, the weight tensor's `cmd_scale_k1`
 *    (k = 1), `cmd_fallback`, `cmd_table` (draft exponents of codes 0..7), `cmd_init`. A fallback
 *    tensor runs verify arithmetic in draft mode too (golden). Mode, table and scale change only
 *    here: between tiles.
 *  - act: group g of every activation row: `act_data[4r + j]` = X[r][4g + j] (padding lanes ignored).
 *  - wgt: group g of every weight row in nibble-plane layout: `wgt_data[4c]` = D_g, `wgt_data[4c +
 *    1 .. 4c + 3]` = R_g.0 .. R_g.2 of column c. The draft pass reads D_g only (the other words are
 *    not looked at; a host streaming from memory reads the draft plane only).
 *  - res: one row of results per beat, rows 0 .. R-1: `res_data[c]` = Y[r][c] (FP32),
 *    `res_row` = r, `res_last` on row R-1.
 * One act and one wgt beat are consumed together per group: in draft mode one group per cycle
 * (4 MACs per PE per cycle, K/4 cycles per tile), in verify mode one lane per cycle (K cycles; the
 * beats are held for the group's lanes and accepted on its last one).
 *
 * Control: a command is accepted while idle or in the cycle of the current tile's last step, so
 * tiles follow back to back. A finished tile's accumulators are copied, in the cycle that starts
 * the next tile, into a bank of result registers that drains one row per cycle (R cycles); the next
 * tile waits only if the previous drain has not finished by then (tiles shorter than R steps, or a
 * stalled `res` sink).
 */
export type SpeqPeArrayParams = {
  readonly rows: number;
  readonly cols: number;
  /** Width of `cmd_k_last` (K - 1): K up to 2^kBits; default 16. */
  readonly kBits?: number;
};

export const SPEQ_ARRAY_MAX_DIM = 64;

export function speqArrayParams(p: SpeqPeArrayParams): Required<SpeqPeArrayParams> {
  const r = { rows: p.rows, cols: p.cols, kBits: p.kBits ?? 16 };
  for (const key of ['rows', 'cols'] as const) {
    if (!Number.isInteger(r[key]) || r[key] < 1 || r[key] > SPEQ_ARRAY_MAX_DIM) throw new UserError(`SpeqPeArray: ${key} must be an integer from 1 to ${SPEQ_ARRAY_MAX_DIM}, got ${r[key]}`);
  }
  if (!Number.isInteger(r.kBits) || r.kBits < 3 || r.kBits > 32) throw new UserError(`SpeqPeArray: kBits must be an integer from 3 to 32, got ${r.kBits}`);
  return r;
}

export const SpeqPeArray = defineModule({
  name: 'SpeqPeArray',
  io: (params: SpeqPeArrayParams) => {
    const p = speqArrayParams(params);
    return {
      cmd_valid: input(Bool()),
      cmd_ready: output(Bool()),
      cmd_draft: input(Bool()),
      cmd_k_last: input(UInt(p.kBits)),
      cmd_scale_k1: input(Bool()),
      cmd_fallback: input(Bool()),
      cmd_table: input(Vec(SInt(DRAFT_EXP_BITS), DRAFT_TABLE_ENTRIES)),
      cmd_init: input(Bits(32)),
      act_valid: input(Bool()),
      act_ready: output(Bool()),
      act_data: input(Vec(Bits(16), DRAFT_LANES * p.rows)),
      wgt_valid: input(Bool()),
      wgt_ready: output(Bool()),
      wgt_data: input(Vec(Bits(16), 4 * p.cols)),
      res_valid: output(Bool()),
      res_ready: input(Bool()),
      res_data: output(Vec(Bits(32), p.cols)),
      res_row: output(UInt(Math.max(1, clog2(p.rows)))),
      res_last: output(Bool()),
      /** The PEs step this cycle (a performance-counter tap: utilisation = steps / cycles). */
      step_active: output(Bool()),
      /** No tile in progress, no result waiting or draining. */
      idle: output(Bool()),
    };
  },
  moduleName: (params) => {
    const p = speqArrayParams(params);
    return `SpeqPeArray_r${p.rows}_c${p.cols}_k${p.kBits}`;
  },
  body: (m, io, params) => {
    const { rows: R, cols: C, kBits } = speqArrayParams(params);
    const gBits = kBits - 2;
    const countBits = clog2(R + 1);

    // ---- tile configuration (loaded with each command) and step position ----
    const busy = m.reg('busy_q', Bool(), { init: 0 });
    const draft = m.reg('draft_q', Bool(), { init: 0 });
    const scaleK1 = m.reg('scale_k1_q', Bool(), { init: 0 });
    const fallback = m.reg('fallback_q', Bool(), { init: 0 });
    const kLast = m.reg('k_last_q', UInt(kBits), { init: 0 });
    const init = m.reg('init_q', Bits(32), { init: 0 });
    const table = Array.from({ length: DRAFT_TABLE_ENTRIES }, (_, c) => m.reg(`table${c}_q`, SInt(DRAFT_EXP_BITS), { init: 0 }));
    const group = m.reg('group_q', UInt(gBits), { init: 0 });
    const lane = m.reg('lane_q', UInt(2), { init: 0 });
    const first = m.reg('first_q', Bool(), { init: 0 });
    const accFull = m.reg('acc_full_q', Bool(), { init: 0 });
    const drainCount = m.reg('drain_count_q', UInt(countBits), { init: 0 });

    const lastGroup = kLast.slice(kBits - 1, 2);
    const lastLane = kLast.slice(1, 0);
    const inLastGroup = m.let('in_last_group', group.eq(lastGroup));
    const laneValid = m.let(
      'lane_valid',
      mux(inLastGroup, mux(lastLane.bit(1), mux(lastLane.bit(0), lit(0xf, UInt(4)), lit(0x7, UInt(4))), mux(lastLane.bit(0), lit(0x3, UInt(4)), lit(0x1, UInt(4)))), lit(0xf, UInt(4))),
    );
    const groupLastStep = m.let('group_last_step', draft.or(lane.eq(mux(inLastGroup, lastLane, lit(3, UInt(2))))));
    const resFire = m.let('res_fire', drainCount.ne(0).and(io.res_ready));
    const drainFree = m.let('drain_free', drainCount.eq(0).or(drainCount.eq(1).and(io.res_ready)));
    const load = m.let('load', accFull.and(drainFree));
    const step = m.let('step', busy.and(io.act_valid).and(io.wgt_valid).and(first.not().or(accFull.not()).or(load)));
    const consume = m.let('consume', step.and(groupLastStep));
    const tileEnd = m.let('tile_end', consume.and(inLastGroup));
    const cmdReady = m.let('cmd_ready_w', busy.not().or(tileEnd));
    const cmdFire = io.cmd_valid.and(cmdReady);

    m.when(step, () => {
      first.set(false);
      m.when(groupLastStep, () => {
        group.set(group.add(1));
        lane.set(0);
      }).otherwise(() => lane.set(lane.add(1)));
    });
    m.when(load, () => accFull.set(false));
    m.when(tileEnd, () => {
      busy.set(false);
      accFull.set(true);
    });
    m.when(cmdFire, () => {
      busy.set(true);
      draft.set(io.cmd_draft.and(io.cmd_fallback.not()));
      scaleK1.set(io.cmd_scale_k1);
      fallback.set(io.cmd_fallback);
      kLast.set(io.cmd_k_last);
      init.set(io.cmd_init);
      table.forEach((t, c) => t.set(io.cmd_table.at(c) as Sig<'sint'>));
      group.set(0);
      lane.set(0);
      first.set(true);
    });

    // ---- feeders ----
    const rowsA = Array.from({ length: R }, (_, r) => {
      const f = m.instance(`act_feed${r}`, SpeqActivationFeeder, {});
      for (let j = 0; j < DRAFT_LANES; j++) f.io.acts.at(j).set(io.act_data.at(DRAFT_LANES * r + j) as Sig<'bits'>);
      f.io.lane.set(lane);
      f.io.lane_valid.set(laneValid);
      f.io.draft.set(draft);
      return f.io.a;
    });
    const colsW = Array.from({ length: C }, (_, c) => {
      const f = m.instance(`wgt_feed${c}`, SpeqWeightFeeder, {});
      for (let i = 0; i < 4; i++) f.io.group.at(i).set(io.wgt_data.at(4 * c + i) as Sig<'bits'>);
      f.io.lane.set(lane);
      f.io.lane_valid.set(laneValid);
      f.io.draft.set(draft);
      f.io.scale_k1.set(scaleK1);
      f.io.fallback.set(fallback);
      table.forEach((t, i) => f.io.exps.at(i).set(t));
      return f.io;
    });

    // ---- PEs and the result bank (row r shifts into row r - 1; row 0 is the output) ----
    const res = Array.from({ length: R }, (_, r) => Array.from({ length: C }, (_, c) => m.reg(`res_${r}_${c}_q`, Bits(32))));
    const accs = Array.from({ length: R }, (_, r) =>
      Array.from({ length: C }, (_, c) => {
        const pe = m.instance(`pe_${r}_${c}`, SpeqPe, { datapath: 'shared' });
        pe.io.en.set(step);
        pe.io.clear.set(first);
        pe.io.draft.set(draft);
        pe.io.init.set(init);
        for (let j = 0; j < DRAFT_LANES; j++) {
          pe.io.a.at(j).set(rowsA[r].at(j) as Sig<'bits'>);
          pe.io.d.at(j).set(colsW[c].d.at(j) as Sig<'bits'>);
        }
        pe.io.w.set(colsW[c].w);
        return pe.io.acc;
      }),
    );
    // One when block for the whole bank (lowering cost grows with the number of when blocks).
    m.when(load, () => res.forEach((row, r) => row.forEach((q, c) => q.set(accs[r][c])))).elsewhen(resFire, () => {
      for (let r = 0; r + 1 < R; r++) res[r].forEach((q, c) => q.set(res[r + 1][c]));
    });
    m.when(load, () => drainCount.set(R)).elsewhen(resFire, () => drainCount.set(drainCount.sub(1)));

    io.cmd_ready.set(cmdReady);
    io.act_ready.set(consume);
    io.wgt_ready.set(consume);
    io.res_valid.set(drainCount.ne(0));
    for (let c = 0; c < C; c++) io.res_data.at(c).set(res[0][c]);
    const rowBits = Math.max(1, clog2(R));
    io.res_row.set(lit(R, UInt(countBits + 1)).sub(drainCount.zext(countBits + 1)).resize(rowBits));
    io.res_last.set(drainCount.eq(1));
    io.step_active.set(step);
    io.idle.set(busy.not().and(accFull.not()).and(drainCount.eq(0)));
  },
});
