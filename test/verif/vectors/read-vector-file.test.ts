import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../hdl-gen/errors.ts';
import { FP_OPS } from '../../../hdl-gen/units/fp/golden/ops.ts';
import { readAllVectors, readVectorFile, type VectorLayout } from '../../../verif/vectors/read-vector-file.ts';
import {
  findSharedVectorsDir,
  listVectorFiles,
  sharedVectorsPath,
  vectorFileOpName,
} from '../../../verif/vectors/shared-vectors.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'vectors-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string, gzip = false): string {
  const file = path.join(dir, name);
  writeFileSync(file, gzip ? gzipSync(text) : text);
  return file;
}

const MUL: VectorLayout = FP_OPS.f16_mul;
const FMA: VectorLayout = FP_OPS.f16_mulAdd;

async function readError(file: string, layout: VectorLayout): Promise<unknown> {
  try {
    await readAllVectors(file, layout);
  } catch (err) {
    return err;
  }
  throw new Error(`expected reading ${file} to fail`);
}

describe('readVectorFile', () => {
  const text = '# a comment\n\n3C00 4000 4000 00\r\n  0001 3800 0000 03  \n#another\n7C00 0000 7E00 10\n';

  it('parses plain text, skipping blank and comment lines, with 1-based line numbers', async () => {
    const cases = await readAllVectors(write('plain.txt', text), MUL);
    expect(cases).toEqual([
      { line: 3, operands: [0x3c00, 0x4000], result: 0x4000, flags: 0 },
      { line: 4, operands: [0x0001, 0x3800], result: 0x0000, flags: 3 },
      { line: 6, operands: [0x7c00, 0x0000], result: 0x7e00, flags: 0x10 },
    ]);
  });

  it('detects gzip by magic bytes, not by the file name', async () => {
    const expected = await readAllVectors(write('plain2.txt', text), MUL);
    expect(await readAllVectors(write('zipped.txt', text, true), MUL)).toEqual(expected); // gzip named .txt
    expect(await readAllVectors(write('notzipped.txt.gz', text), MUL)).toEqual(expected); // text named .gz
    expect(await readAllVectors(write('zipped.txt.gz', text, true), MUL)).toEqual(expected);
  });

  it('reads 32-bit fields and mixed widths', async () => {
    const file = write('mac.txt', '3C00 4000 FFFFFFFF 7FC00000 1f\n');
    expect(await readAllVectors(file, FP_OPS.mac_f16_f32)).toEqual([
      { line: 1, operands: [0x3c00, 0x4000, 0xffffffff], result: 0x7fc00000, flags: 0x1f },
    ]);
  });

  it('reports a wrong field count with FILE:LINE and the expected layout', async () => {
    const file = write('short.txt', '3C00 3C00 3C00 4000 00\n3C00 3C00 4000\n');
    const err = await readError(file, FMA);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      `${file}:2: expected 5 fields (3 operands, result, flags) for f16_mulAdd, got 3`,
    );
    const one = await readError(write('conv.txt', '3C00 3F800000\n'), FP_OPS.f16_to_f32);
    expect((one as Error).message).toMatch(/conv\.txt:1: expected 3 fields \(1 operand, result, flags\) for f16_to_f32, got 2$/);
  });

  it('rejects non-hex fields', async () => {
    const file = write('nonhex.txt', '3C00 3G00 4000 00\n');
    const err = await readError(file, MUL);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`${file}:1: operand 2 '3G00' is not hexadecimal`);
    const neg = await readError(write('neg.txt', '-3C00 3C00 4000 00\n'), MUL);
    expect((neg as Error).message).toMatch(/neg\.txt:1: operand 1 '-3C00' is not hexadecimal/);
  });

  it('rejects values too wide for their field, but accepts leading zeros', async () => {
    const wideOperand = write('wide-op.txt', '13C00 3C00 4000 00\n');
    expect(((await readError(wideOperand, MUL)) as Error).message).toBe(
      `${wideOperand}:1: operand 1 0x13C00 does not fit in 16 bits`,
    );
    const wideResult = write('wide-res.txt', '3C00 3C00 3F800000 00\n');
    expect(((await readError(wideResult, MUL)) as Error).message).toBe(
      `${wideResult}:1: result 0x3F800000 does not fit in 16 bits`,
    );
    const wideFlags = write('wide-flags.txt', '3C00 3C00 3C00 20\n');
    expect(((await readError(wideFlags, MUL)) as Error).message).toMatch(/wide-flags\.txt:1: flags 0x20 does not fit in 5 bits/);
    const huge = write('huge.txt', '3C00 3C00 3C00 123456789ABCDEF0123\n');
    expect(((await readError(huge, MUL)) as Error).message).toMatch(/huge\.txt:1: flags .* does not fit in 5 bits/);
    const zeros = write('zeros.txt', '00003C00 0000000000000000003C00 000003C00 000\n');
    expect(await readAllVectors(zeros, MUL)).toEqual([{ line: 1, operands: [0x3c00, 0x3c00], result: 0x3c00, flags: 0 }]);
  });

  it('turns a missing file and corrupt gzip data into UserErrors naming the file', async () => {
    const missing = path.join(dir, 'missing.txt.gz');
    const err = await readError(missing, MUL);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`${missing}: cannot open vector file (ENOENT)`);

    const good = gzipSync('3C00 3C00 3C00 00\n'.repeat(1000));
    const truncated = path.join(dir, 'truncated.txt.gz');
    writeFileSync(truncated, good.subarray(0, good.length - 20));
    const bad = await readError(truncated, MUL);
    expect(bad).toBeInstanceOf(UserError);
    expect((bad as Error).message).toMatch(/truncated\.txt\.gz:\d+: cannot read vector file \(gzip\): /);
  });

  it('stops cleanly when the consumer breaks out early', async () => {
    const file = write('many.txt', '3C00 3C00 3C00 00\n'.repeat(100));
    let n = 0;
    for await (const c of readVectorFile(file, MUL)) {
      n++;
      if (c.line === 5) break;
    }
    expect(n).toBe(5);
  });

  it('streams 250k gzip lines quickly', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 250_000; i++) {
      const a = (i * 7919) & 0xffff;
      const b = (i * 104729) & 0xffff;
      lines.push(`${a.toString(16).toUpperCase().padStart(4, '0')} ${b.toString(16).toUpperCase().padStart(4, '0')} ${((a + b) & 0xffff).toString(16)} ${(i & 0x1f).toString(16)}`);
    }
    const file = write('big.txt.gz', lines.join('\n') + '\n', true);
    const t0 = performance.now();
    let count = 0;
    let checksum = 0;
    for await (const c of readVectorFile(file, MUL)) {
      count++;
      checksum = (checksum + c.operands[0] + c.operands[1] + c.result + c.flags) % 1e9;
    }
    const ms = performance.now() - t0;
    console.log(`[readVectorFile] 250000 gzip lines in ${ms.toFixed(0)} ms`);
    expect(count).toBe(250_000);
    expect(checksum).toBeGreaterThan(0);
    expect(ms).toBeLessThan(5000);
  });
});

describe('shared vectors location', () => {
  it('is <repo>/../shared/vectors', () => {
    const repoRoot = path.resolve(import.meta.dirname, '../../..');
    expect(sharedVectorsPath()).toBe(path.resolve(repoRoot, '../shared/vectors'));
  });
  it('derives operation names from file names', () => {
    expect(vectorFileOpName('/x/f16_mulAdd.rne.l1.every30.txt.gz')).toBe('f16_mulAdd');
    expect(vectorFileOpName('f16_to_f32.l1.txt.gz')).toBe('f16_to_f32');
  });
  it('lists vector files (and is loud when the shared folder is missing)', () => {
    const found = findSharedVectorsDir();
    if (found === null) throw new Error(`shared reference vectors not found at ${sharedVectorsPath()}`);
    const files = listVectorFiles(found, 'testfloat');
    expect(files.map((f) => path.basename(f))).toContain('f16_mul.rne.l1.txt.gz');
    expect(listVectorFiles(found, 'no-such-subfolder')).toEqual([]);
  });
  it('reads a real shared file with the README case count', async () => {
    const found = findSharedVectorsDir();
    if (found === null) throw new Error(`shared reference vectors not found at ${sharedVectorsPath()}`);
    const cases = await readAllVectors(path.join(found, 'testfloat', 'f32_to_f16.rne.l1.txt.gz'), FP_OPS.f32_to_f16);
    expect(cases).toHaveLength(600);
    expect(cases[0]).toEqual({ line: 1, operands: [0x8683f7ff], result: 0x8000, flags: 3 });
  });
});
