import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findGenerator } from '../../hdl-gen/designs/registry.ts';
import { emitDesign } from '../../hdl-gen/emit/sv-printer.ts';
import { UserError } from '../../hdl-gen/errors.ts';
import { elaborate } from '../../hdl-gen/index.ts';
import { rngFromSeed } from '../random.ts';
import { VerilatorSim } from '../verilator/verilator-sim.ts';
import { proveCombEquivalentBatch, type ProofResult, type ProofVerdict } from '../formal/equivalence.ts';
import { proveClockedMutants } from './prove-clocked.ts';
import { PROJECT_ROOT } from '../verilator/build.ts';
import { buildSchemaModel } from './build-schema.ts';
import { findMutationHook, MUTATION_HOOKS, type VectorBudget, type VerificationVectors } from './hooks.ts';
import { applyMutant, generateMutants, MUTATION_OPERATORS, renderSchema, type Mutant, type MutationOperator, type SvFile } from './sv-mutants.ts';

export interface MutationOptions {
  readonly design: string;
  /** Test a seeded random sample of this many mutants (default: all). */
  readonly sample?: number;
  /** Seed of the sample and of the stimulus (default 1). */
  readonly seed?: number;
  /** Vector budget (default 'full'). */
  readonly vectors?: VectorBudget;
  /** Solver time limit of one equivalence proof (default 20 s); a survivor past it is unclassified. */
  readonly proofTimeoutSeconds?: number;
  /** Harness processes at a time (default 2). */
  readonly jobs?: number;
  /** Slots for the Yosys runs of combinational proofs, shared by mutation runs going on at once (default: 2 of its own). */
  readonly proofSlots?: ProofSlots;
  readonly log?: (line: string) => void;
}

export interface MutationReport {
  readonly design: string;
  readonly top: string;
  /** Every mutant the operators produce for this design. */
  readonly generated: number;
  readonly tested: number;
  readonly killed: number;
  /** Mutants no vector told apart from the original. */
  readonly survivors: readonly Mutant[];
  /** Survivors Yosys proved equivalent to the original (clocked designs: from equal reset states). */
  readonly equivalent: readonly Mutant[];
  /** Survivors Yosys proved different, with the distinguishing input (clocked: the input of every cycle from reset): gaps in the vectors. */
  readonly undetected: readonly { mutant: Mutant; counterexample: Record<string, bigint>; trace?: readonly Record<string, bigint>[] }[];
  /** Survivors neither proved equivalent nor different (solver timeout; clocked designs equal for the searched cycles but not register by register). */
  readonly unclassified: readonly Mutant[];
  readonly byOperator: Readonly<Record<MutationOperator, { tested: number; killed: number }>>;
  readonly vectors: number;
  readonly buildSeconds: number;
  readonly runSeconds: number;
  readonly formalSeconds: number;
  /** Equivalence verdicts taken from the cache (build/mutate-equivalence). */
  readonly cachedVerdicts: number;
  /** killed / (tested - equivalent): the share of the mutants that change behaviour that were killed. */
  readonly killRate: number;
  readonly seed: number;
}

/** The printed SV of a hook's design (no source locators: comments are not mutated anyway). */
export function designSources(design: string): { files: SvFile[]; ir: ReturnType<typeof elaborate> } {
  const hook = findMutationHook(design);
  if (!hook) throw new UserError(`mutate: no verification hook for design '${design}'; designs with one: ${MUTATION_HOOKS.map((h) => h.design).join(', ')}`);
  const gen = findGenerator(hook.generator)!;
  const ir = elaborate(gen.def, gen.params.parse(hook.params) as Record<string, unknown>);
  return { files: emitDesign(ir, { locators: false }).map((m) => ({ fileName: m.fileName, text: m.text })), ir };
}

type Verdict = { verdict: ProofVerdict; counterexample: Record<string, string>; trace?: Record<string, string>[] };

/**
 * Equivalence verdicts are pure functions of (original SV, mutated SV, Yosys): cached by their hash
 * under build/mutate-equivalence/ so repeated runs (the bench, CI) only prove new mutants.
 */
class VerdictCache {
  private readonly dir = path.join(PROJECT_ROOT, 'build', 'mutate-equivalence');
  hits = 0;
  /** A timeout is cached with its time limit and engines: a longer limit or a new engine tries again. */
  key(files: readonly SvFile[], m: Mutant, timeoutSeconds: number | 'proved-or-failed', clocked: boolean): string {
    const h = createHash('sha256');
    if (clocked) h.update('clocked: module-wise register correspondence, bounded search from reset\0');
    if (timeoutSeconds !== 'proved-or-failed') h.update(`timeout ${timeoutSeconds} (abc iprove, yosys sat)\0`);
    for (const f of files) h.update(`${f.fileName}\0${f.text}\0`);
    h.update(`${m.statement.file}\0${m.statement.line}\0${m.region}`);
    return h.digest('hex');
  }
  get(key: string): Verdict | undefined {
    const f = path.join(this.dir, `${key}.json`);
    if (!existsSync(f)) return undefined;
    this.hits++;
    return JSON.parse(readFileSync(f, 'utf8')) as Verdict;
  }
  set(key: string, v: Verdict): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(path.join(this.dir, `${key}.json`), JSON.stringify(v));
  }
}

/** A seeded sample of `n` mutants (all when n >= the count), in id order. */
export function sampleMutants(all: readonly Mutant[], n: number | undefined, seed: number): Mutant[] {
  if (n === undefined || n >= all.length) return [...all];
  const rng = rngFromSeed(seed);
  const pool = [...all];
  for (let i = 0; i < n; i++) {
    const j = i + rng.below(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n).sort((a, b) => a.id - b.id);
}

/** Vector ranges tried in turn: most mutants die in the first (the edge cases), survivors see all. */
function chunks(n: number): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (const size of [1024, 16384]) {
    if (at >= n) break;
    out.push([at, Math.min(n, at + size)]);
    at += size;
  }
  if (at < n) out.push([at, n]);
  return out;
}

/** Runs one mutant (0 = the original) through the vectors; returns the first mismatch or null. */
async function runOne(build: Awaited<ReturnType<typeof buildSchemaModel>>, id: number, v: VerificationVectors): Promise<string | null> {
  const saved = process.env.HDL_MUTANT;
  process.env.HDL_MUTANT = String(id);
  const started = VerilatorSim.start(build); // spawns synchronously: the variable is read now
  if (saved === undefined) delete process.env.HDL_MUTANT;
  else process.env.HDL_MUTANT = saved;
  const sim = await started;
  try {
    const n = Object.values(v.inputs)[0].length;
    for (const [lo, hi] of chunks(n)) {
      const inputs = Object.fromEntries(Object.entries(v.inputs).map(([k, col]) => [k, col.slice(lo, hi)]));
      const out = await sim.runVectors(inputs, v.mode, lo === 0 && v.reset ? { reset: v.reset } : {});
      for (const [port, want] of Object.entries(v.expected)) {
        const got = out[port];
        for (let i = lo; i < hi; i++) {
          const w = want[i];
          if (w !== undefined && got[i - lo] !== w) return `vector ${i}: ${port} = 0x${got[i - lo].toString(16)}, expected 0x${w.toString(16)}`;
        }
      }
    }
    return null;
  } finally {
    await sim.close();
  }
}

/** A fixed number of slots for child processes (one per core), shared by concurrent mutation runs. */
export class ProofSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(slots: number) {
    this.free = slots;
  }
  async use<T>(f: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await f();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** Mutation testing of one design's printed SV against its verification hook. */
export async function runMutation(o: MutationOptions): Promise<MutationReport> {
  const seed = o.seed ?? 1;
  const hook = findMutationHook(o.design);
  const { files, ir } = designSources(o.design);
  const all = generateMutants(files);
  const chosen = sampleMutants(all, o.sample, seed);
  const tb = performance.now();
  const build = await buildSchemaModel(ir, renderSchema(files, chosen), { log: o.log });
  const buildSeconds = (performance.now() - tb) / 1000;
  const vectors = hook!.vectors(seed, o.vectors ?? 'full');
  const tr = performance.now();
  const baseline = await runOne(build, 0, vectors);
  if (baseline) throw new Error(`mutate: the unmutated design '${o.design}' fails its own verification (${baseline}): the hook or the design is wrong`);
  const byOperator = Object.fromEntries(MUTATION_OPERATORS.map((op) => [op, { tested: 0, killed: 0 }])) as Record<MutationOperator, { tested: number; killed: number }>;
  const survivors: Mutant[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const m = chosen[next++];
      const killedBy = await runOne(build, m.id, vectors);
      byOperator[m.operator].tested++;
      if (killedBy) byOperator[m.operator].killed++;
      else survivors.push(m);
      if (++done % 100 === 0) o.log?.(`mutate ${o.design}: ${done}/${chosen.length} mutants`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.jobs ?? 2) }, worker));
  survivors.sort((a, b) => a.id - b.id);
  const killed = chosen.length - survivors.length;
  const runSeconds = (performance.now() - tr) / 1000;
  // Survivors: prove them equivalent, or find the input that tells them apart.
  const tf = performance.now();
  const cache = new VerdictCache();
  const proofTimeout = o.proofTimeoutSeconds ?? 20;
  const equivalent: Mutant[] = [];
  const undetected: { mutant: Mutant; counterexample: Record<string, bigint>; trace?: readonly Record<string, bigint>[] }[] = [];
  const unclassified: Mutant[] = [];
  {
    const clocked = vectors.mode !== 'comb';
    const results = new Map<number, Verdict>();
    const todo: Mutant[] = [];
    for (const m of survivors) {
      const v = cache.get(cache.key(files, m, 'proved-or-failed', clocked)) ?? cache.get(cache.key(files, m, proofTimeout, clocked));
      if (v) results.set(m.id, v);
      else todo.push(m);
    }
    const record = (m: Mutant, r: ProofResult) => {
      const v: Verdict = { verdict: r.verdict, counterexample: Object.fromEntries(Object.entries(r.counterexample).map(([p, x]) => [p, x.toString()])), trace: r.trace?.map((c) => Object.fromEntries(Object.entries(c).map(([p, x]) => [p, x.toString()]))) };
      results.set(m.id, v);
      cache.set(cache.key(files, m, v.verdict === 'proved' || v.verdict === 'failed' ? 'proved-or-failed' : proofTimeout, clocked), v);
    };
    if (clocked) {
      // Clocked: module by module up the hierarchy, then register correspondence or a search from reset at the top.
      const rs = await proveClockedMutants(todo, { files, top: ir.top, resets: build.layout.resets, timeoutSeconds: proofTimeout });
      todo.forEach((m, k) => record(m, rs[k]));
    } else {
      // Batches of survivors per Yosys run, two runs at a time (or as the shared slots allow).
      const slots = o.proofSlots ?? new ProofSlots(2);
      const batches: Mutant[][] = [];
      for (let i = 0; i < todo.length; i += 10) batches.push(todo.slice(i, i + 10));
      let nb = 0;
      const prover = async () => {
        while (nb < batches.length) {
          const b = batches[nb++];
          const rs = await slots.use(() => proveCombEquivalentBatch({ files, top: ir.top }, b.map((m) => applyMutant(files, m)), { timeoutSeconds: proofTimeout }));
          b.forEach((m, k) => record(m, rs[k]));
        }
      };
      await Promise.all([prover(), prover()]);
    }
    const big = (c: Record<string, string>) => Object.fromEntries(Object.entries(c).map(([p, x]) => [p, BigInt(x)]));
    for (const m of survivors) {
      const r = results.get(m.id)!;
      if (r.verdict === 'proved') equivalent.push(m);
      else if (r.verdict === 'failed') undetected.push({ mutant: m, counterexample: big(r.counterexample), trace: r.trace?.map(big) });
      else unclassified.push(m);
    }
  }
  const formalSeconds = (performance.now() - tf) / 1000;
  const relevant = chosen.length - equivalent.length;
  return {
    design: o.design,
    top: ir.top,
    generated: all.length,
    tested: chosen.length,
    killed,
    survivors,
    equivalent,
    undetected,
    unclassified,
    byOperator,
    vectors: Object.values(vectors.inputs)[0].length,
    buildSeconds,
    runSeconds,
    formalSeconds,
    cachedVerdicts: cache.hits,
    killRate: relevant ? killed / relevant : 1,
    seed,
  };
}

/** The report as text lines (the CLI prints these). */
export function formatMutationReport(r: MutationReport): string[] {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `design ${r.design} (${r.top}): ${r.tested} of ${r.generated} mutants tested (seed ${r.seed}), ${r.vectors} vectors each at most`,
    ...Object.entries(r.byOperator)
      .filter(([, s]) => s.tested > 0)
      .map(([op, s]) => `  ${op.padEnd(20)} ${String(s.killed).padStart(5)} / ${String(s.tested).padEnd(5)} killed`),
    `killed ${r.killed} of ${r.tested}; ${r.equivalent.length} survivors proved equivalent (ABC iprove or Yosys sat); kill rate ${pct(r.killRate)} of the ${r.tested - r.equivalent.length} non-equivalent mutants`,
    `time: build ${r.buildSeconds.toFixed(1)} s, runs ${r.runSeconds.toFixed(1)} s, equivalence proofs ${r.formalSeconds.toFixed(1)} s (${r.cachedVerdicts} verdicts cached)`,
  ];
  const hex = (cex: Record<string, bigint>) => Object.entries(cex).map(([k, v]) => `${k}=0x${v.toString(16)}`).join(' ');
  const shown = (u: MutationReport['undetected'][number]) => (u.trace ? u.trace.map((c, i) => `cycle ${i}: ${hex(c)}`).join('; ') : hex(u.counterexample));
  if (r.undetected.length) lines.push(`survivors that change behaviour (${r.undetected.length}), with an input that shows it:`, ...r.undetected.map((u) => `  #${u.mutant.id} ${u.mutant.operator}: ${u.mutant.description} [${shown(u)}]`));
  if (r.unclassified.length) lines.push(`survivors not classified (${r.unclassified.length}):`, ...r.unclassified.map((m) => `  #${m.id} ${m.operator}: ${m.description}`));
  if (r.equivalent.length) lines.push(`equivalent mutants (${r.equivalent.length}):`, ...r.equivalent.map((m) => `  #${m.id} ${m.operator}: ${m.description}`));
  return lines;
}
