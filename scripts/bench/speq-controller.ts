// SPEQ speculative-decoding controller: cycles per accepted token at gamma 1..8, measured by running
// the RTL controller (Verilator; one point cross-checked on the IR simulator) on random acceptance
// patterns, and the modeled end-to-end speedup over plain FP16 decoding of a memory-bound layer.
// Every figure below is computed in this run; the only typed-in numbers are the model's inputs,
// each labeled with where it comes from.
import { performance } from 'node:perf_hooks';
import { elaborate } from '../../hdl-gen/index.ts';
import { expectedCyclesPerToken, expectedTokensPerRound, runSpeculative, type SpecCycleParams } from '../../hdl-gen/units/speq/golden/controller.ts';
import { SpecController } from '../../hdl-gen/units/speq/rtl/spec-controller.ts';
import { rngFromSeed, seedFromEnv } from '../../verif/random.ts';
import { IrSimulator } from '../../verif/sim/ir-simulator.ts';
import { irDriver, randomRound, runEventDriven, verilatorDriver, type FastRunResult, type SpecControllerRun } from '../../verif/speq/spec-controller-host.ts';
import { VerilatorSim } from '../../verif/verilator/verilator-sim.ts';

/** The paper's headline speedups (SPEQ, arXiv 2510.18525, abstract; also in the spec). */
const PAPER = { overFp16: 2.07, overOlive: 1.53, overTender: 1.45 } as const;

/**
 * Memory-bound layer model (this project's choices, not the paper's):
 * a K x N FP16 weight matrix streamed once per pass through an R x C output-stationary array whose
 * weight bandwidth is BW bytes/cycle = 2C (one FP16 weight per column per cycle, so verify mode is
 * exactly memory-bound). Plain FP16 decoding reads all 2KN bytes per token: T0 = 2KN / BW cycles.
 * A draft step reads the draft plane only (a quarter of the bytes: the SPEQ idea [paper]), and draft
 * mode's 4 MACs per PE per cycle keep up with it: Td = T0 / 4. The verify pass over gamma + 1 <= R
 * positions reads every weight once and reuses it across the positions: Tv = ceil((gamma+1)/R) * T0.
 * A mode switch drains and refills the array: Ts = R + C cycles.
 */
const LAYER = { K: 4096, N: 4096, R: 64, C: 64 } as const;
/** The RTL runs the layer's timing divided by this (cycles per token scale linearly; checked below). */
const SCALE = 128;

const GAMMAS = [1, 2, 3, 4, 5, 6, 7, 8] as const;
/** Acceptance rates swept (our choice: neither the spec nor the paper's abstract gives per-token rates). */
const ALPHAS = [0.5, 0.6, 0.7, 0.8, 0.9] as const;

interface LayerTiming {
  readonly bandwidth: number;
  readonly t0: number;
  readonly draft: number;
  readonly verifyPasses: (gamma: number) => number;
  readonly switch: number;
}

function layerTiming(): LayerTiming {
  const { K, N, R, C } = LAYER;
  const bandwidth = 2 * C;
  const t0 = (2 * K * N) / bandwidth;
  return { bandwidth, t0, draft: t0 / 4, verifyPasses: (g) => Math.ceil((g + 1) / R), switch: R + C };
}

/** The RTL's timing for one gamma: the layer's, divided by `scale` (each term must stay an integer >= 1, Ts >= 0). */
function cycleParams(L: LayerTiming, gamma: number, scale: number): SpecCycleParams {
  const p = { draftCyclesPerStep: L.draft / scale, verifyCyclesPerPass: (L.verifyPasses(gamma) * L.t0) / scale, switchCycles: L.switch / scale };
  for (const [k, v] of Object.entries(p)) if (!Number.isInteger(v)) throw new Error(`speq-controller bench: ${k} = ${v} is not an integer at scale 1/${scale}`);
  return p;
}

/** Best modeled speedup over gamma 1..8 at acceptance rate alpha (closed form, steady state). */
function modeledBestSpeedup(L: LayerTiming, alpha: number): { gamma: number; speedup: number } {
  let best = { gamma: 0, speedup: 0 };
  for (const g of GAMMAS) {
    const s = L.t0 / expectedCyclesPerToken(alpha, g, cycleParams(L, g, 1));
    if (s > best.speedup) best = { gamma: g, speedup: s };
  }
  return best;
}

/** The acceptance rate at which the model's best speedup equals `target` (bisection; monotone in alpha). */
function impliedAlpha(L: LayerTiming, target: number): number {
  let lo = 0;
  let hi = 1;
  if (modeledBestSpeedup(L, hi).speedup < target) return NaN;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (modeledBestSpeedup(L, mid).speedup < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** timingWidth 20: the full-scale timing (T0 = 262,144 cycles) fits the cfg inputs. */
const SHAPE = { gammaMax: 8, tokenWidth: 16, timingWidth: 20 } as const;

interface Point {
  alpha: number;
  gamma: number;
  rounds: number;
  acceptedTokens: number;
  totalCycles: number;
  cyclesPerToken: number;
  /** cycles per token / T0 (time per token relative to FP16 decoding). */
  relativeTimePerToken: number;
  speedupOverFp16: number;
  expectedCyclesPerToken: number;
  tokensPerRound: number;
}

/** Runs one point on the RTL and checks it against the golden model (tokens, counters, no stalls). */
async function measure(run: (r: SpecControllerRun) => Promise<FastRunResult>, spec: SpecControllerRun, what: string): Promise<FastRunResult> {
  const got = await run(spec);
  const golden = runSpeculative(spec.gamma, spec.rounds, spec.timing);
  const want = { tokens: golden.tokens.length, totalCycles: golden.totalCycles, roundCount: golden.rounds.length, stallCycles: 0, counterOverflow: false };
  const have = { tokens: got.tokens.length, totalCycles: got.totalCycles, roundCount: got.roundCount, stallCycles: got.stallCycles, counterOverflow: got.counterOverflow };
  if (JSON.stringify(have) !== JSON.stringify(want) || got.acceptedTokens !== golden.tokens.length || got.tokens.some((t, i) => t !== golden.tokens[i])) {
    throw new Error(`speq-controller bench: ${what}: RTL ${JSON.stringify(have)} differs from the golden model ${JSON.stringify(want)}`);
  }
  return got;
}

export async function bench(opts: { quick: boolean }): Promise<{ key: string; results: unknown; markdown: string[] }> {
  const t0 = performance.now();
  const seed = process.env.HDL_SEED ? seedFromEnv() : 1;
  const roundsPerPoint = opts.quick ? 150 : 1000;
  const L = layerTiming();
  const alphaStar = impliedAlpha(L, PAPER.overFp16);
  const alphas = [...ALPHAS, alphaStar].filter((a) => Number.isFinite(a));

  const design = elaborate(SpecController, SHAPE);
  const vsim = await VerilatorSim.build(design);
  const points: Point[] = [];
  let fullScale: { scaledCycles: number; fullCycles: number; tokens: number } | null = null;
  let irCross: { verilatorCycles: number; irCycles: number; tokens: number } | null = null;
  try {
    vsim.reset(2);
    const onVerilator = (r: SpecControllerRun) => runEventDriven(verilatorDriver(vsim), SHAPE, r);
    for (const [ai, alpha] of alphas.entries()) {
      for (const gamma of GAMMAS) {
        const rng = rngFromSeed((seed + 1000 * ai + gamma) >>> 0);
        const timing = cycleParams(L, gamma, SCALE);
        const spec: SpecControllerRun = { gamma, timing, rounds: Array.from({ length: roundsPerPoint }, () => randomRound(rng, gamma, alpha, SHAPE.tokenWidth)) };
        const r = await measure(onVerilator, spec, `alpha ${alpha}, gamma ${gamma}`);
        const t0s = L.t0 / SCALE;
        const cpt = r.totalCycles / r.acceptedTokens;
        points.push({
          alpha,
          gamma,
          rounds: r.roundCount,
          acceptedTokens: r.acceptedTokens,
          totalCycles: r.totalCycles,
          cyclesPerToken: cpt,
          relativeTimePerToken: cpt / t0s,
          speedupOverFp16: t0s / cpt,
          expectedCyclesPerToken: expectedCyclesPerToken(alpha, gamma, timing),
          tokensPerRound: r.acceptedTokens / r.roundCount,
        });
      }
    }
    // Linearity: the same token stream at the layer's full timing takes exactly SCALE times the cycles.
    {
      const gamma = 4;
      const rng = rngFromSeed(seed);
      const rounds = Array.from({ length: opts.quick ? 4 : 20 }, () => randomRound(rng, gamma, 0.8, SHAPE.tokenWidth));
      const scaled = await measure(onVerilator, { gamma, timing: cycleParams(L, gamma, SCALE), rounds }, 'scaled timing');
      const full = await measure(onVerilator, { gamma, timing: cycleParams(L, gamma, 1), rounds }, 'full-scale timing');
      fullScale = { scaledCycles: scaled.totalCycles, fullCycles: full.totalCycles, tokens: full.acceptedTokens };
      // The IR simulator runs the same controller (from the same IR) and must report the same counters.
      const ir = new IrSimulator(design);
      ir.reset(2);
      const irRun = await measure((r) => runEventDriven(irDriver(ir), SHAPE, r), { gamma, timing: cycleParams(L, gamma, SCALE), rounds }, 'IR simulator');
      irCross = { verilatorCycles: scaled.totalCycles, irCycles: irRun.totalCycles, tokens: irRun.acceptedTokens };
    }
  } finally {
    await vsim.close();
  }

  const at = (alpha: number, gamma: number) => points.find((p) => p.alpha === alpha && p.gamma === gamma)!;
  const best = (alpha: number) => points.filter((p) => p.alpha === alpha).reduce((a, b) => (b.speedupOverFp16 > a.speedupOverFp16 ? b : a));
  const fmtA = (a: number) => (a === alphaStar ? `${a.toFixed(3)} (α*)` : a.toFixed(2));
  const seconds = (performance.now() - t0) / 1000;
  const scaled = cycleParams(L, 4, SCALE);

  const md: string[] = [
    '## SPEQ speculative-decoding controller: cycles per accepted token and modeled speedup',
    '',
    `RTL \`${design.top}\` under Verilator (event-driven host: \`verif/speq/spec-controller-host.ts\` \`runEventDriven\`), ${roundsPerPoint} rounds per point, seed ${seed}. ` +
      'Each point is checked against the golden model (`runSpeculative`: same tokens, total cycles and rounds, no stall cycles). ' +
      'Acceptance pattern: each draft token equals the full model\'s token at its position with probability α, independently; a round accepts the matching prefix plus one corrected (or bonus) token. ' +
      'Cycles per accepted token = the controller\'s `total_cycles / accepted_tokens` counters.',
    '',
    `Layer model (this project's choices, not the paper's): one ${LAYER.K}×${LAYER.N} FP16 GEMV layer on a ${LAYER.R}×${LAYER.C} array at ${L.bandwidth} B/cycle (one FP16 weight per column per cycle: verify mode is memory-bound). ` +
      `FP16 decoding: T0 = 2KN/BW = ${L.t0} cycles per token. Draft step reads the draft plane only, a quarter of the bytes: Td = T0/4 = ${L.draft}. ` +
      `Verify pass over γ+1 ≤ R positions reads each weight once: Tv = T0. Mode switch = array drain/refill: Ts = R + C = ${L.switch}. ` +
      `The RTL runs this timing divided by ${SCALE} (Td = ${scaled.draftCyclesPerStep}, Tv = ${scaled.verifyCyclesPerPass}, Ts = ${scaled.switchCycles}); ` +
      (fullScale
        ? `cycles scale exactly: the same ${fullScale.tokens}-token stream at full timing took ${fullScale.fullCycles} cycles = ${fullScale.fullCycles / fullScale.scaledCycles} × ${fullScale.scaledCycles} (measured). `
        : '') +
      (irCross ? `IR simulator cross-check (γ = 4, α = 0.8): ${irCross.irCycles} cycles, Verilator ${irCross.verilatorCycles}. ` : '') +
      'Modeled speedup over FP16 = T0 / (cycles per accepted token).',
    '',
    'Acceptance rates: neither the spec nor the paper\'s abstract (the sources this project has) gives per-token acceptance rates, so the rates below are a sweep chosen here, ' +
      `plus α* = ${alphaStar.toFixed(3)}: the rate at which this model's best-γ speedup (closed form) equals the paper's ${PAPER.overFp16}x.`,
    '',
    `| α | ${GAMMAS.map((g) => `γ=${g}`).join(' | ')} |`,
    `|---|${GAMMAS.map(() => '---').join('|')}|`,
    ...alphas.map((a) => `| ${fmtA(a)} | ${GAMMAS.map((g) => at(a, g).cyclesPerToken.toFixed(1)).join(' | ')} |`),
    '',
    `Cycles per accepted token above (scaled timing; FP16 decoding = ${L.t0 / SCALE}). Modeled speedup over FP16 decoding:`,
    '',
    `| α | ${GAMMAS.map((g) => `γ=${g}`).join(' | ')} | best γ | tokens/round at best γ (measured; expected) |`,
    `|---|${GAMMAS.map(() => '---').join('|')}|---|---|`,
    ...alphas.map((a) => {
      const b = best(a);
      return `| ${fmtA(a)} | ${GAMMAS.map((g) => at(a, g).speedupOverFp16.toFixed(2)).join(' | ')} | ${b.gamma} (${b.speedupOverFp16.toFixed(2)}x) | ${b.tokensPerRound.toFixed(2)}; ${expectedTokensPerRound(a, b.gamma).toFixed(2)} |`;
    }),
    '',
    `Max |measured − expected| cycles per token over all points: ${Math.max(...points.map((p) => Math.abs(p.cyclesPerToken - p.expectedCyclesPerToken) / p.expectedCyclesPerToken)).toLocaleString('en', { style: 'percent', maximumFractionDigits: 1 })} of expected (expected = closed form (γTd + Tv + 2Ts) / Σα^i; the difference is sampling noise of ${roundsPerPoint} rounds).`,
    '',
    '| speedup | paper (SPEQ, 15 LLMs and tasks) | this model |',
    '|---|---|---|',
    `| SPEQ over FP16 | ${PAPER.overFp16}x | ${alphas
      .filter((a) => a !== alphaStar)
      .map((a) => `${best(a).speedupOverFp16.toFixed(2)}x at α = ${a}`)
      .join(', ')}; ${best(alphaStar).speedupOverFp16.toFixed(2)}x measured at α* (fitted to the paper's figure) |`,
    `| SPEQ over Olive | ${PAPER.overOlive}x | not modeled (Olive's implied speedup over FP16 from the paper's figures: ${(PAPER.overFp16 / PAPER.overOlive).toFixed(2)}x) |`,
    `| SPEQ over Tender | ${PAPER.overTender}x | not modeled (Tender's implied speedup over FP16 from the paper's figures: ${(PAPER.overFp16 / PAPER.overTender).toFixed(2)}x) |`,
    '',
    'From the paper: the three headline speedups and the idea that the draft reads a quarter of each weight\'s bits from the same storage. ' +
      'Not from the paper: acceptance rates, layer size, bandwidth, array size, switch cost, the i.i.d. acceptance model. ' +
      'The model covers one memory-bound layer only (no attention/KV-cache traffic, no host sampling time), so it bounds what the controller\'s schedule allows rather than reproducing the paper\'s end-to-end measurement. ' +
      `Section time ${seconds.toFixed(1)} s.`,
  ];

  return {
    key: 'speqController',
    results: { design: design.top, seed, roundsPerPoint, layer: { ...LAYER, bandwidthBytesPerCycle: L.bandwidth, t0: L.t0, draftCycles: L.draft, switchCycles: L.switch }, scale: SCALE, alphaStar, paper: PAPER, points, fullScale, irCross, seconds },
    markdown: md,
  };
}
