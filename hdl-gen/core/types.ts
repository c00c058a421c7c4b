import { fail } from './diagnostics.ts';
import { captureLoc } from './source-location.ts';

/**
 * Hardware types with static widths. Ground types carry a kind (how arithmetic and comparison
 * interpret the bits); vectors and bundles are typed views over one flat bit vector, LSB = element 0 / first field.
 */
export type GroundKind = 'uint' | 'sint' | 'bits' | 'bool';

export class GroundType<K extends GroundKind = GroundKind> {
  readonly tag = 'ground';
  constructor(
    readonly kind: K,
    readonly width: number,
  ) {}
  get signed(): boolean {
    return this.kind === 'sint';
  }
  toString(): string {
    return this.kind === 'bool' ? 'Bool' : `${kindName[this.kind]}<${this.width}>`;
  }
}

const kindName: Record<GroundKind, string> = { uint: 'UInt', sint: 'SInt', bits: 'Bits', bool: 'Bool' };

export class VecType<E extends HwType = HwType> {
  readonly tag = 'vec';
  readonly width: number;
  constructor(
    readonly elem: E,
    readonly length: number,
  ) {
    this.width = elem.width * length;
  }
  toString(): string {
    return `Vec<${this.elem.toString()}, ${this.length}>`;
  }
}

export type BundleFields = Readonly<Record<string, HwType>>;

export class BundleType<F extends BundleFields = BundleFields> {
  readonly tag = 'bundle';
  readonly width: number;
  /** Bit offset of each field; fields are laid out in declaration order from the LSB. */
  readonly offsets: Readonly<Record<string, number>>;
  constructor(readonly fields: F) {
    let off = 0;
    const offsets: Record<string, number> = {};
    for (const [k, t] of Object.entries(fields)) {
      offsets[k] = off;
      off += t.width;
    }
    this.offsets = offsets;
    this.width = off;
  }
  toString(): string {
    return `Bundle{${Object.entries(this.fields)
      .map(([k, t]) => `${k}: ${t.toString()}`)
      .join(', ')}}`;
  }
}

export type HwType = GroundType | VecType<any> | BundleType<any>;

export const MAX_WIDTH = 1 << 16;

function checkWidth(w: number, what: string): number {
  if (!Number.isInteger(w) || w < 1 || w > MAX_WIDTH) {
    fail({
      check: 'type-error',
      loc: captureLoc(),
      message: `${what} width must be an integer from 1 to ${MAX_WIDTH}, got ${w}`,
      help: `pass a whole number of bits, e.g. ${what}(8)`,
    });
  }
  return w;
}

export const UInt = (width: number): GroundType<'uint'> => new GroundType('uint', checkWidth(width, 'UInt'));
export const SInt = (width: number): GroundType<'sint'> => new GroundType('sint', checkWidth(width, 'SInt'));
export const Bits = (width: number): GroundType<'bits'> => new GroundType('bits', checkWidth(width, 'Bits'));
export const Bool = (): GroundType<'bool'> => new GroundType('bool', 1);
export const Vec = <E extends HwType>(elem: E, length: number): VecType<E> => {
  if (!Number.isInteger(length) || length < 1) {
    fail({ check: 'type-error', loc: captureLoc(), message: `Vec length must be a positive integer, got ${length}`, help: 'give the number of elements, e.g. Vec(UInt(8), 4)' });
  }
  return new VecType(elem, length);
};
export const Bundle = <F extends BundleFields>(fields: F): BundleType<F> => {
  if (Object.keys(fields).length === 0) {
    fail({ check: 'type-error', loc: captureLoc(), message: 'a Bundle needs at least one field', help: 'declare the fields, e.g. Bundle({ valid: Bool(), data: UInt(8) })' });
  }
  return new BundleType(fields);
};

export function sameType(a: HwType, b: HwType): boolean {
  return a.toString() === b.toString();
}

/** Bits needed to hold values 0..n-1 (at least 1). */
export function clog2(n: number): number {
  let w = 0;
  while (2 ** w < n) w++;
  return Math.max(w, 1);
}
