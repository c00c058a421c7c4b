import { Bits, defineModule, input, mux, output } from '../../../index.ts';
import { alignAdd } from './align-add.ts';
import { fpFormat, signedWidth, type FpFormatName } from './format.ts';
import { normalizeRoundPack } from './normalize-round.ts';
import { FpPipeline, stageSuffix, withValidPorts } from './pipeline.ts';
import { unpackFp } from './unpack.ts';

export type FpAddParams = {
  readonly format: FpFormatName;
  /** Pipeline registers: 0 (combinational) to 3. */
  readonly stages: number;
};

/** Cut points, best first: after the aligned add, between normalize and round, after unpacking. */
export const FP_ADD_CUTS = ['sum', 'round', 'operands'] as const;

/**
 * y = a + b in one format, RNE, canonical NaN, no flags. A single-path adder: FpAlignAdd aligns
 * the operand with the smaller exponent in a frame of p + 3 bits (guard, round, jammed sticky),
 * adds or subtracts and takes the magnitude; FpNormalize shifts by the leading-zero count (clamped
 * at exponent 1) and FpRoundPack rounds once. An exact zero sum is +0 unless both addends are
 * negative. NaN operand or Inf - Inf -> NaN; one Inf -> that Inf.
 */
export const FpAdd = defineModule({
  name: 'FpAdd',
  io: (p: FpAddParams) => {
    const w = fpFormat(p.format).width;
    return withValidPorts(p.stages, { a: input(Bits(w)), b: input(Bits(w)), y: output(Bits(w)) });
  },
  moduleName: (p) => `FpAdd_${p.format}${stageSuffix(p.stages)}`,
  body: (m, io, p) => {
    const fmt = fpFormat(p.format);
    const pipe = new FpPipeline(m, `FpAdd_${p.format}`, FP_ADD_CUTS, p.stages, p.stages > 0 ? io.in_valid : null);
    const frame = fmt.precision + 3;
    // Exponents: operands in [1, expMax], differences in [-expMax, expMax], the sum's MSB up to
    // expMax + 1, and the normalizer subtracts up to frame + 1.
    const E = signedWidth(-fmt.expMax - frame - 2, fmt.expMax + 2);

    const ops = pipe.cut('operands', { a: io.a.asUInt(), b: io.b.asUInt() });
    const a = unpackFp(m, 'a', fmt, ops.a);
    const b = unpackFp(m, 'b', fmt, ops.b);
    const sum = alignAdd(
      m,
      'add',
      frame,
      { sign: a.sign, exp: a.expEff.zext(E).asSInt(), sig: a.sig, zero: a.isZero },
      { sign: b.sign, exp: b.expEff.zext(E).asSInt(), sig: b.sig },
    );
    const isNaN = m.let('result_nan', a.isNaN.or(b.isNaN).or(a.isInf.and(b.isInf).and(a.sign.xor(b.sign))));
    const isInf = m.let('result_inf', a.isInf.or(b.isInf));
    const sign = m.let('sign', mux(isInf, mux(a.isInf, a.sign, b.sign), sum.sign));
    const zeroSign = m.let('zero_sign', a.sign.and(b.sign));

    const s = pipe.cut('sum', { sum: sum.sum, exp: sum.exp, sign, zeroSign, isNaN, isInf });
    const y = normalizeRoundPack(m, pipe, 'round', p.format, { normalize: true, denormalize: false }, {
      sign: s.sign,
      zeroSign: s.zeroSign,
      isNaN: s.isNaN,
      isInf: s.isInf,
      sig: s.sum,
      exp: s.exp,
    });
    io.y.set(y.asBits());
    if (p.stages > 0) io.out_valid.set(pipe.valid);
  },
});
