import { Bits, defineModule, input, output } from '../../../index.ts';
import { fpFormat, signedWidth, type FpFormatName } from './format.ts';
import { normalizeRoundPack } from './normalize-round.ts';
import { FpPipeline, stageSuffix, withValidPorts } from './pipeline.ts';
import { unpackFp } from './unpack.ts';

export type FpMulParams = {
  readonly format: FpFormatName;
  /** Pipeline registers: 0 (combinational) to 3. */
  readonly stages: number;
};

/** Cut points, best first: after the multiplier, between normalize and round, after unpacking. */
export const FP_MUL_CUTS = ['product', 'round', 'operands'] as const;

/**
 * y = a * b in one format, RNE, canonical NaN, no flags.
 *
 * The exact product of the two significands (2p bits: 22 for f16, 48 for f32) has the biased
 * exponent expA + expB - bias + 1 at its MSB (subnormal operands use exponent 1 and simply leave
 * leading zeros). FpNormalize left-shifts by the leading-zero count, or right-shifts with sticky
 * when the exponent is below 1 (subnormal or underflowing results), then FpRoundPack rounds once.
 * Special cases: NaN operand or Inf * 0 -> NaN; Inf operand -> Inf; the sign is always signA ^ signB.
 */
export const FpMul = defineModule({
  name: 'FpMul',
  io: (p: FpMulParams) => {
    const w = fpFormat(p.format).width;
    return withValidPorts(p.stages, { a: input(Bits(w)), b: input(Bits(w)), y: output(Bits(w)) });
  },
  moduleName: (p) => `FpMul_${p.format}${stageSuffix(p.stages)}`,
  body: (m, io, p) => {
    const fmt = fpFormat(p.format);
    const pipe = new FpPipeline(m, `FpMul_${p.format}`, FP_MUL_CUTS, p.stages, p.stages > 0 ? io.in_valid : null);
    // Exponent of the product's MSB: [2 + 1 - bias, 2 * (expMax - 1) + 1 - bias]; the normalizer
    // also forms 1 - exp and exp - 1.
    const eMin = 3 - fmt.bias;
    const eMax = 2 * (fmt.expMax - 1) + 1 - fmt.bias;
    const E = signedWidth(eMin - 1, Math.max(eMax, 1 - eMin) + 1);

    const ops = pipe.cut('operands', { a: io.a.asUInt(), b: io.b.asUInt() });
    const a = unpackFp(m, 'a', fmt, ops.a);
    const b = unpackFp(m, 'b', fmt, ops.b);
    const product = m.let('product', a.sig.mulExpand(b.sig));
    const exp = m.let('product_exp', a.expEff.zext(E).asSInt().add(b.expEff.zext(E).asSInt()).sub(fmt.bias - 1));
    const sign = m.let('sign', a.sign.xor(b.sign));
    const isNaN = m.let('result_nan', a.isNaN.or(b.isNaN).or(a.isInf.and(b.isZero)).or(b.isInf.and(a.isZero)));
    const isInf = m.let('result_inf', a.isInf.or(b.isInf));

    const s = pipe.cut('product', { product, exp, sign, isNaN, isInf });
    const y = normalizeRoundPack(m, pipe, 'round', p.format, { normalize: true, denormalize: true }, {
      sign: s.sign,
      zeroSign: s.sign,
      isNaN: s.isNaN,
      isInf: s.isInf,
      sig: s.product,
      exp: s.exp,
    });
    io.y.set(y.asBits());
    if (p.stages > 0) io.out_valid.set(pipe.valid);
  },
});

