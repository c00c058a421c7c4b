import { Bits, Bool, SInt, UInt, cat, defineModule, input, lit, mux, output, type ModuleBuilder, type Sig } from '../../../index.ts';
import { fpFormat, type FpFormatName } from './format.ts';
import { leadingZeros, lzcWidth } from './lzc.ts';
import type { FpPipeline } from './pipeline.ts';
import { stickyShiftRight } from './sticky-shift.ts';
import { canonicalNaN, infinity, signedZero } from './unpack.ts';

/**
 * The one normalize + round-to-nearest-even + pack path of every FP unit, in two modules (so a
 * pipeline register can sit between them).
 *
 * Input convention: an unsigned significand `sig` of W bits, an exponent `exp` (SInt, biased in
 * the output format) and a `sticky` bit, meaning
 *
 *     value = (sig + sticky * epsilon) / 2^(W-1) * 2^(exp - bias),   0 < epsilon < 1
 *
 * i.e. `exp` is the biased exponent the result would have if sig's MSB were its leading one, and
 * `sticky` says that non-zero bits exist below sig's LSB.
 *
 * FpNormalize moves the leading one to the MSB (left shift by the leading-zero count, clamped so
 * the exponent does not go below 1: subnormal results) and, for exponents below 1, shifts right
 * instead (jamming the lost bits into the sticky bit). It outputs the precision bits plus a guard
 * bit, the sticky bit and the exponent (>= 1; 1 with a clear hidden bit means subnormal).
 * Units that know their significand is already normalized, or their exponent never below 1, turn
 * the left (`normalize`) or right (`denormalize`) shifter off.
 *
 * FpRoundPack rounds to nearest even and packs: encoding = ((exp - 1) << fracBits) + rounded
 * significand (hidden bit included), so a carry out of the significand, including subnormal ->
 * normal, moves into the exponent field by plain addition, and a carry into the all-ones exponent
 * gives exactly the Inf encoding. Exponents >= expMax overflow to Inf. It also applies the unit's
 * special cases: NaN (canonical quiet NaN) before Inf before exact zero.
 */
export type FpNormalizeParams = {
  readonly format: FpFormatName;
  readonly sigWidth: number;
  readonly expWidth: number;
  /** Left-normalize by a leading-zero count (off: sig's MSB is 1 whenever exp > 1). */
  readonly normalize: boolean;
  /** Right-shift when exp < 1 (off: exp is never below 1). */
  readonly denormalize: boolean;
};

export const FpNormalize = defineModule({
  name: 'FpNormalize',
  io: (p: FpNormalizeParams) => {
    const f = fpFormat(p.format).fracBits;
    return {
      sig: input(UInt(p.sigWidth)),
      exp: input(SInt(p.expWidth)),
      sticky: input(Bool()),
      norm_mant: output(UInt(f + 2)),
      norm_exp: output(SInt(p.expWidth)),
      norm_sticky: output(Bool()),
      is_zero: output(Bool()),
    };
  },
  moduleName: (p) => `FpNormalize_${p.format}_w${p.sigWidth}_e${p.expWidth}${p.normalize ? '_l' : ''}${p.denormalize ? '_r' : ''}`,
  body: (m, io, p) => {
    const fmt = fpFormat(p.format);
    const f = fmt.fracBits;
    const W = p.sigWidth;
    const E = p.expWidth;
    if (W < f + 2) throw new Error(`FpNormalize: sigWidth ${W} is below fracBits + 2 = ${f + 2}`);
    if (E < fmt.expBits + 2) throw new Error(`FpNormalize: expWidth ${E} is below expBits + 2 = ${fmt.expBits + 2}`);
    let sig: Sig<'uint'> = io.sig;
    let exp: Sig<'sint'> = io.exp;
    let sticky: Sig<'bool'> = io.sticky;

    if (p.normalize) {
      const lw = lzcWidth(W);
      if (E <= lw) throw new Error(`FpNormalize: expWidth ${E} cannot hold a shift of up to ${W}`);
      const lz = leadingZeros(m, 'lzc', io.sig).zext(E).asSInt();
      const expM1 = m.let('exp_m1', io.exp.sub(1));
      // Shift by the leading-zero count, but never below exponent 1 (the result is then subnormal).
      const full = expM1.ge(lz);
      const shiftS = m.let('lshift_s', mux(full, lz, mux(expM1.gt(0), expM1, lit(0, SInt(E)))));
      const shift = shiftS.asUInt().trunc(lw);
      sig = m.let('sig_l', io.sig.shl(shift));
      exp = m.let('exp_l', io.exp.sub(shiftS));
    }
    if (p.denormalize) {
      const under = m.let('under', io.exp.lt(1));
      const amount = m.let('rshift', lit(1, SInt(E)).sub(io.exp).asUInt());
      const r = stickyShiftRight(m, 'denorm', io.sig, amount);
      sig = mux(under, r.y, sig);
      exp = mux(under, lit(1, SInt(E)), exp);
      sticky = sticky.or(under.and(r.sticky));
    }
    const below = W - 3 - f; // bits under the guard bit
    io.norm_mant.set(sig.slice(W - 1, W - 2 - f));
    io.norm_sticky.set(below >= 0 ? sticky.or(sig.slice(below, 0).orR()) : sticky);
    io.norm_exp.set(exp);
    io.is_zero.set(io.sig.orR().or(io.sticky).not());
  },
});

export type FpRoundPackParams = {
  readonly format: FpFormatName;
  readonly expWidth: number;
};

export const FpRoundPack = defineModule({
  name: 'FpRoundPack',
  io: (p: FpRoundPackParams) => {
    const fmt = fpFormat(p.format);
    return {
      sign: input(Bool()),
      zero_sign: input(Bool()),
      is_nan: input(Bool()),
      is_inf: input(Bool()),
      is_zero: input(Bool()),
      norm_mant: input(UInt(fmt.fracBits + 2)),
      norm_exp: input(SInt(p.expWidth)),
      norm_sticky: input(Bool()),
      y: output(Bits(fmt.width)),
    };
  },
  moduleName: (p) => `FpRoundPack_${p.format}_e${p.expWidth}`,
  body: (m, io, p) => {
    const fmt = fpFormat(p.format);
    const f = fmt.fracBits;
    const mant = io.norm_mant.slice(f + 1, 1);
    const guard = io.norm_mant.bit(0);
    const roundUp = m.let('round_up', guard.and(io.norm_sticky.or(mant.bit(0))));
    const rounded = m.let('mant_rounded', mant.zext(f + 2).add(roundUp.asUInt().zext(f + 2)));
    const overflow = m.let('overflow', io.norm_exp.ge(fmt.expMax));
    const expM1 = io.norm_exp.sub(1).asUInt().trunc(fmt.expBits);
    const magnitude = m.let('magnitude', cat(expM1, lit(0, UInt(f))).add(rounded.zext(fmt.width - 1)));
    const finite = cat(io.sign, magnitude);
    const y = mux(io.is_nan, canonicalNaN(fmt), mux(io.is_inf.or(overflow), infinity(fmt, io.sign), mux(io.is_zero, signedZero(fmt, io.zero_sign), finite)));
    io.y.set(y.asBits());
  },
});

/** What a unit hands to the shared normalize/round path. */
export interface RoundRequest {
  /** Sign of a finite non-zero result (and of Inf). */
  readonly sign: Sig<'bool'>;
  /** Sign when the exact result is zero (sig = 0, sticky = 0). */
  readonly zeroSign: Sig<'bool'>;
  readonly isNaN: Sig<'bool'>;
  readonly isInf: Sig<'bool'>;
  readonly sig: Sig<'uint'>;
  readonly exp: Sig<'sint'>;
  readonly sticky?: Sig<'bool'>;
}

/**
 * Instantiates FpNormalize (`<name>_norm`) and FpRoundPack (`<name>_pack`) with the pipeline cut
 * `cut` between them; returns the encoded result (format width, UInt).
 */
export function normalizeRoundPack(
  m: ModuleBuilder,
  pipe: FpPipeline,
  cut: string,
  format: FpFormatName,
  opts: { normalize: boolean; denormalize: boolean },
  r: RoundRequest,
): Sig<'uint'> {
  const norm = m.instance('normalize', FpNormalize, { format, sigWidth: r.sig.width, expWidth: r.exp.width, ...opts });
  norm.io.sig.set(r.sig);
  norm.io.exp.set(r.exp);
  norm.io.sticky.set(r.sticky ?? false);
  const s = pipe.cut(cut, {
    sign: r.sign,
    zero_sign: r.zeroSign,
    is_nan: r.isNaN,
    is_inf: r.isInf,
    is_zero: norm.io.is_zero,
    mant: norm.io.norm_mant,
    exp: norm.io.norm_exp,
    sticky: norm.io.norm_sticky,
  });
  const pack = m.instance('round', FpRoundPack, { format, expWidth: r.exp.width });
  pack.io.sign.set(s.sign);
  pack.io.zero_sign.set(s.zero_sign);
  pack.io.is_nan.set(s.is_nan);
  pack.io.is_inf.set(s.is_inf);
  pack.io.is_zero.set(s.is_zero);
  pack.io.norm_mant.set(s.mant);
  pack.io.norm_exp.set(s.exp);
  pack.io.norm_sticky.set(s.sticky);
  return pack.io.y.asUInt();
}
