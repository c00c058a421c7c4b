import { expect } from 'vitest';
import type { IrDesign } from '../../../../../hdl-gen/ir/ir.ts';
import { FP_FORMATS, type FpFormatName, type FpFormatSpec } from '../../../../../hdl-gen/units/fp/rtl/format.ts';
import { goldenFn } from '../../../../../verif/fp/golden-ops.ts';
import { IrSimulator } from '../../../../../verif/sim/ir-simulator.ts';
import { RTL_FP_OPS, type RtlFpOpName } from '../../../../../verif/fp/rtl-ops.ts';
import type { FpRtlRunner } from '../../../../../verif/fp/run-rtl.ts';
import { seededRandom, type SeededRandom } from '../../../../../verif/random.ts';
import { readAllVectors } from '../../../../../verif/vectors/read-vector-file.ts';
import { findSharedVectorsDir, listVectorFiles, sharedVectorsPath, vectorFileOpName } from '../../../../../verif/vectors/shared-vectors.ts';

/** Operand columns: columns[k][i] = operand k of vector i. */
export type Columns = number[][];

export const hex = (v: number, width: number): string => v.toString(16).toUpperCase().padStart(Math.ceil(width / 4), '0');

/** Operand formats of each op, in operand order (for corner and random operand generation). */
export const OPERAND_FORMATS: Readonly<Record<RtlFpOpName, readonly FpFormatName[]>> = {
  f16_mul: ['f16', 'f16'],
  f32_mul: ['f32', 'f32'],
  f16_add: ['f16', 'f16'],
  f32_add: ['f32', 'f32'],
  f16_mulAdd: ['f16', 'f16', 'f16'],
  f16_to_f32: ['f16'],
  bf16_to_f32: ['bf16'],
  f32_to_f16: ['f32'],
  f32_to_bf16: ['f32'],
  mac_f16_f32: ['f16', 'f16', 'f32'],
  mac_bf16_f32: ['bf16', 'bf16', 'f32'],
};

/**
 * The shared TestFloat files of an op. Fails (never skips) when ../shared/vectors is missing, or
 * when it has no file for an op that TestFloat covers.
 */
export function testfloatFiles(op: RtlFpOpName): string[] {
  const dir = findSharedVectorsDir();
  if (!dir) throw new Error(`shared test vectors not found at ${sharedVectorsPath()}: the FP RTL tests need ../shared/vectors/testfloat (TestFloat reference vectors)`);
  const files = listVectorFiles(dir, 'testfloat').filter((f) => vectorFileOpName(f) === op);
  if (files.length === 0) throw new Error(`no TestFloat file for ${op} in ${dir}/testfloat`);
  return files;
}

export interface VectorSet {
  readonly label: string;
  readonly columns: Columns;
  /** Expected result of each vector. */
  readonly expected: number[];
  /** Where vector i comes from (file line), for messages. */
  readonly where: (i: number) => string;
}

export async function loadTestfloat(op: RtlFpOpName, file: string): Promise<VectorSet> {
  const o = RTL_FP_OPS[op];
  const cases = await readAllVectors(file, { name: op, arity: o.inputs.length, operandWidths: o.operandWidths, resultWidth: o.resultWidth });
  return {
    label: file.split('/').pop()!,
    columns: o.inputs.map((_, k) => cases.map((c) => c.operands[k])),
    expected: cases.map((c) => c.result),
    where: (i) => `${file.split('/').pop()}:${cases[i].line}`,
  };
}

/** Expected results from the golden model. */
export function goldenSet(op: RtlFpOpName, label: string, columns: Columns): VectorSet {
  const fn = goldenFn(op);
  const n = columns[0].length;
  const expected = new Array<number>(n);
  const v = new Array<number>(columns.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < columns.length; k++) v[k] = columns[k][i];
    expected[i] = fn(v).bits;
  }
  return { label, columns, expected, where: (i) => `${label} #${i}` };
}

/** Runs a vector set through `runner` and expects every result bit-exact (lists the first 8 mismatches). */
export async function expectRtlMatches(runner: FpRtlRunner, set: VectorSet): Promise<void> {
  const o = runner.op;
  const got = await runner.run(set.columns);
  expect(got.length).toBe(set.expected.length);
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < got.length; i++) {
    if (got[i] === set.expected[i]) continue;
    count++;
    if (bad.length < 8) {
      const ops = set.columns.map((c, k) => hex(c[i], o.operandWidths[k])).join(' ');
      bad.push(`${set.where(i)}: ${o.name} ${ops}: expected ${hex(set.expected[i], o.resultWidth)}, ${runner.top} gave ${hex(got[i], o.resultWidth)}`);
    }
  }
  expect({ set: set.label, vectors: got.length, mismatches: count, first: bad }).toEqual({ set: set.label, vectors: got.length, mismatches: 0, first: [] });
}

/**
 * Corner encodings of a format: both signs of zero, the smallest, a middle and the largest
 * subnormal, the smallest normal, 1 and its neighbours, a rounding-sensitive pattern, the
 * largest finite, Inf, the canonical quiet NaN, a quiet NaN with payload and two signaling NaNs.
 */
export function cornerValues(name: FpFormatName): number[] {
  const f: FpFormatSpec = FP_FORMATS[name];
  const H = 2 ** f.fracBits;
  const enc = (e: number, frac: number) => e * H + frac;
  const one = enc(f.bias, 0);
  const positive = [
    0,
    1,
    H / 2 + 1,
    H - 1,
    enc(1, 0),
    enc(1, H - 1),
    one - 1,
    one,
    one + 1,
    enc(f.bias + 1, H / 2 + 3),
    enc(f.expMax - 1, H - 1),
    enc(f.expMax, 0),
  ];
  const nans = [f.canonicalNaN, f.canonicalNaN + 5, enc(f.expMax, 1), enc(f.expMax, H / 4 + 3)];
  const sign = 2 ** (f.width - 1);
  return [...positive, ...positive.map((v) => v + sign), ...nans, ...nans.map((v) => v + sign)];
}

/** Every combination of the corner values of the op's operand formats. */
export function cornerColumns(op: RtlFpOpName): Columns {
  const lists = OPERAND_FORMATS[op].map(cornerValues);
  const columns: Columns = lists.map(() => []);
  const rec = (k: number, picked: number[]) => {
    if (k === lists.length) {
      picked.forEach((v, j) => columns[j].push(v));
      return;
    }
    for (const v of lists[k]) rec(k + 1, [...picked, v]);
  };
  rec(0, []);
  return columns;
}

/**
 * A random operand biased toward the interesting classes: zeros, subnormals, Inf/NaN, extreme and
 * near-equal exponents, and fraction patterns at rounding boundaries.
 */
export function randomOperand(rng: SeededRandom, name: FpFormatName): number {
  const f = FP_FORMATS[name];
  const H = 2 ** f.fracBits;
  const r = rng.below(16);
  let e: number;
  if (r === 0) e = 0;
  else if (r < 3) e = rng.pick([0, 1, 2]);
  else if (r === 3) e = f.expMax;
  else if (r < 6) e = rng.pick([f.expMax - 1, f.expMax - 2, f.bias, f.bias + 1, f.bias - 1]);
  else e = rng.below(f.expMax);
  let frac = rng.below(H);
  if (rng.below(6) === 0) frac = rng.pick([0, 1, H - 1, H / 2, H / 2 - 1, H / 2 + 1, H - 2]);
  if (e === 0 && r === 0) frac = rng.chance(0.5) ? 0 : frac;
  return rng.below(2) * 2 ** (f.width - 1) + e * H + frac;
}

/** `n` random vectors for `op`; for three-operand ops a quarter put the addend next to -(a*b) (cancellation). */
export function randomColumns(op: RtlFpOpName, n: number, rng: SeededRandom): Columns {
  const fmts = OPERAND_FORMATS[op];
  const columns: Columns = fmts.map(() => new Array<number>(n));
  const product = fmts.length === 3 ? nearProduct(op) : null;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < fmts.length; k++) columns[k][i] = randomOperand(rng, fmts[k]);
    if (product && rng.below(4) === 0) columns[2][i] = product(columns[0][i], columns[1][i], rng);
  }
  return columns;
}

/** An addend close to -(a*b) in the addend's format: the rounded product, negated, moved by a few ulps. */
function nearProduct(op: RtlFpOpName): (a: number, b: number, rng: SeededRandom) => number {
  const fn = goldenFn(op);
  const cf = FP_FORMATS[OPERAND_FORMATS[op][2]];
  const size = 2 ** cf.width;
  return (a, b, rng) => {
    const p = fn([a, b, 0]).bits; // round(a*b + 0): the product in the addend's format
    const negated = (p + size / 2) % size;
    return (((negated + rng.range(-3, 3)) % size) + size) % size;
  };
}

export function rng(label: string): SeededRandom {
  return seededRandom(label);
}

/**
 * Checks a generator variant that has no entry in RTL_FP_OPS (e.g. FpMul for bf16) through the IR
 * simulator against a golden function; returns the mismatches (empty when bit-exact).
 */
export function irMismatches(
  design: IrDesign,
  inputs: readonly string[],
  columns: Columns,
  golden: (operands: number[]) => number,
  width: number,
): string[] {
  const sim = new IrSimulator(design);
  const bad: string[] = [];
  const v = new Array<number>(inputs.length);
  for (let i = 0; i < columns[0].length; i++) {
    for (let k = 0; k < inputs.length; k++) {
      v[k] = columns[k][i];
      sim.poke(inputs[k], v[k]);
    }
    const y = sim.peekNumber('y');
    const g = golden(v);
    if (y !== g && bad.length < 8) bad.push(`${v.map((x) => hex(x, width)).join(' ')}: expected ${hex(g, width)}, got ${hex(y, width)}`);
  }
  return bad;
}

/** Corner combinations and random vectors over operand formats (for irMismatches). */
export function cornerAndRandom(formats: readonly FpFormatName[], n: number, r: SeededRandom): Columns {
  const lists = formats.map(cornerValues);
  const columns: Columns = formats.map(() => []);
  const rec = (k: number, picked: number[]) => {
    if (k === lists.length) return picked.forEach((x, j) => columns[j].push(x));
    for (const x of lists[k]) rec(k + 1, [...picked, x]);
  };
  rec(0, []);
  for (let i = 0; i < n; i++) formats.forEach((f, k) => columns[k].push(randomOperand(r, f)));
  return columns;
}
