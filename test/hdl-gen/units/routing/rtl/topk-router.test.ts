import { haveVerilator, missingTool } from '../../../../support/missing-tool.ts';
import { describe, expect, it } from 'vitest';
import { elaborate, packVec } from '../../../../../hdl-gen/index.ts';
import { routerParams, type RouterParams } from '../../../../../hdl-gen/units/routing/golden/router.ts';
import { TopKRouter } from '../../../../../hdl-gen/units/routing/rtl/topk-router.ts';
import { seededRandom, seedFromEnv } from '../../../../../verif/random.ts';
import { IrSimulator } from '../../../../../verif/sim/ir-simulator.ts';
import { checkAgainstGolden } from '../../../../../verif/verilator/check.ts';
import { RouterPipelineModel, expectedOutputs, randomToken, type RouterToken } from '../../../../../verif/routing/routing-testbench.ts';

/** Small-N value set: -Inf, -1.5, -0, +0, smallest subnormal, 0.5, 3.0, +Inf, qNaN (bf16). */
const BF16_SET = [0xff80, 0xbfc0, 0x8000, 0x0000, 0x0001, 0x3f00, 0x4040, 0x7f80, 0x7fc0];
/** The same values in fp32, with -NaN in place of the subnormal. */
const FP32_SET = BF16_SET.map((b) => (b === 0x0001 ? 0xffc00000 : b * 65536));

/** Every N-tuple over `set` (N = 4: 6,561 tokens), thresholds and force-big varying with the index. */
function exhaustiveTokens(p: RouterParams, set: readonly number[]): RouterToken[] {
  const r = routerParams(p);
  const out: RouterToken[] = [];
  const total = set.length ** r.experts;
  for (let i = 0; i < total; i++) {
    const logits: number[] = [];
    for (let k = 0, x = i; k < r.experts; k++, x = Math.floor(x / set.length)) logits.push(set[x % set.length]);
    const threshold = r.importance === 'margin' ? BigInt([0, 1, 256, 1000, 5000][i % 5]) : BigInt([0, 1 << (r.weightBits - 1), 3 << (r.weightBits - 2), 1 << r.weightBits][i % 4]);
    out.push({ logits, threshold, forceBig: i % 7 === 3 });
  }
  return out;
}

function inputsOf(p: RouterParams, t: RouterToken) {
  const width = routerParams(p).format === 'fp32' ? 32 : 16;
  return { in_logits: packVec(t.logits, width), in_threshold: t.threshold, in_force_big: t.forceBig ? 1n : 0n };
}

/**
 * Runs tokens through the IR simulator with random valid/ready (probabilities pValid, pReady) and
 * compares every cycle's outputs with the pipeline model. Returns the number of tokens delivered.
 */
function runIr(p: RouterParams, tokens: readonly RouterToken[], pValid: number, pReady: number, label: string): number {
  const rng = seededRandom(label);
  const sim = new IrSimulator(elaborate(TopKRouter, p));
  const model = new RouterPipelineModel(p);
  sim.reset();
  let next = 0;
  let delivered = 0;
  for (let cycle = 0; delivered < tokens.length; cycle++) {
    if (cycle > 20 * tokens.length + 100) throw new Error(`no progress after ${cycle} cycles`);
    const inValid = next < tokens.length && rng.chance(pValid);
    const outReady = rng.chance(pReady);
    const tok = tokens[Math.min(next, tokens.length - 1)];
    for (const [k, v] of Object.entries(inputsOf(p, tok))) sim.poke(k, v);
    sim.poke('in_valid', inValid ? 1 : 0);
    sim.poke('out_ready', outReady ? 1 : 0);
    const want = model.cycle(inValid, tok, outReady);
    const got: Record<string, bigint> = {};
    for (const k of Object.keys(want)) got[k] = sim.peek(k);
    if (JSON.stringify(got, (_, v) => (typeof v === 'bigint' ? v.toString(16) : v)) !== JSON.stringify(want, (_, v) => (typeof v === 'bigint' ? v.toString(16) : v))) {
      expect({ cycle, token: delivered, got }, `${label}: cycle ${cycle}`).toEqual({ cycle, token: delivered, got: want });
    }
    if (want.out_valid === 1n && outReady) delivered++;
    if (inValid && want.in_ready === 1n) next++;
    sim.step();
  }
  return delivered;
}

describe('TopKRouter: generator', () => {
  it('names modules by parameters', () => {
    expect(elaborate(TopKRouter, { format: 'bf16', experts: 8, k: 4, importance: 'margin' }).top).toBe('TopKRouter_bf16_n8_k4_margin_f8i8w15g6');
    expect(elaborate(TopKRouter, { format: 'fp32', experts: 5, k: 3, importance: 'top1', fracBits: 4, intBits: 5, weightBits: 8, lutBits: 3 }).top).toBe('TopKRouter_fp32_n5_k3_top1_f4i5w8g3');
  });
  it('rejects bad parameters with the offending name', () => {
    const bad = (p: Partial<RouterParams>) => () => elaborate(TopKRouter, { format: 'bf16', experts: 8, k: 4, importance: 'margin', ...p } as RouterParams);
    expect(bad({ experts: 129 })).toThrow('TopKRouter: experts must be an integer from 2 to 128, got 129');
    expect(bad({ k: 1 })).toThrow('TopKRouter: k must be an integer from 2 to 8, got 1');
    expect(bad({ k: 9 })).toThrow('TopKRouter: k must be an integer from 2 to 8, got 9');
    expect(bad({ lutBits: 9 })).toThrow('TopKRouter: lutBits must be an integer from 1 to 8, got 9');
    expect(bad({ format: 'fp16' as never })).toThrow("TopKRouter: format must be 'fp32' or 'bf16', got fp16");
    expect(bad({ importance: 'entropy' as never })).toThrow("TopKRouter: importance must be 'margin' or 'top1', got entropy");
  });
});

describe('TopKRouter: RTL vs golden, exhaustive small N (IR simulator, one token per cycle)', () => {
  const cases: [RouterParams, readonly number[]][] = [
    [{ format: 'bf16', experts: 4, k: 2, importance: 'margin' }, BF16_SET],
    [{ format: 'fp32', experts: 4, k: 4, importance: 'top1', weightBits: 10 }, FP32_SET],
  ];
  for (const [p, set] of cases) {
    it(`all ${set.length}^4 logit tuples: ${JSON.stringify(p)}`, () => {
      const tokens = exhaustiveTokens(p, set);
      expect(runIr(p, tokens, 1, 1, `router exhaustive ${p.format}`)).toBe(tokens.length);
    });
  }
});

describe('TopKRouter: streaming (IR simulator)', () => {
  it('random valid/ready: every cycle matches the pipeline model (latency K+2, no loss/duplication)', () => {
    const p: RouterParams = { format: 'bf16', experts: 8, k: 4, importance: 'top1' };
    const rng = seededRandom('router stream tokens');
    const tokens = Array.from({ length: 300 }, () => randomToken(rng, p));
    for (const [pv, pr] of [
      [0.5, 0.5],
      [1, 0.3],
      [0.3, 1],
    ]) {
      expect(runIr(p, tokens, pv, pr, `router stream ${pv}/${pr}`)).toBe(tokens.length);
    }
  });
  it('one token per cycle: N tokens in N + K + 2 cycles with an always-ready sink', () => {
    const p: RouterParams = { format: 'fp32', experts: 6, k: 2, importance: 'margin' };
    const sim = new IrSimulator(elaborate(TopKRouter, p));
    sim.reset();
    const rng = seededRandom('router throughput');
    const n = 50;
    const tokens = Array.from({ length: n }, () => randomToken(rng, p));
    const lat = routerParams(p).k + 2;
    let got = 0;
    sim.poke('out_ready', 1);
    for (let c = 0; c < n + lat; c++) {
      sim.poke('in_valid', c < n ? 1 : 0);
      if (c < n) for (const [k, v] of Object.entries(inputsOf(p, tokens[c]))) sim.poke(k, v);
      expect(sim.peek('in_ready')).toBe(1n);
      if (c >= lat) {
        expect(sim.peek('out_valid'), `cycle ${c}`).toBe(1n);
        const want = expectedOutputs(p, tokens[c - lat]);
        expect({ ids: sim.peek('out_ids'), w: sim.peek('out_weights'), big: sim.peek('out_big') }).toEqual({ ids: want.out_ids, w: want.out_weights, big: want.out_big });
        got++;
      } else expect(sim.peek('out_valid'), `cycle ${c}`).toBe(0n);
      sim.step();
    }
    expect(got).toBe(n);
  });
  it('random large N: 128 fp32 experts, k = 8 (IR simulator)', () => {
    const p: RouterParams = { format: 'fp32', experts: 128, k: 8, importance: 'margin' };
    const rng = seededRandom('router large N ir');
    const tokens = Array.from({ length: 60 }, () => randomToken(rng, p));
    expect(runIr(p, tokens, 0.8, 0.8, 'router large N ir handshake')).toBe(tokens.length);
  });
});


/** Verilator: random valid/ready stimulus, every cycle checked against the pipeline model. */
async function verilatorCheck(name: string, p: RouterParams, tokens: (i: number, rng: import('../../../../../verif/random.ts').SeededRandom) => RouterToken, vectors: number, pValid: number, pReady: number) {
  const model = new RouterPipelineModel(p);
  const r = await checkAgainstGolden({
    name,
    design: elaborate(TopKRouter, p),
    mode: 'clocked',
    seed: seedFromEnv(),
    vectors,
    waveOnFailure: false,
    log: () => {},
    stimulus: (rng, i) => {
      const t = tokens(i, rng);
      return { ...inputsOf(p, t), in_valid: rng.chance(pValid) ? 1n : 0n, out_ready: rng.chance(pReady) ? 1n : 0n };
    },
    golden: (inp) => {
      const width = routerParams(p).format === 'fp32' ? 32 : 16;
      const mask = (1n << BigInt(width)) - 1n;
      const logits = Array.from({ length: routerParams(p).experts }, (_, k) => Number((inp.in_logits >> BigInt(k * width)) & mask));
      return { ...model.cycle(inp.in_valid === 1n, { logits, threshold: inp.in_threshold, forceBig: inp.in_force_big === 1n }, inp.out_ready === 1n) };
    },
  });
  if (!r.ok) console.log(r.report);
  expect(r.ok, r.report).toBe(true);
  expect(r.passed).toBe(vectors);
}

describe.skipIf(missingTool(haveVerilator))('TopKRouter: printed SV vs golden (Verilator)', () => {
  it('exhaustive small N: all 9^4 bf16 tuples, k = 2, margin', async () => {
    const p: RouterParams = { format: 'bf16', experts: 4, k: 2, importance: 'margin', weightBits: 12 };
    const all = exhaustiveTokens(p, BF16_SET);
    await verilatorCheck('router_small_bf16', p, (i) => all[i % all.length], all.length * 2, 0.9, 0.9);
  }, 120_000);
  it('random large N: 128 fp32 experts, k = 8, margin, 20,000 cycles of random handshakes', async () => {
    const p: RouterParams = { format: 'fp32', experts: 128, k: 8, importance: 'margin' };
    await verilatorCheck('router_n128_fp32', p, (_, rng) => randomToken(rng, p), 20_000, 0.8, 0.8);
  }, 300_000);
  it('random large N: 64 bf16 experts, k = 6, top-1 probability rule', async () => {
    const p: RouterParams = { format: 'bf16', experts: 64, k: 6, importance: 'top1', fracBits: 10, intBits: 6, weightBits: 16, lutBits: 8 };
    await verilatorCheck('router_n64_bf16', p, (_, rng) => randomToken(rng, p), 20_000, 0.9, 0.7);
  }, 300_000);
});
