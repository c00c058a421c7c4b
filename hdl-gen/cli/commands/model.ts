/**
 * `hdlgen model`: the event-level system model of MoE decoding with expert offloading
 * (hdl-gen/units/routing/golden/system-model.ts), replaying a routing trace under no prefetch,
 * MoBiLE big/little, MoE-SpeQ predicted prefetch, and both. Prints every parameter (with where its
 * default comes from) beside the results.
 *
 * ```
 * hdlgen model [--trace FILE.jsonl | --tokens N --seed S --skew X --locality X --accuracy X
 *              --acceptance X --fallback X] [--write-trace FILE.jsonl]
 *              [--policy all|baseline|mobile|speq|both] [--cache-gb G | --cache-slots N] [--pinned N]
 *              [--link-gbps B] [--link-latency-us U] [--mem-gbps M] [--expert-mb M] [--dense-mb M]
 *              [--speculate auto|K] [--k-max K] [--array N] [--spare-hints] [--mobile-skip] [--json]
 * ```
 * Trace format: hdl-gen/units/routing/golden/trace.ts (JSONL, header line then one line per token).
 * Without --trace a synthetic trace is generated (Phi-3.5-MoE shape: 32 layers, 16 experts, top-2).
 * The PE array's cycles per K element and fill/drain are measured on the SpeqPeArray RTL at start-up
 * (IR simulator, about a second) and extended to the N x N array (default 64).
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UserError } from '../../errors.ts';
import { writeFileAtomic } from '../../tensors/safetensors.ts';
import { PAPER_HARDWARE, PAPER_RATES, PHI35_MOE, defaultKnobs, defaultSystemParams } from '../../units/routing/golden/paper-setup.ts';
import { POLICIES, simulate, type Policy, type PolicyResult, type SystemParams } from '../../units/routing/golden/system-model.ts';
import { parseTrace, serializeTrace, synthesizeTrace, type RoutingTrace, type SyntheticKnobs } from '../../units/routing/golden/trace.ts';
import { modelArrayTiming } from '../../../verif/speq/array-timing.ts';

export interface ModelOptions {
  readonly trace?: string;
  readonly writeTrace?: string;
  readonly tokens?: string;
  readonly seed?: string;
  readonly skew?: string;
  readonly locality?: string;
  readonly accuracy?: string;
  readonly acceptance?: string;
  readonly fallback?: string;
  readonly policy?: string;
  readonly cacheGb?: string;
  readonly cacheSlots?: string;
  readonly pinned?: string;
  readonly linkGbps?: string;
  readonly linkLatencyUs?: string;
  readonly memGbps?: string;
  readonly expertMb?: string;
  readonly denseMb?: string;
  readonly speculate?: string;
  readonly kMax?: string;
  readonly array?: string;
  readonly spareHints?: boolean;
  readonly mobileSkip?: boolean;
  readonly json?: boolean;
}

function num(flag: string, v: string | undefined, lo: number, hi: number, integer = false): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < lo || x > hi || (integer && !Number.isInteger(x))) {
    throw new UserError(`--${flag}: expected ${integer ? 'an integer' : 'a number'} from ${lo} to ${hi}, got '${v}'`);
  }
  return x;
}

export interface ModelRun {
  readonly params: SystemParams;
  /** Every parameter with its value and source, one line each. */
  readonly assumptions: string[];
  readonly knobs: SyntheticKnobs | null;
  readonly traceName: string;
  readonly results: PolicyResult[];
}

/** Resolves options, builds or reads the trace, runs the policies. */
export function runModel(o: ModelOptions): ModelRun {
  const policies: Policy[] = o.policy === undefined || o.policy === 'all' ? [...POLICIES] : [o.policy as Policy];
  if (!POLICIES.includes(policies[0])) throw new UserError(`--policy: expected all, ${POLICIES.join(', ')}; got '${o.policy}'`);
  const arraySize = num('array', o.array, 1, 1024, true) ?? PAPER_HARDWARE.arrayRows.value;
  const array = modelArrayTiming(arraySize, arraySize);
  const defaults = defaultSystemParams(array.timing);
  const src: Record<string, string> = {};
  const pick = <T>(key: string, cli: T | undefined, def: T, source: string): T => {
    src[key] = cli === undefined ? source : 'command line';
    return cli === undefined ? def : cli;
  };
  let trace: RoutingTrace;
  let knobs: SyntheticKnobs | null = null;
  let traceName: string;
  if (o.trace) {
    for (const f of ['tokens', 'seed', 'skew', 'locality', 'accuracy', 'acceptance', 'fallback'] as const) if (o[f] !== undefined) throw new UserError(`--${f} configures the synthetic trace; it cannot be combined with --trace`);
    let text: string;
    try {
      text = readFileSync(o.trace, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(code === 'ENOENT' ? `${o.trace}: no such file` : `${o.trace}: cannot read: ${(e as Error).message}`);
    }
    trace = parseTrace(text, o.trace);
    traceName = o.trace;
  } else {
    const d = defaultKnobs(400, 1);
    knobs = {
      ...d,
      tokens: num('tokens', o.tokens, 2, 1e6, true) ?? d.tokens,
      seed: num('seed', o.seed, 0, 2 ** 32 - 1, true) ?? d.seed,
      skew: num('skew', o.skew, 0, 10) ?? d.skew,
      locality: num('locality', o.locality, 0, 1) ?? d.locality,
      accuracy: num('accuracy', o.accuracy, 0, 1) ?? d.accuracy,
      acceptance: num('acceptance', o.acceptance, 0, 1) ?? d.acceptance,
      fallback: num('fallback', o.fallback, 0, 1) ?? d.fallback,
    };
    trace = synthesizeTrace(knobs);
    traceName = 'synthetic';
  }
  if (o.cacheGb !== undefined && o.cacheSlots !== undefined) throw new UserError('give --cache-gb or --cache-slots, not both');
  const expertBytes = pick('expertBytes', num('expert-mb', o.expertMb, 1e-6, 1e7) === undefined ? undefined : Math.round(Number(o.expertMb) * 1e6), defaults.expertBytes, PHI35_MOE.expertBytes.source);
  const denseBytes = pick('denseBytes', num('dense-mb', o.denseMb, 1e-6, 1e7) === undefined ? undefined : Math.round(Number(o.denseMb) * 1e6), defaults.denseBytes, PHI35_MOE.denseBytes.source);
  const slotsFromGb = num('cache-gb', o.cacheGb, 1e-3, 1e5);
  const cacheSlots = pick('cacheSlots', num('cache-slots', o.cacheSlots, 1, 1 << 20, true) ?? (slotsFromGb === undefined ? undefined : Math.floor((slotsFromGb * 1e9) / expertBytes)), Math.floor(PAPER_HARDWARE.cacheBytes.value / expertBytes), PAPER_HARDWARE.cacheBytes.source);
  const spec = o.speculate === undefined || o.speculate === 'auto' ? undefined : num('speculate', o.speculate, 1, 64, true);
  const params: SystemParams = {
    ...defaults,
    expertBytes,
    // MACs follow the bytes at 2 bytes (BF16) per weight when the sizes are overridden
    expertMacs: o.expertMb === undefined ? defaults.expertMacs : expertBytes / 2,
    denseBytes,
    denseMacs: o.denseMb === undefined ? defaults.denseMacs : denseBytes / 2,
    cacheSlots,
    pinned: pick('pinned', num('pinned', o.pinned, 0, 1 << 20, true), defaults.pinned, 'assumption'),
    linkBytesPerSecond: pick('linkBytesPerSecond', num('link-gbps', o.linkGbps, 1e-3, 1e5) === undefined ? undefined : Number(o.linkGbps) * 1e9, defaults.linkBytesPerSecond, PAPER_HARDWARE.linkBytesPerSecond.source),
    linkLatencySeconds: pick('linkLatencySeconds', num('link-latency-us', o.linkLatencyUs, 0, 1e6) === undefined ? undefined : Number(o.linkLatencyUs) * 1e-6, defaults.linkLatencySeconds, PAPER_HARDWARE.linkLatencySeconds.source),
    memBytesPerSecond: pick('memBytesPerSecond', num('mem-gbps', o.memGbps, 1e-3, 1e6) === undefined ? undefined : Number(o.memGbps) * 1e9, defaults.memBytesPerSecond, PAPER_HARDWARE.memBytesPerSecond.source),
    speculate: pick<number | 'auto'>('speculate', spec, 'auto', 'governor (MoE-SpeQ)'),
    kMax: pick('kMax', num('k-max', o.kMax, 1, 16, true), defaults.kMax, 'assumption'),
    spareHints: pick('spareHints', o.spareHints ? true : undefined, false, 'assumption (spec DECISION available with --spare-hints)'),
    mobileSkip: pick('mobileSkip', o.mobileSkip ? true : undefined, false, 'default: MoBiLE re-runs important tokens (paper)'),
    routerCycles: trace.header.k + 2,
  };
  if (o.expertMb !== undefined) src.expertMacs = 'command line (bytes / 2)';
  if (o.denseMb !== undefined) src.denseMacs = 'command line (bytes / 2)';
  const f = (x: number, unit: string) => `${x.toPrecision(4)} ${unit}`;
  const assumptions = [
    `trace: ${traceName}, ${trace.tokens.length} tokens, ${trace.header.layers} layers, ${trace.header.experts} experts, top-${trace.header.k}${knobs ? '' : ' (from the file)'}`,
    ...(knobs
      ? [
          `  skew ${knobs.skew} (${PAPER_RATES.skew.source}), locality ${knobs.locality} (${PAPER_RATES.locality.source}), seed ${knobs.seed}`,
          `  prediction accuracy ${knobs.accuracy} (${o.accuracy === undefined ? PAPER_RATES.accuracy.source : 'command line'})`,
          `  acceptance ${knobs.acceptance} (${o.acceptance === undefined ? PAPER_RATES.acceptance.source : 'command line'})`,
          `  fallback rate ${knobs.fallback} (${o.fallback === undefined ? PAPER_RATES.fallback.source : 'command line'})`,
        ]
      : []),
    `expert: ${f(params.expertBytes / 1e6, 'MB')}, ${f(params.expertMacs / 1e6, 'M MAC/token')} (${src.expertBytes})`,
    `dense per layer: ${f(params.denseBytes / 1e6, 'MB')}, ${f(params.denseMacs / 1e6, 'M MAC/token')} (${src.denseBytes})`,
    `host link: ${f(params.linkBytesPerSecond / 1e9, 'GB/s')} (${src.linkBytesPerSecond}), latency ${f(params.linkLatencySeconds * 1e6, 'us')} (${src.linkLatencySeconds}); one load = ${f((params.linkLatencySeconds + params.expertBytes / params.linkBytesPerSecond) * 1e3, 'ms')}`,
    `device memory: ${f(params.memBytesPerSecond / 1e9, 'GB/s')} (${src.memBytesPerSecond}); clock ${f(params.clockHz / 1e9, 'GHz')} (${PAPER_HARDWARE.clockHz.source})`,
    `PE array: ${arraySize}x${arraySize} (${o.array === undefined ? PAPER_HARDWARE.arrayRows.source : 'command line'}); timing from the ${array.source}`,
    `expert cache: ${params.cacheSlots} slots = ${f((params.cacheSlots * params.expertBytes) / 1e9, 'GB')} (${src.cacheSlots}), ${params.pinned} pinned (${src.pinned}), LRU, prefetch queue ${params.queueDepth}`,
    `router: ${params.routerCycles} cycles per layer (TopKRouter latency K + 2)`,
    `speculation: ${params.speculate === 'auto' ? `governor, k <= ${params.kMax}` : `fixed k = ${params.speculate}`} (${src.speculate}); draft experts at ${params.draftFraction.toFixed(4)} of the size (${PAPER_HARDWARE.draftFraction.source})`,
    `MoBiLE spare-rank prefetch hints: ${params.spareHints ? 'on' : 'off'} (${src.spareHints}); ${params.mobileSkip ? 'skip absent big-only experts of unimportant tokens (ExpertCache option), no re-runs' : 're-run important tokens with the big set'} (${src.mobileSkip})`,
  ];
  if (o.writeTrace) writeFileAtomic(o.writeTrace, serializeTrace(trace));
  const results = policies.map((pol) => simulate(trace, params, pol));
  return { params, assumptions, knobs, traceName, results };
}

/** The result table; speedups are relative to `baseline` when it ran. */
export function resultTable(results: readonly PolicyResult[]): string[] {
  const base = results.find((r) => r.policy === 'baseline');
  const rows = [['policy', 'tokens/s', 'speedup', 'hit%', 'GB loaded/token', 'link busy', 'fallback passes', 'mean k']];
  for (const r of results) {
    const demands = r.demandHits + r.demandInflight + r.demandMisses;
    rows.push([
      r.policy,
      r.tokensPerSecond.toFixed(3),
      base ? `${(r.tokensPerSecond / base.tokensPerSecond).toFixed(2)}x` : '-',
      ((100 * r.demandHits) / Math.max(1, demands)).toFixed(1),
      (r.bytesLoaded / r.tokens / 1e9).toFixed(3),
      `${((100 * r.linkBusySeconds) / r.seconds).toFixed(0)}%`,
      String(r.fallbackPasses),
      r.meanK === null ? '-' : r.meanK.toFixed(2),
    ]);
  }
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join('  '));
}

export function registerModel(program: Command): void {
  program
    .command('model')
    .description('event-level system model of MoE decoding with expert offloading: tokens/s for no prefetch, MoBiLE big/little, MoE-SpeQ predicted prefetch, both')
    .option('--trace <file>', 'routing trace (JSONL, moe-routing-trace-v1; see hdl-gen/units/routing/golden/trace.ts); default: synthetic')
    .option('--write-trace <file>', 'also write the trace used (JSONL)')
    .option('--tokens <n>', 'synthetic trace: tokens (default 400)')
    .option('--seed <n>', 'synthetic trace: seed (default 1)')
    .option('--skew <x>', 'synthetic trace: Zipf exponent of expert popularity')
    .option('--locality <p>', 'synthetic trace: probability of reusing the previous token\'s expert')
    .option('--accuracy <p>', 'synthetic trace: draft prediction accuracy per expert id')
    .option('--acceptance <p>', 'synthetic trace: draft token acceptance rate')
    .option('--fallback <p>', 'synthetic trace: fraction of important (fallback) tokens')
    .option('--policy <name>', 'all (default), baseline, mobile, speq or both')
    .option('--cache-gb <g>', 'expert cache size in GB')
    .option('--cache-slots <n>', 'expert cache size in slots')
    .option('--pinned <n>', 'most popular experts preloaded and pinned')
    .option('--link-gbps <b>', 'host link bandwidth, GB/s')
    .option('--link-latency-us <u>', 'host link latency per load, us')
    .option('--mem-gbps <m>', 'device memory bandwidth, GB/s')
    .option('--expert-mb <m>', 'bytes of one expert, MB (BF16: MACs = bytes / 2)')
    .option('--dense-mb <m>', 'bytes of the dense part of a layer, MB')
    .option('--speculate <k>', "speculation depth: 'auto' (governor, default) or a fixed k")
    .option('--k-max <k>', 'largest k the governor may choose, 1..16 (default 8)')
    .option('--array <n>', 'PE array size N (an N x N SpeqPeArray; default 64)')
    .option('--spare-hints', 'MoBiLE: prefetch ranks K/2..K-1 during little passes')
    .option('--mobile-skip', 'MoBiLE: skip absent big-only experts of unimportant tokens (ExpertCache option) instead of re-running important tokens')
    .option('--json', 'print JSON (parameters, assumptions, results)')
    .action((o: ModelOptions) => {
      const run = runModel(o);
      if (o.json) {
        process.stdout.write(JSON.stringify({ params: run.params, knobs: run.knobs, assumptions: run.assumptions, results: run.results }, null, 2) + '\n');
        return;
      }
      process.stdout.write(['assumptions and parameters:', ...run.assumptions.map((a) => `  ${a}`), '', ...resultTable(run.results), ''].join('\n'));
    });
}
