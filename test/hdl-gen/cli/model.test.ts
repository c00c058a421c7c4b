import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../support/run-cli.ts';

const run = (args: string[]) => runCliInProcess(['model', ...args]);

describe('hdlgen model', () => {
  it('prints the assumptions with their sources and one row per policy', async () => {
    const r = await run(['--tokens', '40', '--cache-slots', '30']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('prediction accuracy 0.909 (paper: MoE-SpeQ 90.9% top-4 routing prediction accuracy');
    expect(r.stdout).toContain('expert cache: 30 slots = 4.719 GB (command line)');
    expect(r.stdout).toMatch(/host link: 25\.00 GB\/s \(paper: PCIe 4\.0/);
    expect(r.stdout).toContain('PE array: 64x64 (assumption (a 64 x 64 SpeqPeArray; its cycles per K and fill/drain are measured on the RTL)); timing from the SpeqPeArray RTL in the IR simulator (2x2 and 4x4, realistic tiles checked against gemmTile): 1 cycles per K element in verify mode, 0.25 in draft mode; fill + drain 4 and 6 cycles, fitted 2 + 1 (R + C) / 2 = 66 for 64x64');
    const rows = r.stdout.split('\n').filter((l) => /^(baseline|mobile|speq|both) /.test(l));
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['baseline', 'mobile', 'speq', 'both']);
    expect(rows[0]).toMatch(/^baseline\s+[\d.]+\s+1\.00x/);
  });

  it('writes the synthetic trace and replays it from the file with the same result', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hdlgen-model-'));
    const file = path.join(dir, 't.jsonl');
    const a = await run(['--tokens', '30', '--policy', 'mobile', '--json', '--write-trace', file]);
    expect(a.exitCode).toBe(0);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('{"format":"moe-routing-trace-v1","layers":32,"experts":16,"k":2}');
    const b = await run(['--trace', file, '--policy', 'mobile', '--json']);
    expect(JSON.parse(b.stdout).results).toEqual(JSON.parse(a.stdout).results);
  });

  it('reports bad options and bad traces as one-line errors', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hdlgen-model-'));
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"format":"moe-routing-trace-v1","layers":1,"experts":4,"k":2}\n{"ids":[[0,9]]}\n');
    const cases: [string[], string][] = [
      [['--locality', '1.5'], "hdlgen: error: --locality: expected a number from 0 to 1, got '1.5'"],
      [['--policy', 'fast'], "hdlgen: error: --policy: expected all, baseline, mobile, speq, both; got 'fast'"],
      [['--trace', bad, '--seed', '3'], 'hdlgen: error: --seed configures the synthetic trace; it cannot be combined with --trace'],
      [['--trace', bad], `hdlgen: error: ${bad}:2: 'ids[0]' has expert id 9, not an integer from 0 to 3`],
      [['--trace', path.join(dir, 'none.jsonl')], `hdlgen: error: ${path.join(dir, 'none.jsonl')}: no such file`],
      [['--cache-gb', '1', '--cache-slots', '20'], 'hdlgen: error: give --cache-gb or --cache-slots, not both'],
    ];
    for (const [args, msg] of cases) {
      const r = await run(args);
      expect(r.exitCode, args.join(' ')).not.toBe(0);
      expect(r.stderr).toBe(msg);
    }
  });
});
