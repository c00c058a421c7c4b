import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { findSharedVectorsDir, listVectorFiles, sharedVectorsPath, vectorFileOpName } from '../../../verif/vectors/shared-vectors.ts';
import { readAllVectors } from '../../../verif/vectors/read-vector-file.ts';
import { FP_OPS, type FpOpName } from '../../../hdl-gen/units/fp/golden/ops.ts';

const bin = path.join(process.cwd(), 'bin/hdlgen.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hdlgen-check-vectors-'));

function file(name: string, text: string, gzip = false): string {
  const p = path.join(tmp, name);
  writeFileSync(p, gzip ? gzipSync(text) : text);
  return p;
}

const run = (...args: string[]) => execa('node', [bin, 'check-vectors', ...args], { reject: false });

function sharedFiles(): string[] {
  const dir = findSharedVectorsDir();
  if (!dir) throw new Error(`shared test vectors not found at ${sharedVectorsPath()}: these tests need ../shared/vectors/testfloat`);
  const files = listVectorFiles(dir, 'testfloat');
  expect(files.length).toBeGreaterThan(0);
  return files;
}

describe('hdlgen check-vectors', () => {
  it('passes every shared TestFloat file against the golden model', async () => {
    const files = sharedFiles();
    const results = await Promise.all(
      files.map(async (f) => {
        const op = vectorFileOpName(f) as FpOpName;
        const n = (await readAllVectors(f, FP_OPS[op])).length;
        const r = await run('--op', op, '--file', f);
        return { file: path.basename(f), exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, n };
      }),
    );
    for (const r of results) expect(r).toEqual({ file: r.file, exitCode: 0, stdout: `${r.n} passed, 0 failed`, stderr: '', n: r.n });
  });

  it('passes shared files through the generated RTL too (--rtl, Verilator)', async () => {
    const files = sharedFiles().filter((f) => ['f16_mul', 'f32_to_f16'].includes(vectorFileOpName(f)));
    expect(files.length).toBe(2);
    for (const f of files) {
      const op = vectorFileOpName(f) as FpOpName;
      const n = (await readAllVectors(f, FP_OPS[op])).length;
      const r = await run('--op', op, '--file', f, '--rtl');
      expect({ exitCode: r.exitCode, stdout: r.stdout }).toEqual({ exitCode: 0, stdout: `${n} passed, 0 failed` });
    }
  }, 300_000);

  it('prints the first mismatch and the counts, and exits 1 (golden model)', async () => {
    const f = file('wrong.txt', '# f16 a*b\n3C00 4000 4000 00\n3C00 3C00 3C01 00\n0001 3800 0000 03\n3C00 3C00 3C02 00\n');
    const r = await run('--op', 'f16_mul', '--file', f);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(`mismatch at ${f}:3: f16_mul 3C00 3C00: expected 3C01, golden 3C00\n2 passed, 2 failed`);
    expect(r.stderr).toBe('hdlgen: error: 2 of 4 vectors failed (golden model)');
  });

  it('reports golden and RTL results with --rtl, also for a gzip file', async () => {
    const f = file('mac.gz', '3C00 3C00 3F800000 40000000 00\n3C01 3C01 4B800000 4B800000 01\n', true);
    const r = await run('--op', 'mac_f16_f32', '--file', f, '--rtl');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(`mismatch at ${f}:2: mac_f16_f32 3C01 3C01 4B800000: expected 4B800000, golden 4B800001, rtl 4B800001\n1 passed, 1 failed`);
    expect(r.stderr).toBe('hdlgen: error: 1 of 2 vectors failed (golden model and RTL)');
  }, 300_000);

  it.each([
    ['a line with a missing field', '3C00 4000 4000 00\n3C00 4000 00\n', (f: string) => `${f}:2: expected 4 fields (2 operands, result, flags) for f16_mul, got 3`],
    ['a non-hex operand', '3C00 40G0 4000 00\n', (f: string) => `${f}:1: operand 2 '40G0' is not hexadecimal`],
    ['an operand too wide for binary16', '13C00 4000 4000 00\n', (f: string) => `${f}:1: operand 1 0x13C00 does not fit in 16 bits`],
    ['no vectors at all', '# nothing here\n\n', (f: string) => `${f}: no test vectors in the file`],
  ])('rejects %s with one line and exit 1, no stack trace', async (_what, text, message) => {
    const f = file(`bad-${_what.replace(/\W+/g, '-')}.txt`, text);
    const r = await run('--op', 'f16_mul', '--file', f);
    expect({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({ exitCode: 1, stdout: '', stderr: `hdlgen: error: ${message(f)}` });
  });

  it('rejects a missing file', async () => {
    const f = path.join(tmp, 'does-not-exist.txt.gz');
    const r = await run('--op', 'f32_add', '--file', f, '--rtl');
    expect({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({ exitCode: 1, stdout: '', stderr: `hdlgen: error: ${f}: cannot open vector file (ENOENT)` });
  });

  it('rejects an unknown operation and a missing --file (commander usage errors)', async () => {
    const bad = await run('--op', 'f64_mul', '--file', 'x.txt');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr.split('\n')[0]).toBe("error: option '--op <name>' argument 'f64_mul' is invalid. Allowed choices are f16_mul, f32_mul, f16_add, f32_add, f16_mulAdd, f16_to_f32, bf16_to_f32, f32_to_f16, f32_to_bf16, mac_f16_f32, mac_bf16_f32.");
    const missing = await run('--op', 'f16_mul');
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr.split('\n')[0]).toBe("error: required option '--file <file>' not specified");
  });
});
