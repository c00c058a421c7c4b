import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { findMutationHook } from '../../../verif/mutate/hooks.ts';
import { runMutation } from '../../../verif/mutate/run-mutation.ts';
import { PROJECT_ROOT } from '../../../verif/verilator/build.ts';

/**
 * Mutation testing in CI on a seeded sample (the bench runs every mutant): each sampled mutant of
 * the printed SV must be killed by the unit's golden-model vectors in Verilator, or be proved
 * equivalent to the original by Yosys. The full runs are in scripts/bench/reliability.ts.
 */
describe('mutation testing (sample)', () => {
  it('hdlgen mutate --design puzzlemoe-decode --sample 40: every mutant killed', async () => {
    const r = await execa('node', ['bin/hdlgen.js', 'mutate', '--design', 'puzzlemoe-decode', '--sample', '40', '--seed', '1', '--quick'], { cwd: PROJECT_ROOT, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^design puzzlemoe-decode \(PuzzleMoeDecode_lanes4_reg_off112\): 40 of \d+ mutants tested \(seed 1\)/);
    expect(r.stdout).toContain('killed 40 of 40; 0 survivors proved equivalent (ABC iprove or Yosys sat); kill rate 100.0% of the 40 non-equivalent mutants');
  }, 300_000);

  it('fp-mul-f16, 60 mutants: each killed or proved equivalent, and the equivalent ones are really survivors', async () => {
    const r = await runMutation({ design: 'fp-mul-f16', sample: 60, seed: 7, vectors: 'sample' });
    expect(r.tested).toBe(60);
    expect(r.undetected.map((u) => u.mutant.description)).toEqual([]);
    expect(r.unclassified.map((m) => m.description)).toEqual([]);
    expect(r.killed + r.equivalent.length).toBe(60);
    expect(r.killed).toBeGreaterThan(30);
    expect(r.killRate).toBe(1);
    expect(r.equivalent.every((m) => r.survivors.includes(m))).toBe(true);
  }, 300_000);

  it('the hooks reject a design without one', () => {
    expect(findMutationHook('fp-div')).toBeUndefined();
    expect(findMutationHook('fp-mac-f16')?.generator).toBe('fp-mac');
  });
});
