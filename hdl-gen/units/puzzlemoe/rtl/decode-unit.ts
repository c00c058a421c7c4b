import { UserError } from '../../../errors.ts';
import { Bits, Bool, Vec, cat, defineModule, input, lit, mux, output, type ModuleBuilder, type Sig } from '../../../index.ts';
import { ValidReadyStage } from '../../../lib/valid-ready-stage.ts';

/**
 * PuzzleMoE decode unit: `lanes` packed 16-bit words per beat in, BOTH positions of every word out
 * in the same beat (lane 0 = expert i, lane 1 = expert j, each a bf16), as the spec's decoding
 * algorithm says (golden: hdl-gen/units/puzzlemoe/golden/format.ts `decodeWord`):
 *
 *   lane p = word[13 - p] ? { word[15 - p], E = e5 + offset, word[6:0] } : 16'h0000
 *
 * The exponent needs no adder when offset is a multiple of 16 (the spec's hardware note for 112:
 * E = e5[4] ? {4'b1000, e5[3:0]} : {4'b0111, e5[3:0]}): E = {offset[7:4] + e5[4], e5[3:0]}, a
 * 2:1 mux of two constants. Other offsets use an 8-bit add of a constant.
 *
 * Streaming valid/ready, one beat of `lanes` words per cycle with no bubbles:
 * - `outputRegister: false`: combinational, latency 0 (`in_ready = out_ready`, `out_valid = in_valid`);
 * - `outputRegister: true`: the decoded beat goes through a full-throughput skid buffer
 *   (hdl-gen/lib/valid-ready-stage.ts), latency 1, registered outputs and a registered `in_ready`.
 *
 * Ports: `in_words[k]` (Vec element k, bits [16k+15:16k]) gives `out_lane0[k]` and `out_lane1[k]`.
 */
export type DecodeUnitParams = {
  /** Packed words per beat (>= 1). */
  readonly lanes: number;
  /** Register the outputs (latency 1) through a skid buffer; default false (latency 0). */
  readonly outputRegister?: boolean;
  /** E = e5 + exponentOffset; default 112 (the paper's constant). */
  readonly exponentOffset?: number;
};

export const DEFAULT_DECODE_EXPONENT_OFFSET = 112;

/** The parameters with defaults applied, validated. */
export function decodeUnitParams(p: DecodeUnitParams): Required<DecodeUnitParams> {
  const r = { lanes: p.lanes, outputRegister: p.outputRegister ?? false, exponentOffset: p.exponentOffset ?? DEFAULT_DECODE_EXPONENT_OFFSET };
  if (!Number.isInteger(r.lanes) || r.lanes < 1) throw new UserError(`PuzzleMoeDecode: lanes must be a positive integer, got ${r.lanes}`);
  if (!Number.isInteger(r.exponentOffset) || r.exponentOffset < 1 || r.exponentOffset > 223) {
    throw new UserError(`PuzzleMoeDecode: exponentOffset must be an integer from 1 to 223 (E = e5 + offset must be a normal bf16 exponent), got ${r.exponentOffset}`);
  }
  return r;
}

/** The 8-bit biased exponent E = e5 + offset. */
function exponent(e5: Sig<'bits'>, offset: number): Sig<'bits'> {
  if (offset % 16 === 0) {
    const hi = offset >> 4; // <= 13, so hi + 1 fits 4 bits
    return cat(mux(e5.bit(4), lit(hi + 1, Bits(4)), lit(hi, Bits(4))), e5.slice(3, 0)).asBits();
  }
  return e5.asUInt().zext(8).add(offset).asBits();
}

/** Decodes one packed word into its two bf16 lanes. */
function decodeWord(m: ModuleBuilder, word: Sig<'bits'>, k: number, offset: number): [Sig<'bits'>, Sig<'bits'>] {
  const e = m.let(`w${k}_exp`, exponent(word.slice(11, 7), offset));
  const mantissa = word.slice(6, 0);
  const lane = (p: 0 | 1) => m.let(`w${k}_lane${p}`, mux(word.bit(13 - p), cat(word.slice(15 - p, 15 - p), e, mantissa).asBits(), 0));
  return [lane(0), lane(1)];
}

export const PuzzleMoeDecodeUnit = defineModule({
  name: 'PuzzleMoeDecode',
  io: (p: DecodeUnitParams) => {
    const { lanes } = decodeUnitParams(p);
    return {
      in_valid: input(Bool()),
      in_ready: output(Bool()),
      in_words: input(Vec(Bits(16), lanes)),
      out_valid: output(Bool()),
      out_ready: input(Bool()),
      out_lane0: output(Vec(Bits(16), lanes)),
      out_lane1: output(Vec(Bits(16), lanes)),
    };
  },
  moduleName: (p) => {
    const r = decodeUnitParams(p);
    return `PuzzleMoeDecode_lanes${r.lanes}_${r.outputRegister ? 'reg' : 'comb'}_off${r.exponentOffset}`;
  },
  body: (m, io, params) => {
    const p = decodeUnitParams(params);
    const decoded = io.in_words.elements().map((w, k) => decodeWord(m, w, k, p.exponentOffset));
    if (!p.outputRegister) {
      io.in_ready.set(io.out_ready);
      io.out_valid.set(io.in_valid);
      decoded.forEach(([l0, l1], k) => {
        io.out_lane0.at(k).set(l0);
        io.out_lane1.at(k).set(l1);
      });
      return;
    }
    // Beat layout in the stage: word k's lane 0 at [32k+15:32k], lane 1 at [32k+31:32k+16].
    const stage = m.instance('out_stage', ValidReadyStage, { width: 32 * p.lanes });
    stage.io.in_valid.set(io.in_valid);
    stage.io.in_data.set(cat(...decoded.flatMap(([l0, l1]) => [l0, l1]).reverse()).asBits());
    stage.io.out_ready.set(io.out_ready);
    io.in_ready.set(stage.io.in_ready);
    io.out_valid.set(stage.io.out_valid);
    for (let k = 0; k < p.lanes; k++) {
      io.out_lane0.at(k).set(stage.io.out_data.slice(32 * k + 15, 32 * k));
      io.out_lane1.at(k).set(stage.io.out_data.slice(32 * k + 31, 32 * k + 16));
    }
  },
});
