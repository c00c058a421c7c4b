import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { f16_add, f32_add } from '../../../../../hdl-gen/units/fp/golden/add.ts';
import { f16_to_f32 } from '../../../../../hdl-gen/units/fp/golden/convert.ts';
import { f16_mulAdd } from '../../../../../hdl-gen/units/fp/golden/fma.ts';
import { mac_f16_f32 } from '../../../../../hdl-gen/units/fp/golden/mac.ts';
import { f16_mul } from '../../../../../hdl-gen/units/fp/golden/mul.ts';
import { FP_OPS, type FpOpName, isFpOpName } from '../../../../../hdl-gen/units/fp/golden/ops.ts';
import { readVectorFile } from '../../../../../verif/vectors/read-vector-file.ts';
import {
  findSharedVectorsDir,
  listVectorFiles,
  sharedVectorsPath,
  vectorFileOpName,
} from '../../../../../verif/vectors/shared-vectors.ts';
import { hex } from './golden-test-support.ts';

describe('FP_OPS table', () => {
  it('describes every operation consistently', () => {
    for (const [name, spec] of Object.entries(FP_OPS)) {
      expect(spec.name).toBe(name);
      expect(spec.operandWidths).toHaveLength(spec.arity);
      expect(isFpOpName(name)).toBe(true);
    }
    expect(isFpOpName('f64_mul')).toBe(false);
    expect(isFpOpName('toString')).toBe(false);
  });
  it('dispatches to the golden functions with the documented operand order', () => {
    expect(FP_OPS.f16_mul.fn([0x4000, 0x4200])).toEqual(f16_mul(0x4000, 0x4200));
    expect(FP_OPS.f16_add.fn([0x4000, 0x0001])).toEqual(f16_add(0x4000, 0x0001));
    expect(FP_OPS.f32_add.fn([0x3f800000, 0x00000001])).toEqual(f32_add(0x3f800000, 0x00000001));
    expect(FP_OPS.f16_to_f32.fn([0x0001])).toEqual(f16_to_f32(0x0001));
    // f16_mulAdd: a b c = a*b + c
    expect(FP_OPS.f16_mulAdd.fn([0x4000, 0x4200, 0x3c00])).toEqual(f16_mulAdd(0x4000, 0x4200, 0x3c00));
    expect(FP_OPS.f16_mulAdd.fn([0x4000, 0x4200, 0x3c00]).bits).toBe(0x4700); // 2*3 + 1 = 7
    // mac_f16_f32: a b acc (binary16, binary16, binary32) = acc + a*b
    expect(FP_OPS.mac_f16_f32.operandWidths).toEqual([16, 16, 32]);
    expect(FP_OPS.mac_f16_f32.fn([0x4000, 0x4200, 0x3f800000])).toEqual(mac_f16_f32(0x4000, 0x4200, 0x3f800000));
    expect(FP_OPS.mac_f16_f32.fn([0x4000, 0x4200, 0x3f800000]).bits).toBe(0x40e00000);
  });
});

/** Case counts listed in ../shared/vectors/README.md (guards against truncated or swapped files). */
const EXPECTED_CASES: Partial<Record<FpOpName, number>> = {
  f16_mul: 46_464,
  f16_add: 46_464,
  f16_mulAdd: 204_442,
  f32_add: 46_464,
  f32_mul: 46_464,
  f16_to_f32: 408,
  f32_to_f16: 600,
};

interface FileRun {
  op: FpOpName;
  cases: number;
  resultMismatches: string[];
  resultMismatchCount: number;
  flagMismatches: string[];
  flagMismatchCount: number;
  ms: number;
}

async function runVectorFile(file: string, op: FpOpName): Promise<FileRun> {
  const spec = FP_OPS[op];
  const digits = (w: number) => w / 4;
  const run: FileRun = { op, cases: 0, resultMismatches: [], resultMismatchCount: 0, flagMismatches: [], flagMismatchCount: 0, ms: 0 };
  const t0 = performance.now();
  for await (const c of readVectorFile(file, spec)) {
    run.cases++;
    const got = spec.fn(c.operands);
    if (got.bits === c.result && got.flags === c.flags) continue;
    const operands = c.operands.map((x, i) => hex(x, digits(spec.operandWidths[i]))).join(' ');
    const detail =
      `line ${c.line}: ${op}(${operands}) expected ${hex(c.result, digits(spec.resultWidth))} flags ${hex(c.flags, 2)}, ` +
      `golden ${hex(got.bits, digits(spec.resultWidth))} flags ${hex(got.flags, 2)}`;
    if (got.bits !== c.result) {
      run.resultMismatchCount++;
      if (run.resultMismatches.length < 10) run.resultMismatches.push(detail);
    } else {
      run.flagMismatchCount++;
      if (run.flagMismatches.length < 10) run.flagMismatches.push(detail);
    }
  }
  run.ms = performance.now() - t0;
  return run;
}

describe('golden models against the shared TestFloat vectors', () => {
  const dir = findSharedVectorsDir();
  if (dir === null) {
    it('needs the shared vectors folder', () => {
      throw new Error(
        `shared reference vectors not found: looked for the folder ${sharedVectorsPath()} ` +
          `(<repo>/../shared/vectors). These tests must not pass without them.`,
      );
    });
    return;
  }
  const files = listVectorFiles(dir, 'testfloat');
  it('finds the TestFloat vector files', () => {
    expect(files.length, `no *.txt[.gz] files in ${path.join(dir, 'testfloat')}`).toBeGreaterThan(0);
    const ops = files.map(vectorFileOpName);
    for (const op of Object.keys(EXPECTED_CASES)) expect(ops, `missing vectors for ${op}`).toContain(op);
  });

  const runs = new Map<string, Promise<FileRun>>();
  const summary: string[] = [];
  afterAll(() => {
    if (summary.length > 0) console.log(`[testfloat] per-file summary:\n${summary.join('\n')}`);
  });

  for (const file of files) {
    const name = path.basename(file);
    const op = vectorFileOpName(file);
    const runOnce = (): Promise<FileRun> => {
      if (!isFpOpName(op)) throw new Error(`${file}: no golden model for operation '${op}'`);
      let run = runs.get(file);
      if (!run) {
        run = runVectorFile(file, op).then((r) => {
          summary.push(
            `  ${name}: ${r.cases} cases, ${r.resultMismatchCount} result mismatches, ` +
              `${r.flagMismatchCount} flag mismatches (${r.ms.toFixed(0)} ms)`,
          );
          return r;
        });
        runs.set(file, run);
      }
      return run;
    };
    it(`${name}: results bit-exact`, async () => {
      const run = await runOnce();
      const expected = EXPECTED_CASES[run.op];
      if (expected !== undefined) expect(run.cases, `case count of ${name}`).toBe(expected);
      expect(run.cases).toBeGreaterThan(0);
      expect(run.resultMismatches, `${run.resultMismatchCount} result mismatches`).toEqual([]);
    });
    it(`${name}: flags`, async () => {
      const run = await runOnce();
      expect(run.flagMismatches, `${run.flagMismatchCount} flag mismatches (results equal)`).toEqual([]);
    });
  }
});
