// Reliability section of `npm run bench` (issue 9): the bad-input corpus, mutation testing of the
// generated SV, the formal proofs and the determinism check. Every figure is measured by this run.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { pathToFileURL } from 'node:url';
import { generate } from '../../hdl-gen/cli/commands/gen.ts';
import { projectRoot } from '../../hdl-gen/core/source-location.ts';
import { ElaborationError, elaborate, type ModuleDef } from '../../hdl-gen/index.ts';
import { BAD_CASES } from '../../verif/bad/cases.ts';
import { EDSL_BAD_DESIGNS_DIR, edslBadDesigns } from '../../verif/bad/edsl-corpus.ts';
import { runBadCaseInProcess } from '../../verif/bad/run-case.ts';
import type { ProofResult } from '../../verif/formal/equivalence.ts';
import { proveDecodeUnit, proveF16ToF32, proveValidReadyStage, proveValidReadyStageUnbounded } from '../../verif/formal/proofs.ts';
import { MUTATION_HOOKS } from '../../verif/mutate/hooks.ts';
import { mapConcurrently } from '../lib/map-concurrently.ts';
import type { MutationSummary } from '../lib/mutate-worker.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const secs = (t0: number) => (performance.now() - t0) / 1000;

async function corpus() {
  const t0 = performance.now();
  const byCategory: Record<string, { cases: number; passed: number }> = {};
  const failures: string[] = [];
  for (const c of BAD_CASES) {
    const r = await runBadCaseInProcess(c);
    const message = c.usage ? r.stderr.startsWith(`${c.expected}\nUsage: hdlgen`) : r.stderr === c.expected;
    const ok = message && r.exitCode === (c.exitCode ?? 1) && !r.stackTrace && r.changedFiles.join('\n') === [...(c.writes ?? [])].sort().join('\n');
    const s = (byCategory[c.category] ??= { cases: 0, passed: 0 });
    s.cases++;
    if (ok) s.passed++;
    else failures.push(c.name);
  }
  // The eDSL designs: exact ElaborationError text, as test/bad-designs/corpus.test.ts checks.
  const edsl = { cases: 0, passed: 0 };
  for (const f of edslBadDesigns()) {
    const m = (await import(pathToFileURL(path.join(EDSL_BAD_DESIGNS_DIR, f)).href)) as { design: ModuleDef<any, any>; params: Record<string, unknown>; expected: string };
    edsl.cases++;
    try {
      elaborate(m.design, m.params);
      failures.push(f);
    } catch (e) {
      if (e instanceof ElaborationError && e.message === m.expected) edsl.passed++;
      else failures.push(f);
    }
  }
  byCategory.edsl = edsl;
  return { byCategory, failures, seconds: secs(t0) };
}

/**
 * Mutants tested per design: quick, a seeded sample of 40 each; full, every mutant, except the PE
 * (1,825 mutants: all of them took 3 min 49 s with tests running beside it, so a seeded sample of 300 fits the budget;
 * `hdlgen mutate --design speq-pe` runs all of them).
 */
const FULL_SAMPLE: Readonly<Record<string, number>> = { 'speq-pe': 300 };

/**
 * Two designs at a time, each in a process of its own (the vector runs are bound by the JavaScript
 * thread) with one Yosys proof slot, so two Yosys runs at most; the longest (fp-mac, every mutant)
 * starts first.
 */
async function mutation(quick: boolean): Promise<MutationSummary[]> {
  const hooks = [...MUTATION_HOOKS];
  const order = hooks.map((_, i) => i).sort((a, b) => Number(hooks[b].design === 'fp-mac-f16') - Number(hooks[a].design === 'fp-mac-f16'));
  const out: MutationSummary[] = new Array(hooks.length);
  await mapConcurrently(order, 2, async (i) => {
    const design = hooks[i].design;
    const opts = { design, sample: quick ? 40 : FULL_SAMPLE[design], seed: 1, vectors: quick ? 'sample' : 'full', proofTimeoutSeconds: quick ? 10 : 20, provers: 1 };
    const r = await execa(path.join(projectRoot, 'node_modules/.bin/tsx'), ['scripts/lib/mutate-worker.ts', JSON.stringify(opts)], { cwd: projectRoot, reject: false });
    if (r.exitCode !== 0) throw new Error(`bench: mutation of ${design} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).split('\n').slice(-5).join(' ')}`);
    out[i] = JSON.parse(r.stdout.trim().split('\n').pop()!) as MutationSummary;
  });
  return out;
}

async function formal(quick: boolean) {
  const rows: { proof: string; yosys: string; verdict: string; seconds: number }[] = [];
  const add = async (proof: string, yosys: string, p: Promise<ProofResult & { inductionLength?: number }>) => {
    const r = await p;
    rows.push({ proof, yosys, verdict: r.inductionLength === undefined ? r.verdict : `${r.verdict} (induction length ${r.inductionLength})`, seconds: r.seconds });
  };
  for (const [lanes, off] of [
    [4, 112],
    [3, 100],
    [1, 223],
  ]) {
    await add(`PuzzleMoE decode (${lanes} lanes, offset ${off}) = spec decode rule`, '0.23', proveDecodeUnit({ lanes, exponentOffset: off }));
  }
  await add('PuzzleMoE decode (4 lanes, offset 112) = spec decode rule', '0.55 wasm', proveDecodeUnit({ lanes: 4, exponentOffset: 112 }, { flavor: 'wasm' }));
  await add('f16 -> f32 converter = hand-written reference', '0.23', proveF16ToF32());
  await add('f16 -> f32 converter = hand-written reference', '0.55 wasm', proveF16ToF32({ flavor: 'wasm' }));
  const steps = quick ? 12 : 24;
  await add(`valid/ready stage: no loss/duplication, order, throughput, stall hold (${steps} cycles)`, '0.23', proveValidReadyStage(steps));
  await add('valid/ready stage: the same properties in every cycle (k-induction)', '0.23', proveValidReadyStageUnbounded());
  await add('valid/ready stage: the same properties in every cycle (k-induction)', '0.55 wasm', proveValidReadyStageUnbounded({ flavor: 'wasm' }));
  return rows;
}

function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

async function determinism() {
  const a = path.join(tmpdir(), `hdl-bench-det-a-${process.pid}`);
  const b = path.join(tmpdir(), `hdl-bench-det-b-${process.pid}`);
  try {
    const t0 = performance.now();
    await generate({ out: a, quiet: true });
    await generate({ out: b, quiet: true });
    const fa = filesOf(a);
    const fb = filesOf(b);
    const differing = [...new Set([...fa.keys(), ...fb.keys()])].filter((f) => fa.get(f) !== fb.get(f));
    return { files: fa.size, differing: differing.length, seconds: secs(t0) };
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
}

export async function bench(opts: { quick: boolean }): Promise<{ key: string; results: unknown; markdown: string[] }> {
  const c = await corpus();
  const m = await mutation(opts.quick);
  const f = await formal(opts.quick);
  const d = await determinism();
  const totalCases = Object.values(c.byCategory).reduce((s, x) => s + x.cases, 0);
  const totalPassed = Object.values(c.byCategory).reduce((s, x) => s + x.passed, 0);
  const md: string[] = [
    '## Reliability (issue 9)',
    '',
    `Bad-input corpus (verif/bad through the CLI's main(), and the eDSL designs of test/bad-designs): ${totalPassed} of ${totalCases} cases give the exact expected message with a non-zero exit, no stack trace and no file changed (${c.seconds.toFixed(1)} s).`,
    '',
    '| category | cases | as expected |',
    '|---|---:|---:|',
    ...Object.entries(c.byCategory).map(([k, v]) => `| ${k} | ${v.cases} | ${v.passed} |`),
    ...(c.failures.length ? ['', `Not as expected: ${c.failures.join('; ')}`] : []),
    '',
    `Mutation testing (\`hdlgen mutate\`, ${opts.quick ? 'a seeded sample of 40 mutants per design, CI vectors' : `every mutant, full vectors (${Object.entries(FULL_SAMPLE).map(([d, n]) => `${d}: a seeded sample of ${n}`).join(', ')})`}): mutants of the printed SV run in one Verilator mutant-schema model against the golden vectors; survivors go to an equivalence proof (ABC \`iprove\` on the miter, then Yosys \`sat\` where ABC is undecided; combinational designs: a miter of the whole design; clocked designs: the mutated module and, where it differs on its own, the modules that instantiate it, cut at their registers, then at the top a counterexample search from reset). Kill rate = killed / (tested - proved equivalent). Solver limit per proof and engine: ${opts.quick ? '10 s' : '20 s'}. Two designs run at a time, each in its own process with one Yosys proof slot, so the seconds columns include that sharing.`,
    '',
    '| design | mutants | tested | killed | proved equivalent | undetected | unclassified | kill rate | vectors | build s | runs s | proofs s (cached) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...m.map((r) => `| ${r.design} | ${r.generated} | ${r.tested} | ${r.killed} | ${r.equivalent.length} | ${r.undetected.length} | ${r.unclassified.length} | ${pct(r.killRate)} | ${r.vectors} | ${r.buildSeconds.toFixed(1)} | ${r.runSeconds.toFixed(1)} | ${r.formalSeconds.toFixed(1)} (${r.cachedVerdicts}) |`),
  ];
  const open = m.flatMap((r) => [...r.undetected.map((u) => `${r.design} #${u.mutant.id} ${u.mutant.description}`), ...r.unclassified.map((x) => `${r.design} #${x.id} ${x.description} (unclassified)`)]);
  if (open.length) md.push('', 'Surviving mutants neither killed nor proved equivalent:', ...open.map((s) => `- ${s}`));
  md.push(
    '',
    'Formal proofs (Yosys `miter -equiv` + `sat -verify -prove-asserts`; bounded `sat -seq N` and unbounded k-induction `sat -tempinduct` for the protocol):',
    '',
    '| proof | Yosys | verdict | s |',
    '|---|---|---|---:|',
    ...f.map((r) => `| ${r.proof} | ${r.yosys} | ${r.verdict} | ${r.seconds.toFixed(2)} |`),
    '',
    `Determinism: two \`gen\` runs of the default configuration wrote ${d.files} files, ${d.differing} differing (${d.seconds.toFixed(1)} s).`,
  );
  return {
    key: 'reliability',
    results: {
      corpus: c,
      mutation: m.map((r) => ({ design: r.design, generated: r.generated, tested: r.tested, killed: r.killed, equivalent: r.equivalent.length, undetected: r.undetected.map((u) => u.mutant.description), unclassified: r.unclassified.map((x) => x.description), killRate: r.killRate, vectors: r.vectors, buildSeconds: r.buildSeconds, runSeconds: r.runSeconds, formalSeconds: r.formalSeconds, cachedVerdicts: r.cachedVerdicts, byOperator: r.byOperator })),
      formal: f,
      determinism: d,
    },
    markdown: md,
  };
}
