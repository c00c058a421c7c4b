import { UInt, cat, lit, type ModuleBuilder, type Sig } from '../../../index.ts';
import type { FpFormatSpec } from './format.ts';

/**
 * Field extraction and classification of one floating-point operand. Every property is a named
 * wire (`<prefix>_<what>`), created on first use only, so a unit's SV declares just what it reads.
 *
 * Conventions shared by every unit:
 * - `sig` is the significand with its hidden bit (precision bits): frac, plus 2^fracBits unless the
 *   exponent field is 0 (zero / subnormal);
 * - `expEff` is the exponent field, or 1 when the field is 0, so that the value of every finite
 *   operand is sig * 2^(expEff - bias - fracBits) (subnormals share the exponent of the smallest normal).
 */
export class FpUnpacked {
  private readonly memo = new Map<string, Sig>();
  private readonly bits: Sig<'uint'>;

  constructor(
    private readonly m: ModuleBuilder,
    readonly prefix: string,
    readonly fmt: FpFormatSpec,
    x: Sig,
  ) {
    if (x.width !== fmt.width) throw new Error(`unpack ${prefix}: a ${fmt.name} operand is ${fmt.width} bits, got ${x.width}`);
    this.bits = x.asUInt();
  }

  private named<K extends 'uint' | 'bool'>(what: string, make: () => Sig<K>): Sig<K> {
    let s = this.memo.get(what);
    if (!s) {
      s = this.m.let(`${this.prefix}_${what}`, make());
      this.memo.set(what, s);
    }
    return s as Sig<K>;
  }

  get sign(): Sig<'bool'> {
    return this.named('sign', () => this.bits.bit(this.fmt.width - 1));
  }
  get expField(): Sig<'uint'> {
    return this.named('exp', () => this.bits.slice(this.fmt.width - 2, this.fmt.fracBits));
  }
  get frac(): Sig<'uint'> {
    return this.named('frac', () => this.bits.slice(this.fmt.fracBits - 1, 0));
  }
  /** Magnitude bits (everything but the sign): ordered like the absolute value for non-NaN operands. */
  get magnitude(): Sig<'uint'> {
    return this.bits.slice(this.fmt.width - 2, 0);
  }
  get expZero(): Sig<'bool'> {
    return this.named('exp_zero', () => this.expField.eq(0));
  }
  get expOnes(): Sig<'bool'> {
    return this.named('exp_ones', () => this.expField.andR());
  }
  get fracZero(): Sig<'bool'> {
    return this.named('frac_zero', () => this.frac.eq(0));
  }
  get isZero(): Sig<'bool'> {
    return this.named('is_zero', () => this.expZero.and(this.fracZero));
  }
  get isSubnormal(): Sig<'bool'> {
    return this.named('is_sub', () => this.expZero.and(this.fracZero.not()));
  }
  get isInf(): Sig<'bool'> {
    return this.named('is_inf', () => this.expOnes.and(this.fracZero));
  }
  get isNaN(): Sig<'bool'> {
    return this.named('is_nan', () => this.expOnes.and(this.fracZero.not()));
  }
  /** Hidden bit + fraction (precision bits). */
  get sig(): Sig<'uint'> {
    return this.named('sig', () => cat(this.expZero.not(), this.frac));
  }
  /** Exponent field with 0 read as 1 (expBits bits). */
  get expEff(): Sig<'uint'> {
    const hi = this.fmt.expBits - 1;
    return this.named('exp_eff', () => cat(this.expField.slice(hi, 1), this.expField.bit(0).or(this.expZero)));
  }
}

export function unpackFp(m: ModuleBuilder, prefix: string, fmt: FpFormatSpec, x: Sig): FpUnpacked {
  return new FpUnpacked(m, prefix, fmt, x);
}

/** The canonical quiet NaN of `fmt` as a literal of its width. */
export function canonicalNaN(fmt: FpFormatSpec): Sig<'uint'> {
  return lit(fmt.canonicalNaN, UInt(fmt.width));
}

/** ±Infinity of `fmt` for a sign bit. */
export function infinity(fmt: FpFormatSpec, sign: Sig<'bool'>): Sig<'uint'> {
  return cat(sign, lit(fmt.expMax, UInt(fmt.expBits)), lit(0, UInt(fmt.fracBits)));
}

/** ±0 of `fmt` for a sign bit. */
export function signedZero(fmt: FpFormatSpec, sign: Sig<'bool'>): Sig<'uint'> {
  return cat(sign, lit(0, UInt(fmt.width - 1)));
}

