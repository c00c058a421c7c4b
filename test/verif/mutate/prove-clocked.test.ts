import { describe, expect, it } from 'vitest';
import { instantiators, proveClockedMutants } from '../../../verif/mutate/prove-clocked.ts';
import { designSources } from '../../../verif/mutate/run-mutation.ts';
import { generateMutants } from '../../../verif/mutate/sv-mutants.ts';

/**
 * Equivalence of surviving mutants of the clocked SPEQ PE (verif/mutate/prove-clocked.ts): proved
 * module by module where the mutated module is equivalent on its own, refuted at the top with an
 * input trace from reset.
 */
describe('mutate: proofs for clocked designs (speq-pe)', () => {
  const { files, ir } = designSources('speq-pe');
  const all = generateMutants(files);
  const byDescription = (d: string) => {
    const m = all.find((x) => x.description === d);
    if (!m) throw new Error(`no mutant '${d}'`);
    return m;
  };

  it('finds the modules that instantiate each module in the printed SV', () => {
    const p = instantiators(files);
    expect(p.get('Lzc_w22')).toEqual(['FpMac_f16_f32']);
    expect(p.get('FpNormalize_f32_w28_e10_l')?.sort()).toEqual(['FpMac_f16_f32', 'SpeqDraftAdd']);
    expect(p.get('SpeqDraftAdd')).toEqual(['SpeqPe_shared']);
    expect(p.get('SpeqPe_shared')).toEqual([]);
  });

  it('a leading-zero-counter mutant equivalent on its own is proved; reset mutants are refuted from reset', async () => {
    const mutants = [
      byDescription("Lzc_w22.sv:78: drop '~' in '~(|_t40)'"), // the counter's padding makes this subtree constant
      byDescription("SpeqPe_shared.sv:60: 32'd0 -> 32'h1"),
      byDescription("SpeqPe_shared.sv:59: condition 'rst' stuck at 0"),
    ];
    const rs = await proveClockedMutants(mutants, { files, top: ir.top, resets: [{ name: 'rst', activeLow: false }], timeoutSeconds: 60 });
    expect(rs.map((r) => r.verdict)).toEqual(['proved', 'failed', 'failed']);
    for (const r of rs.slice(1)) expect(r.trace![0].rst).toBe(1n);
    // the reset value: the accumulator reads 1 instead of 0 right after the reset cycle, whatever the inputs
    expect(rs[1].trace!.length).toBe(3);
  }, 240_000);
});
