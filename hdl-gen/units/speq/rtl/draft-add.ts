import { Bits, UInt, defineModule, input, lit, mux, output } from '../../../index.ts';
import { alignAdd } from '../../fp/rtl/align-add.ts';
import { fpFormat, signedWidth } from '../../fp/rtl/format.ts';
import { leadingZeros } from '../../fp/rtl/lzc.ts';
import { normalizeRoundPack } from '../../fp/rtl/normalize-round.ts';
import { FpPipeline } from '../../fp/rtl/pipeline.ts';
import { unpackFp } from '../../fp/rtl/unpack.ts';
import { DRAFT_WEIGHT_BITS, unpackDraftWeight } from './draft-weight.ts';

/**
 * One draft MAC without a multiplier (golden: `draftMac` in hdl-gen/units/speq/golden/arith.ts):
 *
 *     y = round_fp32(acc + a * d),   a FP16, d = ±2^e or ±0 (a decoded draft weight), acc FP32
 *
 * The product a * 2^e is exact and always an FP32 normal (2^-40 <= |a * 2^e| < 2^32 for e in
 * [-16, 15]), so it is the FP16 activation's significand with an adjusted exponent: the "multiply"
 * is an exponent add. The rest is the FP units' add path, reused block for block from the fused
 * multiply-add (hdl-gen/units/fp/rtl/fp-fma.ts): the 11-bit significand is normalized by its
 * leading-zero count (subnormal activations), FpAlignAdd adds it to acc in a 27-bit frame
 * (max(11 + 1, 24 + 3), see its jamming argument), FpNormalize / FpRoundPack round once (RNE).
 *
 * Exponent convention (FpNormalize's biased MSB exponent, FP32 bias): the product's MSB exponent is
 * expEff(a) - 15 + e + 127 = expEff(a) + e + 112, minus the normalization shift.
 *
 * Special cases exactly as draftMac / mac_f16_f32: NaN operand, Inf * 0, or an Inf product plus an
 * Inf acc of the other sign -> canonical NaN; Inf product -> Inf of the product sign; finite
 * product + Inf acc -> acc. An exact zero sum is +0 unless the product and acc are both negative.
 * (No IEEE flags: like the FP RTL units, the hardware returns the result only.)
 */
export const SpeqDraftAdd = defineModule({
  name: 'SpeqDraftAdd',
  io: () => ({
    acc: input(Bits(32)),
    a: input(Bits(16)),
    d: input(Bits(DRAFT_WEIGHT_BITS)),
    y: output(Bits(32)),
  }),
  body: (m, io) => {
    const f16 = fpFormat('f16');
    const f32 = fpFormat('f32');
    const frame = Math.max(f16.precision + 1, f32.precision + 3);
    const offset = f32.bias - f16.bias;
    const pMin = 1 - 16 + offset - f16.precision; // smallest exponent, after a shift of up to p (zero)
    const pMax = f16.expMax - 1 + 15 + offset;
    const cMax = f32.expMax;
    const E = signedWidth(Math.min(pMin - cMax, 1 - pMax) - frame - 2, Math.max(Math.max(pMax, cMax) + 2, cMax - pMin + frame + 2));

    const pipe = new FpPipeline(m, 'SpeqDraftAdd', ['round'], 0, null);
    const a = unpackFp(m, 'a', f16, io.a);
    const c = unpackFp(m, 'c', f32, io.acc);
    const d = unpackDraftWeight(io.d);
    const productSign = m.let('product_sign', a.sign.xor(d.sign));
    const productZero = m.let('product_zero', a.isZero.or(d.zero));
    const isNaN = m.let('result_nan', a.isNaN.or(c.isNaN).or(a.isInf.and(d.zero)).or(a.isInf.and(c.isInf).and(productSign.xor(c.sign))));
    const isInf = m.let('result_inf', a.isInf.or(c.isInf));
    const infSign = m.let('inf_sign', mux(a.isInf, productSign, c.sign));

    const lz = leadingZeros(m, 'sig_lzc', a.sig);
    // A zero draft weight zeroes the significand (a zero activation already has sig = 0).
    const sigNorm = m.let('product_sig', mux(d.zero, lit(0, UInt(f16.precision)), a.sig.shl(lz)));
    const expRaw = a.expEff.zext(E).asSInt().add(d.exp.sext(E)).add(offset);
    const productExp = m.let('product_exp', expRaw.sub(lz.zext(E).asSInt()));
    const sum = alignAdd(
      m,
      'add',
      frame,
      { sign: productSign, exp: productExp, sig: sigNorm, zero: productZero },
      { sign: c.sign, exp: c.expEff.zext(E).asSInt(), sig: c.sig },
    );
    const y = normalizeRoundPack(m, pipe, 'round', 'f32', { normalize: true, denormalize: false }, {
      sign: m.let('sign', mux(isInf, infSign, sum.sign)),
      zeroSign: m.let('zero_sign', productSign.and(c.sign)),
      isNaN,
      isInf,
      sig: sum.sum,
      exp: sum.exp,
    });
    io.y.set(y.asBits());
  },
});
