import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../hdl-gen/errors.ts';
import { runYosys, type YosysFlavor } from '../tools/yosys.ts';
import { abcProveMiter, portBits } from '../tools/yosys-abc.ts';

/**
 * Formal proofs with Yosys (the system 0.23 or the embedded 0.55): a flattened miter of two designs
 * (`miter -equiv`) proved with `sat -verify -prove-asserts`; for clocked designs, register
 * correspondence (flip-flops cut into inputs and outputs) and a bounded search from reset; or a
 * property wrapper whose immediate assertions are proved with a bounded `sat -seq N` from the
 * initial state or for every cycle by temporal induction (`sat -tempinduct`).
 */

export interface SvSource {
  readonly fileName: string;
  readonly text: string;
}

/**
 * 'failed' always comes with a real counterexample; 'inconclusive' means the solver found neither a
 * proof nor a counterexample within the method's reach (e.g. a k-induction that does not close, or
 * clocked designs equal for the searched cycles after reset but not register by register).
 */
export type ProofVerdict = 'proved' | 'failed' | 'timeout' | 'inconclusive';

export interface ProofResult {
  readonly verdict: ProofVerdict;
  /** Input values of the counterexample (miter inputs without the `in_` prefix), when failed; the first cycle of a sequence. */
  readonly counterexample: Record<string, bigint>;
  /** A sequential counterexample: the inputs of every cycle, the reset cycle first. */
  readonly trace?: readonly Record<string, bigint>[];
  readonly seconds: number;
  readonly log: string;
}

export interface DesignSide {
  readonly files: readonly SvSource[];
  readonly top: string;
  /** `chparam` overrides of the top's parameters, e.g. { LANES: 4 }. */
  readonly params?: Readonly<Record<string, number>>;
}

/**
 * Yosys's `sat -show-inputs` table: `  [<step>] \\<prefix><port>  <dec> <hex> <bin>` (dec and hex are
 * `--` past 64 bits, so the value is read from the binary column); a miter's inputs are `in_<port>`.
 * One record per step (a combinational proof has one, without the step column).
 */
function parseInputTable(log: string, prefix: string): Record<string, bigint>[] {
  return inputBits(log, prefix).map((step) => Object.fromEntries(Object.entries(step).map(([p, bin]) => [p, BigInt(`0b${bin}`)])));
}

/** `parseInputTable` with each value as the binary digits Yosys printed (their count is the port's width). */
function inputBits(log: string, prefix: string): Record<string, string>[] {
  const steps: Record<string, string>[] = [];
  const re = new RegExp(`^\\s*(?:(\\d+)\\s+)?\\\\${prefix}([A-Za-z0-9_]+)\\s+\\S+\\s+\\S+\\s+([01]+)\\s*$`, 'gm');
  for (const m of log.matchAll(re)) {
    const step = m[1] === undefined ? 0 : Number(m[1]) - 1;
    const rec = (steps[step] ??= {});
    if (!(m[2] in rec)) rec[m[2]] = m[3];
  }
  return Array.from(steps, (t) => t ?? {});
}

/** The inputs of a counterexample's first step. */
function parseCounterexample(log: string, prefix = 'in_'): Record<string, bigint> {
  return parseInputTable(log, prefix)[0] ?? {};
}

/** Binary digits by port as values. */
function bitsToValues(bits: Record<string, string>): Record<string, bigint> {
  return Object.fromEntries(Object.entries(bits).map(([p, bin]) => [p, BigInt(`0b${bin}`)]));
}

/** The `tee -o sat.log` output of a system-Yosys run (the wasm flavour keeps files in memory). */
function satLogOf(dir: string): string {
  const f = path.join(dir, 'sat.log');
  return existsSync(f) ? readFileSync(f, 'utf8') : '';
}

/** Writes `files` into a fresh temporary directory, runs `body` on their paths there, then removes it. */
async function inTempDir<T>(files: Record<string, string>, body: (dir: string, paths: string[]) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hdl-formal-'));
  try {
    const paths = Object.entries(files).map(([name, text]) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    });
    return await body(dir, paths);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The error for a Yosys run that failed to run (not a failed proof): its first ERROR lines, else the log's tail. */
function couldNotRun(flavor: YosysFlavor, what: string, log: string, clean: (line: string) => string = (l) => l): UserError {
  const errors = log.split('\n').filter((l) => /ERROR/.test(l)).slice(0, 5).map(clean);
  return new UserError(`yosys (${flavor}) could not run the ${what}: ${errors.join(' ') || log.trim().split('\n').slice(-3).join(' ')}`);
}

async function run(flavor: YosysFlavor, files: Record<string, string>, script: string, timeoutSeconds: number, inputPrefix = 'in_'): Promise<ProofResult> {
  return inTempDir(files, async (dir, paths) => {
    const t0 = performance.now();
    const r = await runYosys(flavor, paths, script);
    const satLog = satLogOf(dir);
    const seconds = (performance.now() - t0) / 1000;
    if (r.ok) return { verdict: 'proved', counterexample: {}, seconds, log: r.log };
    if (/proof did fail/i.test(r.log)) return { verdict: 'failed', counterexample: parseCounterexample(satLog, inputPrefix), seconds, log: r.log };
    if (/timeout|interrupted/i.test(r.log) || seconds >= timeoutSeconds) return { verdict: 'timeout', counterexample: {}, seconds, log: r.log };
    // name the user's files, not their temporary copies (gold__x.sv -> x.sv)
    throw couldNotRun(flavor, 'proof', r.log, (l) => l.replace(/\b(?:gold|gate|v\d+)__/g, ''));
  });
}

function readSide(prefix: string, side: DesignSide, as: string): { files: Record<string, string>; script: string } {
  const files: Record<string, string> = {};
  for (const f of side.files) files[`${prefix}__${f.fileName}`] = f.text;
  const chparam = Object.entries(side.params ?? {})
    .map(([k, v]) => ` -chparam ${k} ${v}`)
    .join('');
  const script = [
    `read_verilog -sv ${Object.keys(files).join(' ')}`,
    `hierarchy -check -top ${side.top}${chparam}`,
    'proc',
    'flatten',
    'opt_clean',
    `rename ${side.top} ${as}`,
    `design -stash ${as}`,
  ].join('; ');
  return { files, script };
}

/**
 * Proves two combinational designs with the same ports equal for every input: a flattened
 * `miter -equiv` (identical logic is shared by `opt`, so the solver only sees the differences)
 * and `sat -verify -prove-asserts`.
 */
export async function proveCombEquivalent(gold: DesignSide, gate: DesignSide, opts: { flavor?: YosysFlavor; timeoutSeconds?: number } = {}): Promise<ProofResult> {
  const g = readSide('gold', gold, 'gold');
  const m = readSide('gate', gate, 'gate');
  const timeout = opts.timeoutSeconds ?? 60;
  const script = [
    g.script,
    m.script,
    'design -copy-from gold -as gold gold',
    'design -copy-from gate -as gate gate',
    'miter -equiv -flatten -make_assert gold gate miter',
    'hierarchy -top miter',
    'opt -full',
    `tee -q -o sat.log sat -verify -prove-asserts -show-inputs -timeout ${timeout} miter`,
  ].join('; ');
  return run(opts.flavor ?? 'system', { ...g.files, ...m.files }, script, timeout);
}

/**
 * One Yosys run over many variants of one design: the gold design is read once, each variant's files
 * that differ from it are read under their own names, a flattened `miter -equiv${miterFlags}` of the
 * two is built and `perVariant(k)` runs on it. `prepare` are the commands that follow `proc; flatten`
 * on each side.
 */
function miterBatch(gold: DesignSide, variants: readonly (readonly SvSource[])[], prepare: readonly string[], miterFlags: string, perVariant: (k: number) => string[]): { files: Record<string, string>; script: string } {
  const files: Record<string, string> = {};
  for (const f of gold.files) files[`gold__${f.fileName}`] = f.text;
  const chparam = Object.entries(gold.params ?? {})
    .map(([k, v]) => ` -chparam ${k} ${v}`)
    .join('');
  const read = (names: readonly string[], as: string) => [`read_verilog -sv ${names.join(' ')}`, `hierarchy -check -top ${gold.top}${chparam}`, 'proc', 'flatten', ...prepare, 'opt_clean', `rename ${gold.top} ${as}`, `design -stash ${as}`];
  const steps: string[] = read(Object.keys(files), 'gold');
  variants.forEach((v, k) => {
    const names = v.map((f) => {
      if (files[`gold__${f.fileName}`] === f.text) return `gold__${f.fileName}`;
      files[`v${k}__${f.fileName}`] = f.text;
      return `v${k}__${f.fileName}`;
    });
    steps.push(
      ...read(names, 'gate'),
      'design -copy-from gold -as gold gold',
      'design -copy-from gate -as gate gate',
      `miter -equiv -flatten${miterFlags} gold gate miter`,
      'hierarchy -top miter',
      'opt -full',
      ...perVariant(k),
      'design -reset',
    );
  });
  return { files, script: steps.join('; ') };
}

/**
 * `miterBatch` with `proof` (a `sat` command) on each variant's miter (`-make_assert`). Returns the
 * `sat` log section of every variant. System Yosys only (the verdicts come from its log).
 */
async function runMiterBatch(gold: DesignSide, variants: readonly (readonly SvSource[])[], prepare: readonly string[], proof: string | ((k: number) => string), what: string): Promise<string[]> {
  const { files, script } = miterBatch(gold, variants, prepare, ' -make_assert', (k) => [`tee -q -a sat.log log @@variant ${k}`, `tee -q -a sat.log ${typeof proof === 'string' ? proof : proof(k)}`]);
  return inTempDir(files, async (dir, paths) => {
    const r = await runYosys('system', paths, script);
    if (!r.ok) throw couldNotRun('system', what, r.log);
    const sections = satLogOf(dir).split(/^@@variant /m).slice(1);
    return variants.map((_, k) => sections.find((t) => t.startsWith(`${k}\n`)) ?? '');
  });
}

/** A combinational miter's verdict; `inputs` (binary digits by port, without `in_`) when failed. */
export interface MiterVerdict {
  readonly verdict: 'proved' | 'failed' | 'timeout';
  readonly inputs: Record<string, string>;
  readonly log: string;
}

/**
 * ABC's `iprove` on the combinational miter of each variant against gold (Yosys writes each as an
 * AIGER file): 'timeout' when ABC gives up or runs out of `timeoutSeconds`. System Yosys and its
 * `yosys-abc` only.
 */
export async function abcMiterVerdicts(gold: DesignSide, variants: readonly (readonly SvSource[])[], opts: { prepare?: readonly string[]; timeoutSeconds?: number } = {}): Promise<MiterVerdict[]> {
  if (variants.length === 0) return [];
  const aig = (k: number) => `v${k}.aig`;
  const { files, script } = miterBatch(gold, variants, opts.prepare ?? [], '', (k) => [
    'techmap',
    'opt -fast',
    'aigmap',
    'opt_clean',
    `write_aiger -symbols ${aig(k)}`,
  ]);
  return inTempDir(files, async (dir, paths) => {
    const r = await runYosys('system', paths, script);
    if (!r.ok) throw couldNotRun('system', 'AIGER miters for ABC', r.log);
    const out: MiterVerdict[] = [];
    for (let k = 0; k < variants.length; k++) {
      const a = await abcProveMiter(path.join(dir, aig(k)), opts.timeoutSeconds ?? 60);
      out.push({ verdict: a.verdict, inputs: portBits(a.counterexampleBits, 'in_'), log: a.log });
    }
    return out;
  });
}

/** Yosys `sat`'s first, short try per miter: it decides most mutants in well under a second. */
const QUICK_SAT_SECONDS = 2;

/**
 * Combinational miters of many variants, decided by two engines in turn, each with at most `timeout`
 * seconds per miter: Yosys `sat` on the whole instance for QUICK_SAT_SECONDS (most are decided
 * there), then ABC's `iprove` (SAT sweeping shares the logic both sides compute, so a difference
 * masked deep inside a datapath, which one monolithic instance cannot decide, is cheap to prove
 * harmless), then `sat` again with the whole limit for what ABC left undecided. System Yosys and
 * its `yosys-abc` only.
 */
async function miterVerdicts(gold: DesignSide, variants: readonly (readonly SvSource[])[], prepare: readonly string[], timeout: number, what: string): Promise<MiterVerdict[]> {
  const verdicts: (MiterVerdict | undefined)[] = variants.map(() => undefined);
  const open = () => verdicts.flatMap((v, k) => (v === undefined ? [k] : []));
  const satLogs = new Map<number, string>();
  const sat = async (ks: readonly number[], limit: number) => {
    if (ks.length === 0) return;
    const logs = await runMiterBatch(gold, ks.map((k) => variants[k]), prepare, `sat -prove-asserts -show-inputs -timeout ${limit} miter`, what);
    ks.forEach((k, i) => {
      satLogs.set(k, logs[i]);
      const verdict = satVerdict(logs[i]);
      if (verdict !== 'timeout') verdicts[k] = { verdict, inputs: inputBits(logs[i], 'in_')[0] ?? {}, log: logs[i] };
    });
  };
  const quick = Math.min(QUICK_SAT_SECONDS, timeout);
  await sat(open(), quick);
  const hard = open();
  const abc = await abcMiterVerdicts(gold, hard.map((k) => variants[k]), { prepare, timeoutSeconds: timeout });
  hard.forEach((k, i) => {
    if (abc[i].verdict !== 'timeout') verdicts[k] = abc[i];
  });
  if (timeout > quick && open().length > 0) await sat(open(), timeout);
  return verdicts.map((v, k) => v ?? { verdict: 'timeout', inputs: {}, log: satLogs.get(k) ?? '' });
}

/** The verdict of a `sat -prove-asserts` log section (no `-tempinduct`). */
function satVerdict(text: string): 'proved' | 'failed' | 'timeout' {
  return /no model found: SUCCESS/.test(text) ? 'proved' : /model found: FAIL/.test(text) ? 'failed' : 'timeout';
}

/**
 * `proveCombEquivalent` for many variants of one design in one Yosys run (the mutation tool's
 * equivalence check of surviving mutants). System Yosys only.
 */
export async function proveCombEquivalentBatch(gold: DesignSide, variants: readonly (readonly SvSource[])[], opts: { timeoutSeconds?: number } = {}): Promise<ProofResult[]> {
  if (variants.length === 0) return [];
  const t0 = performance.now();
  const verdicts = await miterVerdicts(gold, variants, [], opts.timeoutSeconds ?? 60, 'equivalence proofs');
  const seconds = (performance.now() - t0) / 1000 / variants.length;
  return verdicts.map(({ verdict, inputs, log }) => ({ verdict, counterexample: bitsToValues(inputs), seconds, log }));
}

/** A reset input of a clocked design. */
export interface ResetPort {
  readonly name: string;
  readonly activeLow: boolean;
}

export interface SeqEquivalenceOptions {
  /** Reset inputs: asserted in the first cycle of the bounded search (registers start at zero). */
  readonly resets: readonly ResetPort[];
  /** Cycles searched after the reset cycle for a counterexample (default 2: one to load a state, one to see it). */
  readonly steps?: number;
  readonly timeoutSeconds?: number;
}

/** The `sat -seq -show-inputs` table of a miter as one record per cycle. */
function parseTrace(log: string): Record<string, bigint>[] {
  return parseInputTable(log, 'in_');
}

const CUT_REGISTERS = ['async2sync', 'insbuf', 'expose -evert-dff t:$dff', 'opt_clean', 'select -assert-none t:$*ff* t:$*latch* t:$mem* t:$_*'];

function cutProofs(gold: DesignSide, variants: readonly (readonly SvSource[])[], timeout: number): Promise<MiterVerdict[]> {
  return miterVerdicts(gold, variants, CUT_REGISTERS, timeout, 'register-correspondence proofs');
}

/**
 * Register correspondence alone (step 1 of `proveSeqEquivalentBatch`), for combinational or clocked
 * variants: 'proved' is sound for equal initial states; a model of the cut designs (its register
 * values may be unreachable) only makes the result 'inconclusive'. System Yosys only.
 */
export async function proveRegisterCorrespondenceBatch(gold: DesignSide, variants: readonly (readonly SvSource[])[], opts: { timeoutSeconds?: number } = {}): Promise<ProofResult[]> {
  if (variants.length === 0) return [];
  const t0 = performance.now();
  const cut = await cutProofs(gold, variants, opts.timeoutSeconds ?? 60);
  const seconds = (performance.now() - t0) / 1000 / variants.length;
  return cut.map(({ verdict, log }) => ({ verdict: verdict === 'failed' ? 'inconclusive' : verdict, counterexample: {}, seconds, log }));
}

/**
 * Sequential equivalence of clocked variants of one design (same ports, same register names: the
 * mutants only change expressions), from equal reset states and the same inputs every cycle:
 *  1. register correspondence: every flip-flop of both sides is cut (`expose -evert-dff`) into an
 *     input (its Q) and outputs (its D and clock), matched by name; when the cut designs are
 *     combinationally equal (same outputs and same next state for every state and input), the two
 *     designs stay in equal states and give equal outputs forever, by induction over the cycles
 *     (registers without a reset start equal: both at zero; SV initial values are not compared,
 *     the printed RTL has none) -> 'proved';
 *  2. otherwise a search on the uncut miter: registers at zero, reset asserted in the first cycle,
 *     then `steps` cycles of inputs whose outputs must agree (`sat -seq`), first with the inputs of
 *     the cut designs' counterexample in the cycle after reset (cheap, and mostly enough), then
 *     free; a model is an input sequence after which the outputs differ -> 'failed' with its
 *     trace; none -> 'inconclusive' (equal for those cycles, not register by register).
 *     System Yosys only.
 */
export async function proveSeqEquivalentBatch(gold: DesignSide, variants: readonly (readonly SvSource[])[], opts: SeqEquivalenceOptions): Promise<ProofResult[]> {
  if (variants.length === 0) return [];
  const timeout = opts.timeoutSeconds ?? 60;
  const steps = opts.steps ?? 2;
  const t0 = performance.now();
  const cut = await cutProofs(gold, variants, timeout);
  const resets = opts.resets.map((r) => ` -set-at 1 in_${r.name} ${r.activeLow ? 0 : 1}`).join('');
  const seq = async (ks: readonly number[], extra: (k: number) => string, what: string) =>
    ks.length === 0 ? [] : runMiterBatch(gold, ks.map((k) => variants[k]), ['async2sync'], (i) => `sat -seq ${steps + 1} -prove-asserts -prove-skip 1 -set-init-zero${resets}${extra(ks[i])} -show-inputs -timeout ${timeout} miter`, what);
  const logs = new Map<number, string>();
  const found = new Map<number, string>();
  // The cut counterexample's inputs (its register values are free, maybe unreachable), replayed in
  // the cycle after reset: mostly the difference shows without the state, and the replay is cheap.
  const refuted = variants.map((_, k) => k).filter((k) => cut[k].verdict === 'failed');
  const replays = await seq(refuted, (k) => Object.entries(cut[k].inputs).map(([p, bin]) => ` -set-at 2 in_${p} ${bin.length}'b${bin}`).join(''), 'replay of counterexamples');
  refuted.forEach((k, i) => (satVerdict(replays[i]) === 'failed' ? found : logs).set(k, replays[i]));
  const search = variants.map((_, k) => k).filter((k) => cut[k].verdict !== 'proved' && !found.has(k));
  const searched = await seq(search, () => '', 'bounded equivalence search');
  search.forEach((k, i) => (satVerdict(searched[i]) === 'failed' ? found : logs).set(k, searched[i]));
  const seconds = (performance.now() - t0) / 1000 / variants.length;
  return variants.map((_, k) => {
    if (cut[k].verdict === 'proved') return { verdict: 'proved', counterexample: {}, seconds, log: cut[k].log };
    const hit = found.get(k);
    if (hit !== undefined) {
      const trace = parseTrace(hit);
      return { verdict: 'failed', counterexample: trace[0] ?? {}, trace, seconds, log: `${cut[k].log}\n${hit}` };
    }
    const text = logs.get(k) ?? '';
    return { verdict: satVerdict(text) === 'proved' ? 'inconclusive' : 'timeout', counterexample: {}, seconds, log: `${cut[k].log}\n${text}` };
  });
}

/** `proveSeqEquivalentBatch` for one pair of designs. */
export async function proveSeqEquivalent(gold: DesignSide, gate: DesignSide, opts: SeqEquivalenceOptions): Promise<ProofResult> {
  if (gate.top !== gold.top) throw new UserError(`proveSeqEquivalent: both sides must have the same top module (gold '${gold.top}', gate '${gate.top}')`);
  return (await proveSeqEquivalentBatch(gold, [gate.files], opts))[0];
}

/** The files of a side by name, and the script prefix that reads them for a property proof. */
function formalRead(side: DesignSide, flavor: YosysFlavor): { files: Record<string, string>; prefix: string[] } {
  const files: Record<string, string> = {};
  for (const f of side.files) files[f.fileName] = f.text;
  return {
    files,
    prefix: [
      `read_verilog -sv -formal ${Object.keys(files).join(' ')}`,
      `hierarchy -check -top ${side.top}`,
      'proc',
      'flatten',
      // Yosys >= 0.4x reads immediate assertions as $check cells, which sat cannot import
      ...(flavor === 'wasm' ? ['chformal -lower'] : []),
      'opt_clean',
    ],
  };
}

/**
 * Proves every immediate assertion of `top` (read with -formal; `assume` constrains inputs) for the
 * first `steps` cycles from the initial values given in the SV (`initial` / declarations).
 */
export async function proveBounded(side: DesignSide, steps: number, opts: { flavor?: YosysFlavor; timeoutSeconds?: number } = {}): Promise<ProofResult> {
  const { files, prefix } = formalRead(side, opts.flavor ?? 'system');
  const timeout = opts.timeoutSeconds ?? 120;
  const script = [...prefix, `tee -q -o sat.log sat -verify -prove-asserts -set-assumes -set-init-undef -set-def-inputs -seq ${steps} -show-inputs -timeout ${timeout} ${side.top}`].join('; ');
  return run(opts.flavor ?? 'system', files, script, timeout, '');
}

/**
 * Proves every immediate assertion of `top` (read with -formal; `assume` constrains inputs) in every
 * cycle, unbounded, by k-induction (`sat -tempinduct`, k = 1 .. maxSteps): the base case checks the
 * first k cycles from the initial values given in the SV (registers without one start anywhere), the
 * induction step that k cycles satisfying the assertions (distinct states) are always followed by one
 * that does. A failing base case is a real counterexample ('failed'); an induction that does not
 * close by maxSteps is 'inconclusive' (the assertions may need strengthening invariants).
 */
export async function proveByInduction(side: DesignSide, opts: { maxSteps?: number; flavor?: YosysFlavor; timeoutSeconds?: number } = {}): Promise<ProofResult & { inductionLength?: number }> {
  const flavor = opts.flavor ?? 'system';
  const { files, prefix } = formalRead(side, flavor);
  const timeout = opts.timeoutSeconds ?? 120;
  const script = [
    ...prefix,
    `tee -q -o sat.log sat -tempinduct -prove-asserts -set-assumes -maxsteps ${opts.maxSteps ?? 10} -show-inputs -timeout ${timeout} ${side.top}`,
  ].join('; ');
  return inTempDir(files, async (_dir, paths) => {
    const t0 = performance.now();
    const r = await runYosys(flavor, paths, script, ['sat.log']).catch((e: unknown) => {
      if (e instanceof UserError) throw e;
      return { ok: false, log: String(e), outputs: {} as Record<string, string> };
    });
    const seconds = (performance.now() - t0) / 1000;
    const log = r.outputs['sat.log'] ?? '';
    if (!r.ok) throw couldNotRun(flavor, 'induction proof', r.log);
    const tried = [...log.matchAll(/Trying induction with length (\d+)/g)].map((m) => Number(m[1]));
    if (/Induction step proven: SUCCESS/.test(log)) return { verdict: 'proved', counterexample: {}, seconds, log, inductionLength: tried.at(-1) };
    if (/model found for base case: FAIL/.test(log)) {
      const full = parseInputTable(log, '');
      return { verdict: 'failed', counterexample: full[0] ?? {}, trace: full, seconds, log };
    }
    if (/TIMEOUT/.test(log)) return { verdict: 'timeout', counterexample: {}, seconds, log };
    return { verdict: 'inconclusive', counterexample: {}, seconds, log };
  });
}
