/**
 * The corpus of intentionally bad designs: each `NN-name.ts` file in this directory exports one
 * `design` (a ModuleDef), its `params` and the `expected` exact ElaborationError message
 * (`FILE:LINE:COL: error[check]: message`, note lines, help line). Elaborating it must throw an
 * ElaborationError (never any other error) whose message is exactly `expected`.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ElaborationError, elaborate, type ModuleDef } from '../../hdl-gen/index.ts';
import { UserError } from '../../hdl-gen/errors.ts';

const dir = path.dirname(fileURLToPath(import.meta.url));
const files = readdirSync(dir)
  .filter((f) => /^\d\d-[a-z0-9-]+\.ts$/.test(f))
  .sort();

interface BadDesign {
  readonly design: ModuleDef<any, any>;
  readonly params: Record<string, unknown>;
  readonly expected: string;
}

async function load(file: string): Promise<BadDesign> {
  return (await import(pathToFileURL(path.join(dir, file)).href)) as BadDesign;
}

describe('bad-design corpus', () => {
  it('has at least 25 designs and covers every named check', async () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    const checks = new Set<string>();
    for (const f of files) for (const m of (await load(f)).expected.matchAll(/error\[([a-z-]+)\]/g)) checks.add(m[1]);
    expect([...checks].sort()).toEqual(['api-misuse', 'comb-loop', 'latch', 'multiple-drivers', 'name-collision', 'type-error', 'undriven', 'width-mismatch']);
  });

  it.each(files)('%s', async (file) => {
    const bad = await load(file);
    expect(typeof bad.expected).toBe('string');
    // Every location of the expected message is in this file.
    for (const m of bad.expected.matchAll(/^ *([^\s:]+):\d+:\d+: /gm)) expect(m[1]).toBe(`test/bad-designs/${file}`);
    let thrown: unknown = null;
    try {
      elaborate(bad.design, bad.params);
    } catch (e) {
      thrown = e;
    }
    expect(thrown, 'elaboration must fail').not.toBeNull();
    if (!(thrown instanceof ElaborationError)) {
      const e = thrown as Error;
      expect.fail(`expected an ElaborationError, got ${e?.constructor?.name}: ${e?.message}\n${e?.stack}`);
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect(thrown.message).toBe(bad.expected);
    expect(thrown.diagnostics.length).toBe(bad.expected.split('\n').filter((l) => !l.startsWith(' ')).length);
  });
});
