import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../hdl-gen/errors.ts';
import { runYosys, type YosysFlavor } from '../tools/yosys.ts';

/**
 * Formal proofs with Yosys (the system 0.23 or the embedded 0.55): a flattened miter of two designs
 * (`miter -equiv`) proved with `sat -verify -prove-asserts`, or a property wrapper whose immediate
 * assertions are proved with a bounded `sat -seq N` from the initial state.
 */

export interface SvSource {
  readonly fileName: string;
  readonly text: string;
}

export type ProofVerdict = 'proved' | 'failed' | 'timeout';

export interface ProofResult {
  readonly verdict: ProofVerdict;
  /** Input values of the counterexample (miter inputs without the `in_` prefix), when failed. */
  readonly counterexample: Record<string, bigint>;
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
 * Yosys's `sat -show-inputs` table: `  [<step>] \\<prefix><port>  <dec> <hex> <bin>`; a miter's
 * inputs are `in_<port>`. A sequence gives the values of its first step.
 */
function parseCounterexample(log: string, prefix = 'in_'): Record<string, bigint> {
  const cex: Record<string, bigint> = {};
  const re = new RegExp(`^\\s*(?:\\d+\\s+)?\\\\${prefix}([A-Za-z0-9_]+)\\s+-?\\d+\\s+([0-9a-fA-F]+)\\s`, 'gm');
  for (const m of log.matchAll(re)) if (!(m[1] in cex)) cex[m[1]] = BigInt(`0x${m[2]}`);
  return cex;
}

/** The `tee -o sat.log` output of a system-Yosys run (the wasm flavour keeps files in memory). */
function satLogOf(dir: string): string {
  const f = path.join(dir, 'sat.log');
  return existsSync(f) ? readFileSync(f, 'utf8') : '';
}

async function run(flavor: YosysFlavor, files: Record<string, string>, script: string, timeoutSeconds: number, inputPrefix = 'in_'): Promise<ProofResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hdl-formal-'));
  try {
    const paths = Object.entries(files).map(([name, text]) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    });
    const t0 = performance.now();
    const r = await runYosys(flavor, paths, script);
    const satLog = satLogOf(dir);
    const seconds = (performance.now() - t0) / 1000;
    if (r.ok) return { verdict: 'proved', counterexample: {}, seconds, log: r.log };
    if (/proof did fail/i.test(r.log)) return { verdict: 'failed', counterexample: parseCounterexample(satLog, inputPrefix), seconds, log: r.log };
    if (/timeout|interrupted/i.test(r.log) || seconds >= timeoutSeconds) return { verdict: 'timeout', counterexample: {}, seconds, log: r.log };
    // name the user's files, not their temporary copies (gold__x.sv -> x.sv)
    const errors = r.log.split('\n').filter((l) => /ERROR/.test(l)).slice(0, 5).map((l) => l.replace(/\b(?:gold|gate|v\d+)__/g, ''));
    throw new UserError(`yosys (${flavor}) could not run the proof: ${errors.join(' ') || r.log.trim().split('\n').slice(-3).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
 * `proveCombEquivalent` for many variants of one design in one Yosys run (the mutation tool's
 * equivalence check of surviving mutants): the gold design is read once, each variant's files that
 * differ from it are read under their own names. System Yosys only (the verdicts come from its log).
 */
export async function proveCombEquivalentBatch(gold: DesignSide, variants: readonly (readonly SvSource[])[], opts: { timeoutSeconds?: number } = {}): Promise<ProofResult[]> {
  if (variants.length === 0) return [];
  const g = readSide('gold', gold, 'gold');
  const timeout = opts.timeoutSeconds ?? 60;
  const files: Record<string, string> = { ...g.files };
  const steps: string[] = [g.script];
  variants.forEach((v, k) => {
    const names = v.map((f) => {
      if (files[`gold__${f.fileName}`] === f.text) return `gold__${f.fileName}`;
      files[`v${k}__${f.fileName}`] = f.text;
      return `v${k}__${f.fileName}`;
    });
    steps.push(
      `read_verilog -sv ${names.join(' ')}`,
      `hierarchy -check -top ${gold.top}`,
      'proc',
      'flatten',
      'opt_clean',
      `rename ${gold.top} gate`,
      'design -stash gate',
      'design -copy-from gold -as gold gold',
      'design -copy-from gate -as gate gate',
      'miter -equiv -flatten -make_assert gold gate miter',
      'hierarchy -top miter',
      'opt -full',
      `tee -q -a sat.log log @@variant ${k}`,
      `tee -q -a sat.log sat -prove-asserts -show-inputs -timeout ${timeout} miter`,
      'design -reset',
    );
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'hdl-formal-'));
  try {
    const paths = Object.entries(files).map(([name, text]) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    });
    const t0 = performance.now();
    const r = await runYosys('system', paths, steps.join('; '));
    const seconds = (performance.now() - t0) / 1000 / variants.length;
    if (!r.ok) {
      const errors = r.log.split('\n').filter((l) => /ERROR/.test(l)).slice(0, 5);
      throw new UserError(`yosys (system) could not run the equivalence proofs: ${errors.join(' ') || r.log.trim().split('\n').slice(-3).join(' ')}`);
    }
    const sections = satLogOf(dir).split(/^@@variant /m).slice(1);
    return variants.map((_, k) => {
      const text = sections.find((t) => t.startsWith(`${k}\n`)) ?? '';
      const verdict: ProofVerdict = /no model found: SUCCESS/.test(text) ? 'proved' : /model found: FAIL/.test(text) ? 'failed' : 'timeout';
      return { verdict, counterexample: verdict === 'failed' ? parseCounterexample(text) : {}, seconds, log: text };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Proves every immediate assertion of `top` (read with -formal; `assume` constrains inputs) for the
 * first `steps` cycles from the initial values given in the SV (`initial` / declarations).
 */
export async function proveBounded(side: DesignSide, steps: number, opts: { flavor?: YosysFlavor; timeoutSeconds?: number } = {}): Promise<ProofResult> {
  const files: Record<string, string> = {};
  for (const f of side.files) files[f.fileName] = f.text;
  const timeout = opts.timeoutSeconds ?? 120;
  const script = [
    `read_verilog -sv -formal ${Object.keys(files).join(' ')}`,
    `hierarchy -check -top ${side.top}`,
    'proc',
    'flatten',
    // Yosys >= 0.4x reads immediate assertions as $check cells, which sat cannot import
    ...(opts.flavor === 'wasm' ? ['chformal -lower'] : []),
    'opt_clean',
    `tee -q -o sat.log sat -verify -prove-asserts -set-assumes -set-init-undef -set-def-inputs -seq ${steps} -show-inputs -timeout ${timeout} ${side.top}`,
  ].join('; ');
  return run(opts.flavor ?? 'system', files, script, timeout, '');
}
