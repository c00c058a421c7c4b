import { proveRegisterCorrespondenceBatch, proveSeqEquivalentBatch, type ProofResult, type ResetPort } from '../formal/equivalence.ts';
import { applyMutant, type Mutant, type SvFile } from './sv-mutants.ts';

/**
 * Equivalence of surviving mutants of a clocked design, bottom-up through the module hierarchy:
 * a mutant changes one module; when that module (cut at its registers) is equivalent to the
 * original, so is every design that instantiates it, which is a small, fast proof. A module that
 * differs on its own may still be equivalent in context (its inputs never take the values where it
 * differs), so the proof moves to every module that instantiates it (each of them must be proved)
 * and ends at the top, where `proveSeqEquivalentBatch` either proves it or searches a counterexample
 * from reset.
 */

/** The module a printed file declares. */
function moduleOf(f: SvFile): string {
  const m = /^module\s+(\w+)/m.exec(f.text);
  if (!m) throw new Error(`mutate: no module declaration in ${f.fileName}`);
  return m[1];
}

/** For every module, the modules that instantiate it (`Name [#(...)] inst (` in the printed SV). */
export function instantiators(files: readonly SvFile[]): Map<string, string[]> {
  const names = files.map(moduleOf);
  const out = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const f of files) {
    const parent = moduleOf(f);
    for (const child of names) if (child !== parent && new RegExp(`^\\s*${child}\\s+(?:#\\s*\\([^;]*?\\)\\s*)?\\w+\\s*\\(`, 'm').test(f.text)) out.get(child)!.push(parent);
  }
  return out;
}

export interface ClockedProofOptions {
  readonly files: readonly SvFile[];
  readonly top: string;
  readonly resets: readonly ResetPort[];
  readonly timeoutSeconds: number;
  /** Yosys runs at a time (default 2). */
  readonly jobs?: number;
}

/** Proves or refutes each mutant; the results are in the order of `mutants`. */
export async function proveClockedMutants(mutants: readonly Mutant[], o: ClockedProofOptions): Promise<ProofResult[]> {
  const parents = instantiators(o.files);
  const moduleOfFile = new Map(o.files.map((f) => [f.fileName, moduleOf(f)]));
  // Per mutant, the modules still to prove; a mutant whose set empties is proved.
  const open = mutants.map((m) => new Set([moduleOfFile.get(m.statement.file)!]));
  const results: (ProofResult | undefined)[] = mutants.map(() => undefined);
  const pool = async <T>(tasks: (() => Promise<T>)[]): Promise<T[]> => {
    const out: T[] = new Array(tasks.length);
    let next = 0;
    await Promise.all(Array.from({ length: Math.max(1, o.jobs ?? 2) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }));
    return out;
  };
  const seconds = new Array<number>(mutants.length).fill(0);
  // Below the top: one Yosys run per (module, up to 10 mutants of it).
  for (;;) {
    const jobs: { module: string; ks: number[] }[] = [];
    const byModule = new Map<string, number[]>();
    open.forEach((set, k) => {
      if (results[k]) return;
      for (const mod of set) if (mod !== o.top) (byModule.get(mod) ?? byModule.set(mod, []).get(mod)!).push(k);
    });
    if (byModule.size === 0) break;
    for (const [mod, ks] of byModule) for (let i = 0; i < ks.length; i += 10) jobs.push({ module: mod, ks: ks.slice(i, i + 10) });
    const rs = await pool(jobs.map((j) => () => proveRegisterCorrespondenceBatch({ files: o.files, top: j.module }, j.ks.map((k) => applyMutant(o.files, mutants[k])), { timeoutSeconds: o.timeoutSeconds })));
    jobs.forEach((j, n) =>
      j.ks.forEach((k, i) => {
        seconds[k] += rs[n][i].seconds;
        open[k].delete(j.module);
        if (rs[n][i].verdict === 'proved') return;
        // an instantiation the scan missed must not count as proved: then the top decides
        const ps = parents.get(j.module) ?? [];
        for (const p of ps.length ? ps : [o.top]) open[k].add(p);
      }),
    );
  }
  open.forEach((set, k) => {
    if (set.size === 0) results[k] = { verdict: 'proved', counterexample: {}, seconds: seconds[k], log: '' };
  });
  // At the top: register correspondence, then a counterexample search from reset.
  const atTop = mutants.map((_, k) => k).filter((k) => !results[k]);
  const batches: number[][] = [];
  for (let i = 0; i < atTop.length; i += 10) batches.push(atTop.slice(i, i + 10));
  const rs = await pool(batches.map((b) => () => proveSeqEquivalentBatch({ files: o.files, top: o.top }, b.map((k) => applyMutant(o.files, mutants[k])), { resets: o.resets, timeoutSeconds: o.timeoutSeconds })));
  batches.forEach((b, n) => b.forEach((k, i) => (results[k] = { ...rs[n][i], seconds: seconds[k] + rs[n][i].seconds })));
  return results.map((r) => r!);
}
