import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { MUTATION_HOOKS } from '../../../verif/mutate/hooks.ts';
import { formatMutationReport, runMutation } from '../../../verif/mutate/run-mutation.ts';

function positiveInteger(what: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new UserError(`${what}: '${v}' is not an integer >= ${min}`);
    return n;
  };
}

/**
 * `hdlgen mutate --design NAME [--sample N] [--seed S] [--quick] [--proof-timeout S]`: mutation testing of the printed
 * SV of a unit (verif/mutate): every mutant (or a seeded sample) is compiled into one Verilator
 * model, run against the unit's golden vectors, and each survivor is checked for equivalence with
 * Yosys. Prints the kill rate and the survivors; exits 1 when a surviving mutant changes behaviour
 * (a gap in the verification) or could not be classified.
 */
export function registerMutate(program: Command): void {
  program
    .command('mutate')
    .description(`mutation testing of a unit's generated SV against its golden model (designs: ${MUTATION_HOOKS.map((h) => h.design).join(', ')})`)
    .requiredOption('--design <name>', 'the unit to mutate')
    .option('--sample <n>', 'test a seeded random sample of n mutants (default: all)', positiveInteger('--sample', 1))
    .option('--seed <s>', 'seed of the sample and of the random vectors', positiveInteger('--seed', 0), 1)
    .option('--quick', 'fewer random vectors per mutant (the CI budget)')
    .option('--proof-timeout <s>', 'solver seconds per equivalence proof of a survivor', positiveInteger('--proof-timeout', 1), 20)
    .action(async (o: { design: string; sample?: number; seed: number; quick?: boolean; proofTimeout: number }) => {
      const r = await runMutation({ design: o.design, sample: o.sample, seed: o.seed, vectors: o.quick ? 'sample' : 'full', proofTimeoutSeconds: o.proofTimeout, log: (l) => process.stderr.write(`${l}\n`) });
      process.stdout.write(formatMutationReport(r).join('\n') + '\n');
      const open = r.undetected.length + r.unclassified.length;
      if (open) throw new UserError(`mutate: ${open} surviving mutant${open > 1 ? 's' : ''} of '${o.design}' ${open > 1 ? 'are' : 'is'} neither killed nor proved equivalent (listed above)`);
    });
}
