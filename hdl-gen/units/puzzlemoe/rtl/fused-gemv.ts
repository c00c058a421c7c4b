import { UserError } from '../../../errors.ts';
import { Bits, Bool, Vec, cat, defineModule, input, lit, mux, output, type Sig } from '../../../index.ts';
import { ValidReadyStage } from '../../../lib/valid-ready-stage.ts';
import { FpMac } from '../../fp/rtl/fp-mac.ts';
import { DEFAULT_DECODE_EXPONENT_OFFSET, PuzzleMoeDecodeUnit } from './decode-unit.ts';

/**
 * PuzzleMoE fused two-expert GEMV datapath (golden: hdl-gen/units/puzzlemoe/golden/fused-gemv.ts).
 * Each packed 16-bit word is read ONCE and both of its positions are used: lane 0 is expert i's BF16
 * weight, lane 1 expert j's, and they multiply expert i's and expert j's BF16 activations, so one
 * packed matrix yields y_i = W_i x_i and y_j = W_j x_j (FP32) with half the weight traffic of two
 * dense BF16 GEMVs.
 *
 * A beat is one column step k of a tile of `rows` output rows: `in_words[r]` = P[r0 + r][k] (the
 * packed word of row r of the tile), `in_x_i` = x_i[k] and `in_x_j` = x_j[k] (BF16, broadcast to
 * every row). A row dot product is the run of beats from the first beat after reset (or after a beat
 * with `in_last`) up to and including the next beat with `in_last`; one beat with `in_last` is a
 * dot product of length 1. Each of the 2 * rows accumulators computes, in stream order,
 *
 *   acc = +0.0;  for each beat k:  acc = round_fp32(acc + w[k] * x[k])   (FpMac, inFormat bf16)
 *
 * exactly the golden `fusedDot` order. When the `in_last` beat is accepted, its updated
 * accumulators go to the output as one result beat: `out_y_i[r]`, `out_y_j[r]` (FP32 encodings of
 * row r0 + r), with `out_valid`/`out_ready`.
 *
 * Handshakes (valid/ready, a beat moves when valid && ready; the producer holds valid and data until
 * accepted): one column beat per cycle with no bubbles while the sink takes results. The results
 * leave through a full-throughput skid buffer (hdl-gen/lib/valid-ready-stage.ts), which holds up to
 * 2 results; `in_ready` is low only while both are held (a stalled sink), and it comes from a
 * register (no combinational path from `out_ready`, `in_valid` or the data to `in_ready`). A result
 * is queued only by a tile's last beat, so without `operandRegister` `in_ready` can fall only before
 * the first beat of a tile: a started dot product is never stalled by the sink.
 * Latency from the accepted `in_last` beat to `out_valid`: 1 cycle, 2 with `operandRegister`.
 *
 * The accumulation is a 1-cycle recurrence (acc feeds the next MAC), so the MACs are combinational
 * (FpMac stages 0): a pipelined adder could not accept one beat of the same dot product per cycle in
 * this order. `operandRegister` puts a skid buffer between the decoder and the MACs so that the MAC
 * operands come from registers rather than from the input ports.
 */
export type FusedGemvParams = {
  /** Output rows processed in parallel: packed words per beat (>= 1). */
  readonly rows: number;
  /** Register the decoded operands before the MACs (latency +1); default false. */
  readonly operandRegister?: boolean;
  /** E = e5 + exponentOffset in the decoder; default 112 (the paper's constant). */
  readonly exponentOffset?: number;
};

/** The parameters with defaults applied, validated. */
export function fusedGemvParams(p: FusedGemvParams): Required<FusedGemvParams> {
  const r = { rows: p.rows, operandRegister: p.operandRegister ?? false, exponentOffset: p.exponentOffset ?? DEFAULT_DECODE_EXPONENT_OFFSET };
  if (!Number.isInteger(r.rows) || r.rows < 1) throw new UserError(`PuzzleMoeFusedGemv: rows must be a positive integer, got ${r.rows}`);
  if (!Number.isInteger(r.exponentOffset) || r.exponentOffset < 1 || r.exponentOffset > 223) {
    throw new UserError(`PuzzleMoeFusedGemv: exponentOffset must be an integer from 1 to 223 (E = e5 + offset must be a normal bf16 exponent), got ${r.exponentOffset}`);
  }
  return r;
}

/** One column beat as the MACs see it. */
interface OperandBeat {
  readonly valid: Sig<'bool'>;
  readonly lane0: Sig<'bits'>[];
  readonly lane1: Sig<'bits'>[];
  readonly xi: Sig<'bits'>;
  readonly xj: Sig<'bits'>;
  readonly last: Sig<'bool'>;
  /** Drives the ready of whatever produces the beat. */
  readonly setReady: (ready: Sig<'bool'>) => void;
}

export const PuzzleMoeFusedGemv = defineModule({
  name: 'PuzzleMoeFusedGemv',
  io: (p: FusedGemvParams) => {
    const { rows } = fusedGemvParams(p);
    return {
      in_valid: input(Bool()),
      in_ready: output(Bool()),
      in_words: input(Vec(Bits(16), rows)),
      in_x_i: input(Bits(16)),
      in_x_j: input(Bits(16)),
      in_last: input(Bool()),
      out_valid: output(Bool()),
      out_ready: input(Bool()),
      out_y_i: output(Vec(Bits(32), rows)),
      out_y_j: output(Vec(Bits(32), rows)),
    };
  },
  moduleName: (p) => {
    const r = fusedGemvParams(p);
    return `PuzzleMoeFusedGemv_rows${r.rows}_${r.operandRegister ? 'opreg' : 'direct'}_off${r.exponentOffset}`;
  },
  body: (m, io, params) => {
    const p = fusedGemvParams(params);
    const rows = p.rows;

    // ---- decode: each word read once, both lanes out (combinational, valid/ready pass-through) ----
    const dec = m.instance('decode', PuzzleMoeDecodeUnit, { lanes: rows, outputRegister: false, exponentOffset: p.exponentOffset });
    dec.io.in_valid.set(io.in_valid);
    dec.io.in_words.set(io.in_words);
    io.in_ready.set(dec.io.in_ready);

    let beat: OperandBeat;
    if (!p.operandRegister) {
      beat = {
        valid: dec.io.out_valid,
        lane0: dec.io.out_lane0.elements(),
        lane1: dec.io.out_lane1.elements(),
        xi: io.in_x_i,
        xj: io.in_x_j,
        last: io.in_last,
        setReady: (r) => dec.io.out_ready.set(r),
      };
    } else {
      // Operand beat layout, LSB first: lane 0 words, lane 1 words, x_i, x_j, last.
      const w = 32 * rows;
      const st = m.instance('operand_stage', ValidReadyStage, { width: w + 33 });
      st.io.in_valid.set(dec.io.out_valid);
      st.io.in_data.set(cat(io.in_last, io.in_x_j, io.in_x_i, dec.io.out_lane1.asBits(), dec.io.out_lane0.asBits()).asBits());
      dec.io.out_ready.set(st.io.in_ready);
      const d = st.io.out_data;
      beat = {
        valid: st.io.out_valid,
        lane0: Array.from({ length: rows }, (_, r) => d.slice(16 * r + 15, 16 * r)),
        lane1: Array.from({ length: rows }, (_, r) => d.slice(16 * rows + 16 * r + 15, 16 * rows + 16 * r)),
        xi: d.slice(w + 15, w),
        xj: d.slice(w + 31, w + 16),
        last: d.bit(w + 32),
        setReady: (r) => st.io.out_ready.set(r),
      };
    }

    // ---- results: full-throughput skid buffer; a beat is taken only while it has room -------------
    const out = m.instance('result_stage', ValidReadyStage, { width: 64 * rows });
    const fire = m.let('beat_fire', beat.valid.and(out.io.in_ready));
    beat.setReady(out.io.in_ready);

    // ---- 2 * rows MACs with FP32 accumulators; the first beat of a dot product starts from +0 ----
    const first = m.reg('first_beat', Bool(), { init: 1 });
    m.when(fire, () => first.set(beat.last));
    const zero = lit(0, Bits(32));
    const macs = (expert: 'i' | 'j', weights: Sig<'bits'>[], x: Sig<'bits'>): Sig<'bits'>[] =>
      weights.map((wgt, r) => {
        const acc = m.reg(`acc_${expert}_${r}`, Bits(32), { enable: fire });
        const mac = m.instance(`mac_${expert}_${r}`, FpMac, { inFormat: 'bf16', stages: 0 });
        mac.io.a.set(wgt);
        mac.io.b.set(x);
        mac.io.acc.set(mux(first, zero, acc));
        const y = m.let(`y_${expert}_${r}`, mac.io.y);
        acc.set(y);
        return y;
      });
    const yi = macs('i', beat.lane0, beat.xi);
    const yj = macs('j', beat.lane1, beat.xj);

    // Result beat layout, LSB first: y_i rows, then y_j rows.
    out.io.in_valid.set(fire.and(beat.last));
    out.io.in_data.set(cat(...[...yi, ...yj].reverse()).asBits());
    out.io.out_ready.set(io.out_ready);
    io.out_valid.set(out.io.out_valid);
    for (let r = 0; r < rows; r++) {
      io.out_y_i.at(r).set(out.io.out_data.slice(32 * r + 31, 32 * r));
      io.out_y_j.at(r).set(out.io.out_data.slice(32 * rows + 32 * r + 31, 32 * rows + 32 * r));
    }
  },
});
