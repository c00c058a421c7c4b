// One design's mutation run in a process of its own, for the bench: its vector runs are bound by
// the JavaScript thread, so two designs in two processes use both cores. Prints the summary the
// bench reports as JSON on the last line of stdout.
// Usage: tsx scripts/lib/mutate-worker.ts '<json: MutationOptions without log, plus provers>'
import { ProofSlots, runMutation, type MutationOptions, type MutationReport } from '../../verif/mutate/run-mutation.ts';

/** What the bench reports of a mutation run (mutants by id and description). */
export interface MutationSummary extends Pick<MutationReport, 'design' | 'generated' | 'tested' | 'killed' | 'killRate' | 'vectors' | 'buildSeconds' | 'runSeconds' | 'formalSeconds' | 'cachedVerdicts' | 'byOperator'> {
  readonly equivalent: readonly { id: number; description: string }[];
  readonly undetected: readonly { mutant: { id: number; description: string } }[];
  readonly unclassified: readonly { id: number; description: string }[];
}

export function summarize(r: MutationReport): MutationSummary {
  const brief = (m: { id: number; description: string }) => ({ id: m.id, description: m.description });
  return {
    design: r.design,
    generated: r.generated,
    tested: r.tested,
    killed: r.killed,
    killRate: r.killRate,
    vectors: r.vectors,
    buildSeconds: r.buildSeconds,
    runSeconds: r.runSeconds,
    formalSeconds: r.formalSeconds,
    cachedVerdicts: r.cachedVerdicts,
    byOperator: r.byOperator,
    equivalent: r.equivalent.map(brief),
    undetected: r.undetected.map((u) => ({ mutant: brief(u.mutant) })),
    unclassified: r.unclassified.map(brief),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { provers, ...opts } = JSON.parse(process.argv[2]) as Omit<MutationOptions, 'log' | 'proofSlots'> & { provers: number };
  const report = await runMutation({ ...opts, proofSlots: new ProofSlots(provers) });
  process.stdout.write(`${JSON.stringify(summarize(report))}\n`);
}
