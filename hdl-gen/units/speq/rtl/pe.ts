import { UserError } from '../../../errors.ts';
import { Bits, Bool, Vec, defineModule, input, mux, output, type ModuleBuilder, type Sig } from '../../../index.ts';
import { FpMac } from '../../fp/rtl/fp-mac.ts';
import { SpeqDraftAdd } from './draft-add.ts';
import { DRAFT_WEIGHT_BITS } from './draft-weight.ts';

/**
 * The SPEQ processing elements (spec: "Arithmetic"; golden: hdl-gen/units/speq/golden/arith.ts).
 *
 * Both own one FP32 accumulator register and update it when `en` is high; `clear` makes that step
 * start from `init` instead of the register (the first step of an output tile, golden gemmTile's
 * `init`). `acc` is the register.
 *
 * SpeqPlainPe: the FP16-MAC PE, acc' = mac_f16_f32(a, w, acc) (the area baseline).
 *
 * SpeqPe, the reconfigurable PE:
 *   verify (draft = 0): acc' = mac_f16_f32(a[0], w, acc): one FP16 x FP16 + FP32 MAC per cycle,
 *     w the FP16 weight (reassembled by the column's weight feeder);
 *   draft (draft = 1): four draft MACs per cycle, in the golden's order w0, w1, w2, w3, each rounded:
 *     acc_{j+1} = round_fp32(acc_j + a[j] * d_j), the d_j signed powers of two / signed zeros
 *     (draftMacStep). Lane 0's draft weight arrives as its FP16 encoding on `w` (the feeder
 *     converts it, see draftWeightToFp16), lanes 1..3 as decoded draft weights on d[1..3].
 *
 * `datapath: 'shared'` (the design): draft lane 0 runs on the verify datapath: the same FpMac
 * (operand unpack, 11x11 multiplier, product normalization, alignment shifter and adder,
 * normalizer, rounder, special cases), fed with the FP16 encoding of d_0, which equals draftMac
 * bit for bit (a power of two is an exact FP16 multiplicand). Lanes 1..3 are SpeqDraftAdd slots
 * (no multiplier: an exponent add, then the same align/normalize/round blocks), chained after
 * it. Because the four roundings are sequential and all happen in one cycle, four rounding paths
 * are inherent; what the mode adds to the plain PE is three multiplier-less add slots and one
 * 32-bit 2:1 mux. d[0] is not read (the weight bus carries lane 0 on w).
 * `datapath: 'separate'` (the no-sharing baseline for the area comparison): a verify FpMac plus a
 * chain of four SpeqDraftAdd slots (lane 0 from d[0]); same ports, same results.
 */
export type SpeqPeDatapath = 'shared' | 'separate';
export const SPEQ_PE_DATAPATHS: readonly SpeqPeDatapath[] = ['shared', 'separate'];

export type SpeqPeParams = {
  /** 'shared' (default): draft lane 0 on the verify datapath; 'separate': dedicated draft slots. */
  readonly datapath?: SpeqPeDatapath;
};

/** Draft MACs per PE step (the draft word carries four 4-bit codes). */
export const DRAFT_LANES = 4;

function peDatapath(p: SpeqPeParams): SpeqPeDatapath {
  const d = p.datapath ?? 'shared';
  if (!SPEQ_PE_DATAPATHS.includes(d)) throw new UserError(`SpeqPe: datapath must be one of ${SPEQ_PE_DATAPATHS.join(', ')}, got '${String(d)}'`);
  return d;
}

function macInstance(m: ModuleBuilder, name: string, a: Sig, w: Sig, acc: Sig): Sig<'bits'> {
  const mac = m.instance(name, FpMac, { inFormat: 'f16', stages: 0 });
  mac.io.a.set(a.asBits());
  mac.io.b.set(w.asBits());
  mac.io.acc.set(acc.asBits());
  return mac.io.y;
}

function draftSlot(m: ModuleBuilder, name: string, acc: Sig, a: Sig, d: Sig): Sig<'bits'> {
  const slot = m.instance(name, SpeqDraftAdd, {});
  slot.io.acc.set(acc.asBits());
  slot.io.a.set(a.asBits());
  slot.io.d.set(d.asBits());
  return slot.io.y;
}

/** The accumulator register and its input: returns [register, the step's input accumulator]. */
function accumulate(
  m: ModuleBuilder,
  io: { en: Sig<'bool'>; clear: Sig<'bool'>; init: Sig<'bits'>; acc: { set(v: Sig<'bits'>): void } },
  next: (accIn: Sig<'bits'>) => Sig<'bits'>,
): void {
  const accQ = m.reg('acc_q', Bits(32), { init: 0 });
  const accIn = m.let('acc_in', mux(io.clear, io.init, accQ));
  const y = m.let('acc_next', next(accIn));
  m.when(io.en, () => accQ.set(y));
  io.acc.set(accQ);
}

export const SpeqPe = defineModule({
  name: 'SpeqPe',
  io: (p: SpeqPeParams) => {
    peDatapath(p);
    return {
      en: input(Bool()),
      clear: input(Bool()),
      draft: input(Bool()),
      init: input(Bits(32)),
      a: input(Vec(Bits(16), DRAFT_LANES)),
      w: input(Bits(16)),
      d: input(Vec(Bits(DRAFT_WEIGHT_BITS), DRAFT_LANES)),
      acc: output(Bits(32)),
    };
  },
  moduleName: (p) => `SpeqPe_${peDatapath(p)}`,
  body: (m, io, p) => {
    const shared = peDatapath(p) === 'shared';
    const a = io.a.elements() as Sig<'bits'>[];
    const d = io.d.elements() as Sig<'bits'>[];
    accumulate(m, io, (accIn) => {
      const verify = macInstance(m, 'mac', a[0], io.w, accIn);
      let draft: Sig<'bits'> = shared ? verify : accIn;
      for (let j = shared ? 1 : 0; j < DRAFT_LANES; j++) draft = m.let(`draft_acc${j + 1}`, draftSlot(m, `draft${j}`, draft, a[j], d[j]));
      return mux(io.draft, draft, verify);
    });
  },
});

export const SpeqPlainPe = defineModule({
  name: 'SpeqPlainPe',
  io: () => ({
    en: input(Bool()),
    clear: input(Bool()),
    init: input(Bits(32)),
    a: input(Bits(16)),
    w: input(Bits(16)),
    acc: output(Bits(32)),
  }),
  body: (m, io) => {
    accumulate(m, io, (accIn) => macInstance(m, 'mac', io.a, io.w, accIn));
  },
});
