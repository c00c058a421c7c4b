import { execa } from 'execa';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = path.join(process.cwd(), 'bin/hdlgen.js');

describe('hdlgen gen (CLI)', () => {
  it('prints help', async () => {
    const r = await execa('node', [bin, '--help']);
    expect(r.stdout).toContain('gen [options]');
  });
  it('reports a bad config in one line, with no stack trace, and exit code 1', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'hdlgen-cli-'));
    const cfg = path.join(tmp, 'c.json');
    writeFileSync(cfg, '{"designs":[{"name":"c","generator":"counter","params":{"width":-3}}]}');
    const r = await execa('node', [bin, 'gen', '--config', cfg, '--out', path.join(tmp, 'out')], { reject: false, cwd: tmp });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('hdlgen: error: c.json: designs[0].params.width: Number must be greater than or equal to 1');
    expect(existsSync(path.join(tmp, 'out'))).toBe(false);
  });
  it('reports an elaboration error with its source location', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'hdlgen-cli-'));
    const cfg = path.join(tmp, 'c.json');
    writeFileSync(cfg, '{"designs":[{"name":"c","generator":"counter","params":{"width":8}}]}');
    const r = await execa('node', [bin, 'gen', '--config', cfg, '--only', 'd'], { reject: false, cwd: tmp });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("hdlgen: error: --only: no design named 'd' in the config; designs: c");
  });
});
