import { Bool, SInt, UInt, cat, defineModule, input, lit, mux, output, type ModuleBuilder, type Sig } from '../../../index.ts';
import { stickyShiftRight } from './sticky-shift.ts';

/**
 * Exact-enough addition of two signed-magnitude operands for a single rounding afterwards:
 * x = sig_x / 2^(wx-1) * 2^exp_x and y likewise (exponents are biased MSB exponents, as in
 * FpNormalize).
 *
 * Both significands are placed at the top of a frame of `frameWidth` bits. The one with the larger
 * exponent stays (ties: x; `x_zero` forces y to stay, so a zero x never pushes y out); the other
 * is shifted right by the exponent difference, and every bit falling off the frame is OR-ed into
 * the frame LSB ("jamming"). Then one adder forms top +/- bottom in frameWidth + 1 bits and a
 * negative difference is negated, so `sum` is the magnitude, `sum_sign` its sign and `sum_exp` the
 * biased exponent of sum's MSB.
 *
 * Why the jammed sum rounds like the exact one (p = output precision, g = frame LSB): the top
 * operand sits on a multiple of 2g (frameWidth >= its width + 1). Jamming moves the bottom operand
 * to the odd multiple of g inside the same open interval (2kg, 2kg + 2g), so the sum stays inside
 * the same interval between multiples of 2g. Rounding boundaries (representable values and
 * midpoints) are multiples of 2g whenever the result's ulp is >= 4g, which holds when jamming
 * happens: either the top operand is normalized (MSB set) and the shift is >= 2, so the result is
 * > 2^(frameWidth-2) g and its ulp >= 2^(frameWidth-1-p) g >= 4g for frameWidth >= p + 3; or the
 * top operand is a subnormal/zero of the output format, whose LSB (the smallest ulp there is) is
 * >= 2^3 g. Callers therefore pass a normalized x or an x of the output format, a y of the output
 * format, and frameWidth >= max(width + 1, p + 3); a shift of 1 never jams (frameWidth >= width + 1).
 */
export type FpAlignAddParams = {
  readonly xWidth: number;
  readonly yWidth: number;
  readonly expWidth: number;
  readonly frameWidth: number;
};

export const FpAlignAdd = defineModule({
  name: 'FpAlignAdd',
  io: (p: FpAlignAddParams) => ({
    x_sign: input(Bool()),
    x_exp: input(SInt(p.expWidth)),
    x_sig: input(UInt(p.xWidth)),
    x_zero: input(Bool()),
    y_sign: input(Bool()),
    y_exp: input(SInt(p.expWidth)),
    y_sig: input(UInt(p.yWidth)),
    sum: output(UInt(p.frameWidth + 1)),
    sum_sign: output(Bool()),
    sum_exp: output(SInt(p.expWidth)),
  }),
  moduleName: (p) => `FpAlignAdd_x${p.xWidth}_y${p.yWidth}_f${p.frameWidth}_e${p.expWidth}`,
  body: (m, io, p) => {
    const F = p.frameWidth;
    if (F < Math.max(p.xWidth, p.yWidth) + 1) throw new Error(`FpAlignAdd: frameWidth ${F} must exceed both operand widths`);
    const place = (s: Sig<'uint'>) => (s.width < F ? cat(s, lit(0, UInt(F - s.width))) : s);
    const diff = m.let('exp_diff', io.x_exp.sub(io.y_exp));
    const yTop = m.let('y_on_top', diff.lt(0).or(io.x_zero));
    const top = m.let('top', mux(yTop, place(io.y_sig), place(io.x_sig)));
    const bottom = mux(yTop, place(io.x_sig), place(io.y_sig));
    const distance = m.let('align_shift', mux(yTop, lit(0, SInt(p.expWidth)).sub(diff), diff).asUInt());
    const aligned = stickyShiftRight(m, 'align', bottom, distance);
    const jammed = m.let('bottom', cat(aligned.y.slice(F - 1, 1), aligned.y.bit(0).or(aligned.sticky)));

    // top + bottom, or top - bottom as top + ~bottom + 1 (the +1 enters as the carry into an extra LSB).
    const subtract = m.let('subtract', io.x_sign.xor(io.y_sign));
    const wide = cat(lit(0, UInt(1)), top, lit(1, UInt(1)));
    const other = cat(subtract, mux(subtract, jammed.not(), jammed), subtract);
    const raw = m.let('raw_sum', wide.add(other).slice(F + 1, 1));
    const negative = m.let('negative', subtract.and(raw.bit(F)));
    io.sum.set(mux(negative, lit(0, UInt(F + 1)).sub(raw), raw));
    io.sum_sign.set(mux(yTop, io.y_sign, io.x_sign).xor(negative));
    io.sum_exp.set(mux(yTop, io.y_exp, io.x_exp).add(1));
  },
});

/** Instantiates FpAlignAdd as `name`. */
export function alignAdd(
  m: ModuleBuilder,
  name: string,
  frameWidth: number,
  x: { sign: Sig<'bool'>; exp: Sig<'sint'>; sig: Sig<'uint'>; zero: Sig<'bool'> },
  y: { sign: Sig<'bool'>; exp: Sig<'sint'>; sig: Sig<'uint'> },
): { sum: Sig<'uint'>; sign: Sig<'bool'>; exp: Sig<'sint'> } {
  if (x.exp.width !== y.exp.width) throw new Error(`alignAdd: exponent widths differ (${x.exp.width}, ${y.exp.width})`);
  const u = m.instance(name, FpAlignAdd, { xWidth: x.sig.width, yWidth: y.sig.width, expWidth: x.exp.width, frameWidth });
  u.io.x_sign.set(x.sign);
  u.io.x_exp.set(x.exp);
  u.io.x_sig.set(x.sig);
  u.io.x_zero.set(x.zero);
  u.io.y_sign.set(y.sign);
  u.io.y_exp.set(y.exp);
  u.io.y_sig.set(y.sig);
  return { sum: u.io.sum, sign: u.io.sum_sign, exp: u.io.sum_exp };
}
