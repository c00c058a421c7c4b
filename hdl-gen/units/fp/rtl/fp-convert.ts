import { Bits, SInt, UInt, cat, defineModule, input, lit, mux, output } from '../../../index.ts';
import { fpFormat, signedWidth, type FpFormatName, type FpFormatSpec } from './format.ts';
import { leadingZeros } from './lzc.ts';
import { normalizeRoundPack } from './normalize-round.ts';
import { FpPipeline, stageSuffix, withValidPorts } from './pipeline.ts';
import { canonicalNaN, infinity, signedZero, unpackFp } from './unpack.ts';

export type FpConvertParams = {
  readonly from: FpFormatName;
  readonly to: FpFormatName;
  /** Pipeline registers: 0 (combinational) or 1 (widening); 0 to 2 (narrowing). */
  readonly stages: number;
};

/** Cut points, best first: a widening conversion registers its output; a narrowing one rounds in a second stage. */
export const FP_CONVERT_CUTS = { widen: ['output'], narrow: ['round', 'operands'] } as const;

/** True when every value of `from` is exactly representable in `to`. */
export function isExactConversion(from: FpFormatSpec, to: FpFormatSpec): boolean {
  const fromMinExp = 1 - from.bias - from.fracBits; // exponent of the smallest subnormal
  return to.fracBits >= from.fracBits && to.expMax - 1 - to.bias >= from.expMax - 1 - from.bias && 1 - to.bias - to.fracBits <= fromMinExp;
}

/**
 * Format conversion; NaN -> the canonical NaN of `to`, ±Inf -> ±Inf, ±0 -> ±0.
 * - Exact (widening) conversions: with the same exponent field (bf16 -> f32) the encoding is the
 *   input followed by zero fraction bits; otherwise (f16 -> f32) subnormal inputs are normalized by
 *   a leading-zero count of the significand and the exponent is rebiased.
 * - Narrowing conversions (f32 -> f16, f32 -> bf16) rebias the exponent and round once through
 *   FpNormalize / FpRoundPack (no left normalization: a subnormal f32 input always lands at or
 *   below the target's exponent 1; right shift with sticky only when the target range is smaller).
 */
export const FpConvert = defineModule({
  name: 'FpConvert',
  io: (p: FpConvertParams) => withValidPorts(p.stages, { a: input(Bits(fpFormat(p.from).width)), y: output(Bits(fpFormat(p.to).width)) }),
  moduleName: (p) => `FpConvert_${p.from}_to_${p.to}${stageSuffix(p.stages)}`,
  body: (m, io, p) => {
    const from = fpFormat(p.from);
    const to = fpFormat(p.to);
    const unit = `FpConvert_${p.from}_to_${p.to}`;
    const exact = isExactConversion(from, to);
    const pipe = new FpPipeline(m, unit, exact ? FP_CONVERT_CUTS.widen : FP_CONVERT_CUTS.narrow, p.stages, p.stages > 0 ? io.in_valid : null);
    const rebias = to.bias - from.bias;

    if (exact) {
      const a = unpackFp(m, 'a', from, io.a);
      let y;
      if (to.expBits === from.expBits) {
        y = mux(a.isNaN, canonicalNaN(to), cat(io.a, lit(0, UInt(to.width - from.width))));
      } else {
        const E = signedWidth(1 + rebias - from.precision, from.expMax + rebias);
        const lz = leadingZeros(m, 'lzc', a.sig);
        const sigNorm = m.let('sig_norm', a.sig.shl(lz));
        const exp = m.let('exp', a.expEff.zext(E).asSInt().add(rebias).sub(lz.zext(E).asSInt()));
        const frac = cat(sigNorm.slice(from.precision - 2, 0), lit(0, UInt(to.fracBits - from.fracBits)));
        const finite = cat(a.sign, exp.asUInt().trunc(to.expBits), frac);
        y = mux(a.isNaN, canonicalNaN(to), mux(a.isInf, infinity(to, a.sign), mux(a.isZero, signedZero(to, a.sign), finite)));
      }
      const r = pipe.cut('output', { y });
      io.y.set(r.y.asBits());
    } else {
      if (to.fracBits + 2 > from.precision) throw new Error(`${unit}: narrowing needs a significand of at least ${to.fracBits + 2} bits`);
      if (rebias > 0) throw new Error(`${unit}: a narrowing conversion to a larger exponent range is not supported`);
      const ops = pipe.cut('operands', { a: io.a.asUInt() });
      const a = unpackFp(m, 'a', from, ops.a);
      const eMin = 1 + rebias;
      const eMax = from.expMax + rebias;
      const E = Math.max(signedWidth(eMin - 1, Math.max(eMax, 1 - eMin) + 1), to.expBits + 2);
      const y = normalizeRoundPack(m, pipe, 'round', p.to, { normalize: false, denormalize: eMin < 1 }, {
        sign: a.sign,
        zeroSign: a.sign,
        isNaN: a.isNaN,
        isInf: a.isInf,
        sig: a.sig,
        exp: m.let('exp', a.expEff.zext(E).asSInt().add(lit(rebias, SInt(E)))),
      });
      io.y.set(y.asBits());
    }
    if (p.stages > 0) io.out_valid.set(pipe.valid);
  },
});
