import { Bits, Bool, SInt, UInt, Vec, cat, defineModule, input, lit, mux, output, type Sig } from '../../../index.ts';
import { DRAFT_EXP_BITS, DRAFT_WEIGHT_BITS, draftWeightToFp16, packDraftWeight } from './draft-weight.ts';
import { DRAFT_LANES } from './pe.ts';

/**
 * The edge units of the SPEQ PE array: one weight feeder per column, one activation feeder per
 * row. Both work on one group g of 4 consecutive reduction indices k = 4g .. 4g+3 (the unit of the
 * nibble-plane layout, hdl-gen/units/speq/golden/layout.ts) and a lane j = k - 4g.
 *
 * `lane_valid[j]` is 0 for padding lanes (k >= K in the tile's last group): the golden's padding
 * (activation -0, stored word 0x0000 = draft code 0) is inserted here, so the host never pads.
 */

/** Entries of the per-tensor draft table (exponents of codes c = 0..7; entry 0 is never read). */
export const DRAFT_TABLE_ENTRIES = 8;
const FP16_NEG_ZERO = 0x8000;

/**
 * SpeqWeightFeeder: the words of group g of one weight row in nibble-plane layout,
 * `group[0]` = D_g (draft plane), `group[1..3]` = R_g.0 .. R_g.2 (residual plane), to what the
 * column's PEs need this cycle.
 *
 * verify (draft = 0): the stored word of lane `lane`, { D_g[4j+3:4j], L[12j+11:12j] } with
 *   L = { R_g.2, R_g.1, R_g.0 }, turned back into the original FP16 weight on `w` (golden
 *   feederWeight: the raw word for a fallback tensor, else storedToFp16 with the tensor's k):
 *     k = 0:                 { s, 0, m[13:0] }                 (m = stored[14:1], the scaled magnitude)
 *     k = 1, m < 0x400:      { s, 0000, m[9:0], r }            (2m + r: the bit k = 1 shifted out)
 *     k = 1, m >= 0x400:     { s, m[13:10] + 1, m[9:0] }       (m + 0x400: the exponent back up by one)
 * draft (draft = 1): only D_g is read (the draft plane); its four codes { s, c2, c1, c0 } are
 *   decoded through the table to d[j] = (-1)^s * 2^table[c], or (-1)^s * 0 for c = 0 (golden
 *   DraftFormat.decode); `w` carries lane 0's as an FP16 number for the PE's shared datapath.
 * The table lookup and the FP16 conversion happen once per column instead of once per PE.
 */
export const SpeqWeightFeeder = defineModule({
  name: 'SpeqWeightFeeder',
  io: () => ({
    group: input(Vec(Bits(16), 4)),
    lane: input(UInt(2)),
    lane_valid: input(UInt(DRAFT_LANES)),
    draft: input(Bool()),
    scale_k1: input(Bool()),
    fallback: input(Bool()),
    exps: input(Vec(SInt(DRAFT_EXP_BITS), DRAFT_TABLE_ENTRIES)),
    w: output(Bits(16)),
    d: output(Vec(Bits(DRAFT_WEIGHT_BITS), DRAFT_LANES)),
  }),
  body: (m, io) => {
    const words = io.group.elements().map((x) => x.asUInt());
    const dWord = words[0];
    // ---- verify: reassemble the lane's stored word, then the FP16 weight ----
    const residual = m.let('residual', cat(words[3], words[2], words[1]));
    const stored = Array.from({ length: DRAFT_LANES }, (_, j) => cat(dWord.slice(4 * j + 3, 4 * j), residual.slice(12 * j + 11, 12 * j)));
    const lane = io.lane;
    const sel = m.let('stored', mux(lane.bit(1), mux(lane.bit(0), stored[3], stored[2]), mux(lane.bit(0), stored[1], stored[0])));
    const sign = sel.bit(15);
    const mag = m.let('scaled_mag', sel.slice(14, 1));
    const r = sel.bit(0);
    const k0 = cat(lit(0, UInt(1)), mag);
    const k1Sub = cat(lit(0, UInt(4)), mag.slice(9, 0), r);
    const k1Norm = cat(mag.slice(13, 10).zext(5).add(1), mag.slice(9, 0));
    const k1 = mux(mag.slice(13, 10).eq(0), k1Sub, k1Norm);
    const weight = m.let('verify_weight', mux(io.fallback, sel, cat(sign, mux(io.scale_k1, k1, k0))));
    // ---- draft: decode the four codes of the draft word ----
    const decoded = Array.from({ length: DRAFT_LANES }, (_, j) => {
      const code = m.let(`code${j}`, mux(io.lane_valid.bit(j), dWord.slice(4 * j + 3, 4 * j), lit(0, UInt(4))));
      const c = code.slice(2, 0);
      return { zero: c.eq(0), sign: code.bit(3), exp: io.exps.at(c) as Sig<'sint'> };
    });
    decoded.forEach((dv, j) => io.d.at(j).set(m.let(`draft_w${j}`, packDraftWeight(dv))));
    io.w.set(mux(io.draft, draftWeightToFp16(decoded[0]), weight.asBits()));
  },
});

/**
 * SpeqActivationFeeder: the 4 FP16 activations of group g of one activation row to the row's PEs:
 * draft: a[j] = lane j (-0 for padding lanes); verify: a[0] = the activation of lane `lane` (the
 * PE reads only a[0] in verify mode).
 */
export const SpeqActivationFeeder = defineModule({
  name: 'SpeqActivationFeeder',
  io: () => ({
    acts: input(Vec(Bits(16), DRAFT_LANES)),
    lane: input(UInt(2)),
    lane_valid: input(UInt(DRAFT_LANES)),
    draft: input(Bool()),
    a: output(Vec(Bits(16), DRAFT_LANES)),
  }),
  body: (m, io) => {
    const acts = io.acts.elements() as Sig<'bits'>[];
    const masked = acts.map((x, j) => m.let(`act${j}`, mux(io.lane_valid.bit(j), x, lit(FP16_NEG_ZERO, Bits(16)))));
    const lane = io.lane;
    const selected = mux(lane.bit(1), mux(lane.bit(0), acts[3], acts[2]), mux(lane.bit(0), acts[1], acts[0]));
    io.a.at(0).set(mux(io.draft, masked[0], selected));
    for (let j = 1; j < DRAFT_LANES; j++) io.a.at(j).set(masked[j]);
  },
});
