import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../support/run-cli.ts';
import { parseHexWeights, speqDraftText, speqPack, speqUnpack } from '../../../hdl-gen/cli/commands/speq.ts';
import { UserError } from '../../../hdl-gen/errors.ts';
import {
  readSafetensors,
  serializeSafetensors,
  tensorBits16,
  tensorFromBits16,
  tensorFromValues,
  type Tensor,
} from '../../../hdl-gen/tensors/safetensors.ts';
import { draftValueToFp16, TABLE_FORMAT } from '../../../hdl-gen/units/speq/golden/draft-format.ts';
import { matrixFromNibblePlanes } from '../../../hdl-gen/units/speq/golden/layout.ts';
import type { SpeqFileMeta } from '../../../hdl-gen/units/speq/golden/pack.ts';
import { fp16ToStored } from '../../../hdl-gen/units/speq/golden/scale.ts';
import { doubleToF16, gaussian, seededRandom } from '../units/speq/golden/speq-test-support.ts';

const bin = path.join(process.cwd(), 'bin/hdlgen.js');
const tmpDir = () => mkdtempSync(path.join(os.tmpdir(), 'hdlgen-speq-'));


describe('hdlgen speq draft', () => {
  it('prints the stored word and draft value of each weight (CLI)', async () => {
    const tmp = tmpDir();
    const file = path.join(tmp, 'w.txt');
    writeFileSync(file, '3c00\n0xBC00\n# a comment\n\n4000\n0001\n2e66  # 0.1\n0000\n8000\n');
    const r = await execa('node', [bin, 'speq', 'draft', '--in', 'w.txt'], { cwd: tmp });
    expect(r.stdout).toBe(
      [
        "# w.txt: 7 weights, scale 2^-1 (k = 1), draft format 'table'",
        '# counts: 2 zeros, 1 outliers (|w| >= 2), 1 with r = 1; per code c = 0..7: [3, 0, 0, 0, 0, 1, 0, 3]',
        '# table exponents (code c = 0..7, scale folded in; code 0 drafts to 0): [-14, -12, -10, -8, -6, -3, -2, 0]',
        '# columns: stored word {s,e3..e0,m9..m0,r}, draft value as FP16 (hex)',
        '7000 3c00', // 1.0: scaled 0.5; code 7: mean of 0.5, 0.5, 1.0 = 2/3 -> 2^-1, times 2^1 = 1.0
        'f000 bc00',
        '7800 3c00', // 2.0: scaled 1.0
        '0001 0000', // 2^-24: scaled 0, r = 1; code 0 drafts to 0
        '54cc 3000', // 0.1: scaled 0.05, code 5 alone: 2^-4, times 2 = 0.125
        '0000 0000',
        '8000 8000',
      ].join('\n'),
    );
    const plain = await runCliInProcess(['speq', 'draft', '--in', file, '--format', 'plain', '--no-header']);
    expect(plain.stdout.split('\n')[4]).toBe('54cc 2c00'); // plain: 2^(2*5-15) * 2 = 2^-4
  });

  it('reports bad input in one line with exit code 1', async () => {
    const tmp = tmpDir();
    const nan = path.join(tmp, 'nan.txt');
    writeFileSync(nan, '3c00\n\n7e00\n');
    expect(await runCliInProcess(['speq', 'draft', '--in', nan])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `hdlgen: error: ${nan}:3: weight 1 is NaN (0x7e00); SPEQ needs finite weights`,
    });
    const big = path.join(tmp, 'big.txt');
    writeFileSync(big, '3c00\nc500\n');
    expect((await runCliInProcess(['speq', 'draft', '--in', big])).stderr).toBe(
      `hdlgen: error: ${big}: cannot scale: largest |w| = 5 (0xC500) at index 1 needs scale 2^-2; only k <= 1 is lossless (line 2); such a tensor is verify-only and has no draft values`,
    );
    expect((await runCliInProcess(['speq', 'draft', '--in', path.join(tmp, 'none.txt')])).stderr).toBe(`hdlgen: error: ${path.join(tmp, 'none.txt')}: no such file`);
  });

  it('parses and validates the weights file', () => {
    expect(parseHexWeights('0x3C00\n  1 \n#x\nffff', 'f')).toEqual({ words: Uint16Array.from([0x3c00, 1, 0xffff]), lines: [1, 2, 4] });
    expect(() => parseHexWeights('3c00\n12345\n', 'f')).toThrow("f:2: '12345' is not an FP16 word");
    expect(() => parseHexWeights('# nothing\n', 'f')).toThrow('f: no weights');
    expect(() => speqDraftText('fc00\n', 'f')).toThrow('f:1: weight 0 is -Inf (0xfc00)');
    expect(() => speqDraftText('3c00\n', 'f', 'int4')).toThrow("unknown draft format 'int4'");
  });

  it('agrees with the golden model on random files', () => {
    const rng = seededRandom('speq draft text');
    for (let t = 0; t < 20; t++) {
      const n = rng.range(1, 200);
      const w = Array.from({ length: n }, () => doubleToF16((rng.chance(0.5) ? 0.03 : 1.5) * gaussian(rng)));
      if (w.some((x) => (x & 0x7fff) >= 0x4400)) continue;
      const k = w.some((x) => (x & 0x7fff) >= 0x4000) ? 1 : 0;
      const table = TABLE_FORMAT.computeTable(w, k);
      const lines = speqDraftText(w.map((x) => x.toString(16)).join('\n'), 'r', 'table', false).trimEnd().split('\n');
      expect(lines.length).toBe(n);
      lines.forEach((line, i) => {
        const s = fp16ToStored(w[i], k);
        const d = draftValueToFp16(TABLE_FORMAT.decode(s >>> 12, table));
        expect(line).toBe(`${s.toString(16).padStart(4, '0')} ${d.toString(16).padStart(4, '0')}`);
      });
    }
  });
});

/** Comparable form (the reader returns Buffers, the writers Uint8Arrays). */
const plain = (t: Tensor | undefined) => t && { dtype: t.dtype, shape: [...t.shape], data: [...t.data] };

function f16Tensor(shape: number[], values: number[]): Tensor {
  return tensorFromBits16('F16', shape, values);
}

describe('hdlgen speq pack / unpack', () => {
  const rng = seededRandom('speq pack cli');
  const weights = (n: number, sigma: number) => Array.from({ length: n }, () => doubleToF16(sigma * gaussian(rng)));

  function modelFile(dir: string): { file: string; tensors: Record<string, Tensor> } {
    const q = weights(6 * 10, 0.02); // k = 0, cols not a multiple of 4
    const kv = weights(4 * 8, 0.02);
    kv[5] = doubleToF16(-3.25); // k = 1
    const head = weights(3 * 4, 0.02);
    head[7] = doubleToF16(6); // needs k = 2: verify-only
    const tensors: Record<string, Tensor> = {
      'layers.0.q.weight': f16Tensor([6, 10], q),
      'layers.0.kv.weight': f16Tensor([4, 8], kv),
      'lm_head.weight': f16Tensor([3, 4], head),
      'norm.weight': tensorFromValues('F32', [4], [1, 2, 3, 4]),
      'bias': f16Tensor([5], weights(5, 0.1)),
    };
    const file = path.join(dir, 'model.safetensors');
    writeFileSync(file, serializeSafetensors(tensors, { source: 'test' }));
    return { file, tensors };
  }

  it('packs F16 tensors into nibble planes with per-tensor metadata, and unpacks bit-exactly', () => {
    const dir = tmpDir();
    const { file, tensors } = modelFile(dir);
    const out = path.join(dir, 'packed.safetensors');
    const report = speqPack({ in: file, out });
    // In file order (the safetensors writer orders tensors by dtype size, then name).
    expect(report.packed.map((p) => [p.name, p.meta.k, p.meta.fallback])).toEqual([
      ['bias', 0, false],
      ['layers.0.kv.weight', 1, false],
      ['layers.0.q.weight', 0, false],
      ['lm_head.weight', 0, true],
    ]);
    expect(report.passedThrough).toEqual([{ name: 'norm.weight', dtype: 'F32' }]);
    const packed = readSafetensors(out);
    expect(packed.metadata.source).toBe('test');
    const meta = JSON.parse(packed.metadata.speq) as SpeqFileMeta;
    expect(meta).toMatchObject({ version: 1, layout: 'speq-nibble-planes-rows-v1', format: 'table' });
    expect(meta.tensors['lm_head.weight']).toMatchObject({ fallback: true, kRequired: 2, table: null });
    expect(meta.tensors['lm_head.weight'].reason).toContain('at index 7 [1, 3] needs scale 2^-2');
    const q = packed.tensors.get('layers.0.q.weight')!;
    expect([q.dtype, q.shape]).toEqual(['U16', [6, 12]]);
    const kvMeta = meta.tensors['layers.0.kv.weight'];
    expect(kvMeta).toMatchObject({ shape: [4, 8], rows: 4, cols: 8, k: 1, fallback: false, format: 'table' });
    const kvIn = tensorBits16(tensors['layers.0.kv.weight']);
    expect(kvMeta.table).toEqual(TABLE_FORMAT.computeTable(kvIn, 1).exps);
    const kvStored = matrixFromNibblePlanes(tensorBits16(packed.tensors.get('layers.0.kv.weight')!), 4, 8);
    expect([...kvStored]).toEqual([...kvIn].map((w) => fp16ToStored(w, 1)));
    expect(plain(packed.tensors.get('norm.weight'))).toEqual(plain(tensors['norm.weight']));

    const back = path.join(dir, 'back.safetensors');
    expect(speqUnpack({ in: out, out: back })).toBe(4);
    const restored = readSafetensors(back);
    expect(restored.metadata).toEqual({ source: 'test' });
    for (const [name, t] of Object.entries(tensors)) expect(plain(restored.tensors.get(name))).toEqual(plain(t));
  });

  it('CLI: prints a per-tensor report; errors leave no output file behind', async () => {
    const dir = tmpDir();
    modelFile(dir);
    const r = await execa('node', [bin, 'speq', 'pack', '--in', 'model.safetensors', '--out', 'p.safetensors'], { cwd: dir });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^tensor +shape +k +fallback +outliers +r=1 +table exponents/);
    expect(lines.find((l) => l.startsWith('lm_head.weight'))).toMatch(/ - +yes .*verify-only: largest \|w\| = 6 \(0x4600\)/);
    expect(lines.find((l) => l.startsWith('layers.0.kv.weight'))).toMatch(/\[4, 8\] +1 +no +1 /);
    expect(lines.at(-2)).toBe('packed 4 F16 tensors (2 at k = 0, 1 at k = 1, 1 verify-only); 1 other tensors copied unchanged (norm.weight: F32)');
    expect(lines.at(-1)).toBe('wrote p.safetensors');
    const u = await runCliInProcess(['speq', 'unpack', '--in', path.join(dir, 'p.safetensors'), '--out', path.join(dir, 'u.safetensors')]);
    expect(u.stdout).toBe(`restored 4 F16 tensors; wrote ${path.join(dir, 'u.safetensors')}`);
    expect(readFileSync(path.join(dir, 'u.safetensors'))).toEqual(readFileSync(path.join(dir, 'model.safetensors')));

    // --no-fallback: the unscalable tensor is an error, and nothing is written.
    const model = path.join(dir, 'model.safetensors');
    const nf = await runCliInProcess(['speq', 'pack', '--in', model, '--out', path.join(dir, 'nf.safetensors'), '--no-fallback']);
    expect(nf.exitCode).toBe(1);
    expect(nf.stderr).toBe(
      `hdlgen: error: ${model}: tensor 'lm_head.weight' cannot be scaled losslessly: largest |w| = 6 (0x4600) at index 7 [1, 3] needs scale 2^-2; only k <= 1 is lossless (--no-fallback)`,
    );
    expect(existsSync(path.join(dir, 'nf.safetensors'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['model.safetensors', 'p.safetensors', 'u.safetensors']);
  });

  it('NaN/Inf weights: UserError naming file, tensor and index; nothing written', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'bad.safetensors');
    writeFileSync(file, serializeSafetensors({ ok: f16Tensor([2], [0x3c00, 0]), 'w.bad': f16Tensor([2, 3], [0, 0, 0, 0, 0x7c00, 0]) }));
    const out = path.join(dir, 'out.safetensors');
    expect(() => speqPack({ in: file, out })).toThrow(UserError);
    expect(() => speqPack({ in: file, out })).toThrow(`${file}: tensor 'w.bad': weight at index 4 [1, 1] is +Inf (0x7C00); SPEQ needs finite weights`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual(['bad.safetensors']);
  });

  it('refuses to pack twice, to unpack an unpacked file, and unknown formats', () => {
    const dir = tmpDir();
    const { file } = modelFile(dir);
    const out = path.join(dir, 'p.safetensors');
    speqPack({ in: file, out, format: 'plain' });
    expect((JSON.parse(readSafetensors(out).metadata.speq) as SpeqFileMeta).tensors.bias.table).toEqual([-15, -13, -11, -9, -7, -5, -3, -1]);
    expect(() => speqPack({ in: out, out: path.join(dir, 'pp.safetensors') })).toThrow("already SPEQ-packed (metadata key 'speq' present)");
    expect(() => speqUnpack({ in: file, out: path.join(dir, 'u.safetensors') })).toThrow("not SPEQ-packed (no metadata key 'speq')");
    expect(() => speqPack({ in: file, out, format: 'int4' })).toThrow("unknown draft format 'int4'; choices: table, plain");
    expect(() => speqPack({ in: path.join(dir, 'missing.safetensors'), out })).toThrow('no such file');
  });
});
