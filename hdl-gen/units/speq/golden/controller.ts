/**
 * Golden model of the speculative-decoding controller (spec: "Speculative-decoding controller"),
 * token-exact and cycle-exact, so the RTL controller can be checked against it.
 *
 * Token rule, per round with draft length gamma >= 1:
 *   the draft pass produces d[0..gamma-1]; one verify pass over gamma+1 positions produces the full
 *   model's tokens v[0..gamma] (v[j] = the full model's token after the context plus d[0..j-1]; both
 *   are inputs here, from the host model). n = the length of the longest prefix with d[j] = v[j]
 *   (0 <= n <= gamma). Accepted: d[0..n-1] followed by v[n] (the corrected token when n < gamma,
 *   the bonus token when n = gamma): n + 1 tokens, always equal to v[0..n].
 *
 * Cycle model (parameters: Td = draftCyclesPerStep, Tv = verifyCyclesPerPass, Ts = switchCycles).
 * The array is in draft mode at cycle 0. Round i starts at cycle S_i (S_0 = 0):
 *   draft step j (j = 0..gamma-1): cycles [S_i + j*Td, S_i + (j+1)*Td)
 *   switch draft -> verify:        cycles [D_i, D_i + Ts),   D_i = S_i + gamma*Td
 *   verify pass:                   cycles [V_i, V_i + Tv),   V_i = D_i + Ts
 *   compare and accept:            at E_i = V_i + Tv (no extra cycles; fold any into Tv)
 *   switch verify -> draft:        cycles [E_i, E_i + Ts) only if another round follows; S_{i+1} = E_i + Ts
 * Total cycles = E of the last round = R*(gamma*Td + Tv) + (2R - 1)*Ts for R rounds.
 *
 * Late tokens (optional, for the RTL's valid/ready token ports): the controller asks for draft
 * token j in the last cycle of draft step j and for the verify tokens in the last cycle of the verify
 * pass; a token that arrives `delay` cycles late stretches that step or pass by `delay` cycles
 * (`draftDelays[j]`, `verifyDelay`, default 0). Every later cycle shifts by the delay, and the total
 * becomes R*(gamma*Td + Tv) + (2R - 1)*Ts + (sum of all delays), reported as `stallCycles`.
 * Generation stops after the round in which the accepted count reaches `maxTokens` (that round's
 * accepted tokens are truncated to maxTokens; its cycles count in full), or when the rounds run out.
 * Cycles per accepted token = total cycles / accepted tokens.
 */

export interface SpecCycleParams {
  /** Cycles of one draft step (one draft token through the draft pass). */
  readonly draftCyclesPerStep: number;
  /** Cycles of one verify pass over gamma+1 positions. */
  readonly verifyCyclesPerPass: number;
  /** Cycles of one mode switch (draft -> verify or verify -> draft). */
  readonly switchCycles: number;
}

export interface SpecRoundInput {
  /** gamma draft tokens. */
  readonly draft: readonly number[];
  /** gamma + 1 verify tokens. */
  readonly verify: readonly number[];
  /** Cycles each draft token arrives late (gamma entries; default all 0). */
  readonly draftDelays?: readonly number[];
  /** Cycles the verify tokens arrive late (default 0). */
  readonly verifyDelay?: number;
}

export interface SpecRoundResult {
  readonly round: number;
  /** Length n of the matching prefix (number of accepted draft tokens). */
  readonly matched: number;
  /** Tokens appended this round (n + 1, or fewer when truncated by maxTokens). */
  readonly accepted: readonly number[];
  readonly startCycle: number;
  /** First cycle of each draft step (gamma entries; step 0 starts at startCycle). */
  readonly draftStepStartCycles: readonly number[];
  readonly verifyStartCycle: number;
  readonly endCycle: number;
}

export interface SpecRunResult {
  readonly gamma: number;
  readonly rounds: readonly SpecRoundResult[];
  /** All accepted tokens in order. */
  readonly tokens: readonly number[];
  readonly totalCycles: number;
  /** Mode switches performed (2R - 1). */
  readonly switches: number;
  /** Cycles spent waiting for late tokens (sum of the rounds' delays). */
  readonly stallCycles: number;
  /** totalCycles / tokens.length (Infinity when no token was accepted, i.e. no round ran). */
  readonly cyclesPerToken: number;
}

function checkCount(x: number, what: string, min = 0): void {
  if (!Number.isInteger(x) || x < min) throw new RangeError(`${what} must be an integer >= ${min}, got ${x}`);
}

/** The length of the longest prefix on which draft and verify tokens agree. */
export function matchedPrefix(draft: readonly number[], verify: readonly number[]): number {
  let n = 0;
  while (n < draft.length && draft[n] === verify[n]) n++;
  return n;
}

export function runSpeculative(
  gamma: number,
  rounds: readonly SpecRoundInput[],
  params: SpecCycleParams,
  opts: { maxTokens?: number } = {},
): SpecRunResult {
  checkCount(gamma, 'gamma', 1);
  checkCount(params.draftCyclesPerStep, 'draftCyclesPerStep');
  checkCount(params.verifyCyclesPerPass, 'verifyCyclesPerPass');
  checkCount(params.switchCycles, 'switchCycles');
  const maxTokens = opts.maxTokens ?? Infinity;
  if (maxTokens !== Infinity) checkCount(maxTokens, 'maxTokens', 1);
  const out: SpecRoundResult[] = [];
  const tokens: number[] = [];
  let start = 0;
  let end = 0;
  let stalls = 0;
  for (let i = 0; i < rounds.length && tokens.length < maxTokens; i++) {
    const { draft, verify } = rounds[i];
    if (draft.length !== gamma) throw new RangeError(`round ${i}: ${draft.length} draft tokens, gamma = ${gamma}`);
    if (verify.length !== gamma + 1) throw new RangeError(`round ${i}: ${verify.length} verify tokens, need gamma + 1 = ${gamma + 1}`);
    for (const t of [...draft, ...verify]) checkCount(t, `round ${i}: token`);
    const draftDelays = rounds[i].draftDelays ?? new Array<number>(gamma).fill(0);
    const verifyDelay = rounds[i].verifyDelay ?? 0;
    if (draftDelays.length !== gamma) throw new RangeError(`round ${i}: ${draftDelays.length} draft delays, gamma = ${gamma}`);
    for (const d of draftDelays) checkCount(d, `round ${i}: draft delay`);
    checkCount(verifyDelay, `round ${i}: verify delay`);
    if (i > 0) start = end + params.switchCycles;
    const stepStarts: number[] = [];
    let t = start;
    for (let j = 0; j < gamma; j++) {
      stepStarts.push(t);
      t += params.draftCyclesPerStep + draftDelays[j];
      stalls += draftDelays[j];
    }
    const verifyStart = t + params.switchCycles;
    end = verifyStart + params.verifyCyclesPerPass + verifyDelay;
    stalls += verifyDelay;
    const n = matchedPrefix(draft, verify);
    const accepted = verify.slice(0, n + 1).slice(0, maxTokens - tokens.length);
    tokens.push(...accepted);
    out.push({ round: i, matched: n, accepted, startCycle: start, draftStepStartCycles: stepStarts, verifyStartCycle: verifyStart, endCycle: end });
  }
  return {
    gamma,
    rounds: out,
    tokens,
    totalCycles: end,
    switches: out.length === 0 ? 0 : 2 * out.length - 1,
    stallCycles: stalls,
    cyclesPerToken: tokens.length === 0 ? Infinity : end / tokens.length,
  };
}

/**
 * Expected accepted tokens per round when each draft token is accepted independently with
 * probability alpha (given all before it were): sum_{i=0..gamma} alpha^i.
 */
export function expectedTokensPerRound(alpha: number, gamma: number): number {
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  checkCount(gamma, 'gamma', 1);
  let s = 0;
  for (let i = 0; i <= gamma; i++) s += alpha ** i;
  return s;
}

/** Steady-state expected cycles per accepted token: (gamma*Td + Tv + 2*Ts) / expectedTokensPerRound. */
export function expectedCyclesPerToken(alpha: number, gamma: number, params: SpecCycleParams): number {
  const perRound = gamma * params.draftCyclesPerStep + params.verifyCyclesPerPass + 2 * params.switchCycles;
  return perRound / expectedTokensPerRound(alpha, gamma);
}
