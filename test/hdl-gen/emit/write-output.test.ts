import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../hdl-gen/cli/commands/gen.ts';
import { sha256 } from '../../../hdl-gen/emit/write-output.ts';

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('writeGeneration', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'hdlgen-out-'));

  it('is byte-identical across runs and holds no absolute paths, users or timestamps', async () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    await generate({ out: a });
    await generate({ out: b });
    const sa = snapshot(a);
    expect(Object.keys(sa).length).toBeGreaterThan(10);
    expect(snapshot(b)).toEqual(sa);
    const all = Object.values(sa).join('\n');
    expect(all).not.toContain(process.cwd());
    expect(all).not.toContain(os.tmpdir());
    expect(all).not.toMatch(/\b20\d\d-\d\d-\d\d/);
    if (os.userInfo().username !== 'root') expect(all).not.toContain(os.userInfo().username);
  });

  it('writes a manifest whose hashes match the files and a filelist per design', async () => {
    const out = path.join(tmp, 'm');
    await generate({ out });
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.designs.map((d: { name: string }) => d.name)).toEqual([
      'counter', 'fifo', 'dual-port-ram', 'int-mac-array', 'fp-mac', 'fp-mul-f16', 'puzzlemoe-decode', 'puzzlemoe_decode_bist', 'puzzlemoe-fused-gemv',
      'speq-pe', 'speq-plain-pe', 'speq-pe-array', 'speq-spec-controller', 'expert-cache', 'topk-router', 'moe-spec-governor', 'moe-speculate-commit', 'valid-ready-stage',
    ]);
    for (const d of manifest.designs) {
      const list = readFileSync(path.join(out, d.filelist), 'utf8').trim().split('\n');
      expect(list).toEqual(d.modules.map((m: { file: string }) => m.file));
      for (const m of d.modules) expect(sha256(readFileSync(path.join(out, d.name, m.file)))).toBe(m.sha256);
      expect(d.modules.at(-1).module).toBe(d.top);
    }
  });

  it('leaves the previous output intact when generation fails', async () => {
    const out = path.join(tmp, 'keep');
    await generate({ out });
    const before = snapshot(out);
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ designs: [{ name: 'c', generator: 'counter', params: { width: 8 } }, { name: 'f', generator: 'fifo', params: { width: 8, depth: 6 } }] }));
    await expect(generate({ out, config: bad })).rejects.toThrow('designs[1].params.depth: must be a power of two');
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(tmp).filter((n) => n.includes('staging'))).toEqual([]);
  });
});
