import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { BAD_CASES, type BadCase } from '../../../verif/bad/cases.ts';
import { edslBadDesigns } from '../../../verif/bad/edsl-corpus.ts';
import { runBadCase, type BadCaseRun } from '../../../verif/bad/run-case.ts';
import { PROJECT_ROOT } from '../../../verif/verilator/build.ts';

/**
 * The bad-input corpus (verif/bad/cases.ts): exact stderr, non-zero exit, no stack trace, and no
 * file of the case's directory changed (earlier outputs intact, nothing half-written) beyond the
 * files a case is meant to write (a timing miss's report). Every case
 * runs through the CLI's main() (one child process for the corpus: verif/bad/run-corpus.ts); one
 * case per category also runs as its own `node bin/hdlgen.js` process, which must behave the same.
 */
function check(c: BadCase, r: BadCaseRun): void {
  if (c.usage) expect(r.stderr.startsWith(`${c.expected}\nUsage: hdlgen`), r.stderr).toBe(true);
  else expect(r.stderr).toBe(c.expected);
  expect(r.exitCode).toBe(c.exitCode ?? 1);
  expect(r.stackTrace).toBe(false);
  expect(r.changedFiles, 'files changed by a failed run').toEqual([...(c.writes ?? [])].sort());
}

const runs = new Map<string, BadCaseRun>();
beforeAll(async () => {
  const r = await execa('node', ['--import', 'tsx', 'verif/bad/run-corpus.ts'], { cwd: PROJECT_ROOT, reject: false });
  if (r.exitCode !== 0) throw new Error(`verif/bad/run-corpus.ts failed:\n${r.stderr}`);
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const { name, run } = JSON.parse(line) as { name: string; run: BadCaseRun };
    runs.set(name, run);
  }
}, 300_000);

describe('bad-input corpus (verif/bad)', () => {
  it('has at least 50 cases, covering every category; with the eDSL designs of test/bad-designs over 100', () => {
    const categories = new Set(BAD_CASES.map((c) => c.category));
    expect([...categories].sort()).toEqual(['cli', 'config', 'tensors', 'tools', 'vectors']);
    expect(new Set(BAD_CASES.map((c) => c.name)).size).toBe(BAD_CASES.length);
    expect(BAD_CASES.length).toBeGreaterThanOrEqual(50);
    expect(BAD_CASES.length + edslBadDesigns().length).toBeGreaterThanOrEqual(100);
  });

  it.each(BAD_CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const r = runs.get(name);
    expect(r, 'the case ran').toBeDefined();
    check(c, r!);
  });

  const onePerCategory = [...new Map(BAD_CASES.map((c) => [c.category, c])).values()];
  it.each(onePerCategory.map((c) => [c.name, c] as const))('as its own process: %s', async (_name, c) => {
    check(c, await runBadCase(c));
  }, 60_000);
});
