import { Bits, defineModule, input, mux, output, type ModuleBuilder, type Sig } from '../../../index.ts';
import { alignAdd } from './align-add.ts';
import { fpFormat, signedWidth, type FpFormatName } from './format.ts';
import { leadingZeros } from './lzc.ts';
import { normalizeRoundPack } from './normalize-round.ts';
import { FpPipeline, stageSuffix, withValidPorts } from './pipeline.ts';
import { unpackFp } from './unpack.ts';

/** Cut points of a fused multiply-add, best first. */
export const FP_FMA_CUTS = ['product', 'round', 'sum', 'operands'] as const;

export type FusedMulAddParams = {
  /** Format of the multiplicands a, b. */
  readonly mulFormat: FpFormatName;
  /** Format of the addend c and of the result. */
  readonly addFormat: FpFormatName;
  readonly stages: number;
};

/** The ports a fused multiply-add body drives and reads (names differ between FpFma and FpMac). */
export interface FusedMulAddPorts {
  readonly a: Sig;
  readonly b: Sig;
  readonly c: Sig;
  readonly y: { set(v: Sig<'bits'>): void };
  readonly inValid: Sig<'bool'> | null;
  readonly outValid: { set(v: Sig<'bool'>): void } | null;
}

/**
 * round(a * b + c) with a single rounding, a and b in `mulFormat`, c and the result in
 * `addFormat` (FpFma_f16: both f16; FpMac_f16_f32 / FpMac_bf16_f32: f16 or bf16 products
 * accumulated in f32).
 *
 * Datapath: the exact significand product (2p bits) is normalized by its leading-zero count (so it
 * is a normalized operand whatever subnormal inputs did), then FpAlignAdd adds it to c in a frame
 * of max(2p + 1, p_out + 3) bits (see the jamming argument there), and FpNormalize / FpRoundPack
 * round once. The product exponent is expressed in the output format's bias, so the exponents of
 * both addends compare directly; no intermediate value is ever rounded.
 *
 * Special cases (SoftFloat / RISC-V): NaN operand, Inf * 0, or an Inf product plus an Inf c of the
 * other sign -> canonical NaN; Inf product -> Inf of the product sign; finite product + Inf c -> c.
 * An exact zero sum is +0 unless the product and c are both negative.
 */
export function fusedMulAddBody(m: ModuleBuilder, ports: FusedMulAddPorts, p: FusedMulAddParams, unit: string): void {
  const fin = fpFormat(p.mulFormat);
  const fout = fpFormat(p.addFormat);
  const pipe = new FpPipeline(m, unit, FP_FMA_CUTS, p.stages, ports.inValid);
  const prodWidth = 2 * fin.precision;
  const frame = Math.max(prodWidth + 1, fout.precision + 3);
  // Biased (output format) exponent of the product's MSB before normalization.
  const offset = fout.bias - 2 * fin.bias + 1;
  const pMin = 2 + offset - prodWidth; // smallest exponents, after a normalization shift of up to 2p
  const pMax = 2 * (fin.expMax - 1) + offset;
  const cMax = fout.expMax;
  const E = signedWidth(Math.min(pMin - cMax, 1 - pMax) - frame - 2, Math.max(Math.max(pMax, cMax) + 2, cMax - pMin + frame + 2));

  const ops = pipe.cut('operands', { a: ports.a.asUInt(), b: ports.b.asUInt(), c: ports.c.asUInt() });
  const a = unpackFp(m, 'a', fin, ops.a);
  const b = unpackFp(m, 'b', fin, ops.b);
  const c = unpackFp(m, 'c', fout, ops.c);
  const productSign = m.let('product_sign', a.sign.xor(b.sign));
  const productInf = a.isInf.or(b.isInf);
  const invalidProduct = a.isInf.and(b.isZero).or(b.isInf.and(a.isZero));
  const isNaN = m.let('result_nan', a.isNaN.or(b.isNaN).or(c.isNaN).or(invalidProduct).or(productInf.and(c.isInf).and(productSign.xor(c.sign))));
  const isInf = m.let('result_inf', productInf.or(c.isInf));
  const infSign = m.let('inf_sign', mux(productInf, productSign, c.sign));
  const productRaw = m.let('product', a.sig.mulExpand(b.sig));
  const productExpRaw = m.let('product_exp', a.expEff.zext(E).asSInt().add(b.expEff.zext(E).asSInt()).add(offset));

  const s1 = pipe.cut('product', {
    product: productRaw,
    productExp: productExpRaw,
    productSign,
    productZero: a.isZero.or(b.isZero),
    cSign: c.sign,
    cExp: c.expEff.zext(E).asSInt(),
    cSig: c.sig,
    isNaN,
    isInf,
    infSign,
  });
  const lz = leadingZeros(m, 'product_lzc', s1.product);
  const productNorm = m.let('product_norm', s1.product.shl(lz));
  const productExp = m.let('product_exp_norm', s1.productExp.sub(lz.zext(E).asSInt()));
  const sum = alignAdd(
    m,
    'add',
    frame,
    { sign: s1.productSign, exp: productExp, sig: productNorm, zero: s1.productZero },
    { sign: s1.cSign, exp: s1.cExp, sig: s1.cSig },
  );
  const sign = m.let('sign', mux(s1.isInf, s1.infSign, sum.sign));
  const zeroSign = m.let('zero_sign', s1.productSign.and(s1.cSign));

  const s2 = pipe.cut('sum', { sum: sum.sum, exp: sum.exp, sign, zeroSign, isNaN: s1.isNaN, isInf: s1.isInf });
  const y = normalizeRoundPack(m, pipe, 'round', p.addFormat, { normalize: true, denormalize: false }, {
    sign: s2.sign,
    zeroSign: s2.zeroSign,
    isNaN: s2.isNaN,
    isInf: s2.isInf,
    sig: s2.sum,
    exp: s2.exp,
  });
  ports.y.set(y.asBits());
  ports.outValid?.set(pipe.valid);
}

export type FpFmaParams = {
  readonly format: FpFormatName;
  /** Pipeline registers: 0 (combinational) to 4. */
  readonly stages: number;
};

/** y = round(a * b + c), all in one format, single rounding (f16_mulAdd). */
export const FpFma = defineModule({
  name: 'FpFma',
  io: (p: FpFmaParams) => {
    const w = fpFormat(p.format).width;
    return withValidPorts(p.stages, { a: input(Bits(w)), b: input(Bits(w)), c: input(Bits(w)), y: output(Bits(w)) });
  },
  moduleName: (p) => `FpFma_${p.format}${stageSuffix(p.stages)}`,
  body: (m, io, p) => {
    fusedMulAddBody(
      m,
      { a: io.a, b: io.b, c: io.c, y: io.y, inValid: p.stages > 0 ? io.in_valid : null, outValid: p.stages > 0 ? io.out_valid : null },
      { mulFormat: p.format, addFormat: p.format, stages: p.stages },
      `FpFma_${p.format}`,
    );
  },
});
