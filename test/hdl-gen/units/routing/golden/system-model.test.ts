import { describe, expect, it } from 'vitest';
import { ExpertCacheModel } from '../../../../../hdl-gen/units/routing/golden/expert-cache.ts';
import { defaultKnobs, defaultSystemParams } from '../../../../../hdl-gen/units/routing/golden/paper-setup.ts';
import { simulate, type PeArrayTiming, type SystemParams } from '../../../../../hdl-gen/units/routing/golden/system-model.ts';
import { synthesizeTrace, type RoutingTrace } from '../../../../../hdl-gen/units/routing/golden/trace.ts';

/** A 64 x 64 array with the timing the SpeqPeArray RTL shows (verif/speq/array-timing.ts measures it; golden tests take it as given). */
const ARRAY: PeArrayTiming = { rows: 64, cols: 64, verifyCyclesPerK: 1, draftCyclesPerK: 0.25, edgeCycles: 66 };

/** A toy machine: loads take exactly 1 s, everything else ~0. */
const TOY: SystemParams = {
  clockHz: 1e9,
  array: { rows: 64, cols: 1, verifyCyclesPerK: 1e-6, draftCyclesPerK: 1e-6, edgeCycles: 0 },
  memBytesPerSecond: 1e15,
  linkBytesPerSecond: 100,
  linkLatencySeconds: 0,
  cacheSlots: 4,
  pinned: 0,
  queueDepth: 16,
  expertBytes: 100,
  expertMacs: 1,
  denseBytes: 1,
  denseMacs: 1,
  draftFraction: 0.25,
  speculate: 1,
  kMax: 1,
  routerCycles: 4,
  spareHints: false,
  mobileSkip: false,
};

const toyTrace = (tokens: { ids: number[]; pred?: number[]; important?: boolean; accept?: boolean }[]): RoutingTrace => ({
  header: { layers: 1, experts: 4, k: 2 },
  tokens: tokens.map((t) => ({ ids: [t.ids], pred: t.pred ? [t.pred] : undefined, important: t.important ?? false, accept: t.accept ?? true })),
});

describe('system model: hand-computed toy cases', () => {
  it('baseline: misses serialize on the link, hits are free', () => {
    const r = simulate(toyTrace([{ ids: [0, 1] }, { ids: [0, 2] }]), TOY, 'baseline');
    expect(r.seconds).toBeCloseTo(3, 6); // load 0, load 1, then (0 hits) load 2
    expect([r.demandHits, r.demandMisses, r.tokens]).toEqual([1, 3, 2]);
  });

  it('MoBiLE: little passes load rank 0 only; an important token reruns big', () => {
    const trace = toyTrace([{ ids: [0, 1] }, { ids: [0, 2], important: true }]);
    const r = simulate(trace, TOY, 'mobile');
    expect(r.seconds).toBeCloseTo(2, 6); // load 0; hit 0; fallback: hit 0, load 2
    expect([r.fallbackPasses, r.demandMisses]).toEqual([1, 2]);
    // spare-rank hints: t0's spare expert 1 starts loading when the link idles (1 s) and, not
    // preempted, delays the fallback's load of 2 to 2..3 s: hints cost bandwidth when loads dominate
    const h = simulate(trace, { ...TOY, spareHints: true }, 'mobile');
    expect([h.prefetchLoads, h.demandMisses]).toEqual([1, 2]);
    expect(h.seconds).toBeCloseTo(3, 6);
  });

  it('MoE-SpeQ: predicted experts load during drafting; the verify pass reads shared experts once', () => {
    const trace = toyTrace([
      { ids: [0, 1], pred: [0, 1] },
      { ids: [0, 1], pred: [0, 1] },
      { ids: [2, 3], pred: [2, 3] },
      { ids: [2, 3], pred: [2, 3] },
    ]);
    const r = simulate(trace, { ...TOY, cacheSlots: 8 }, 'speq');
    expect(r.tokens).toBe(4);
    expect(r.passes).toBe(2); // k = 1: two positions per verify, both accepted
    expect(r.bytesLoaded).toBe(4 * 100); // each expert once
    expect(r.seconds).toBeCloseTo(4, 3);
  });

  it("MoE-SpeQ: a prefetch never evicts a lookahead expert needed sooner (Belady-like), it is dropped", () => {
    // 4 layers, K = 1, 2 slots; one window [t0, t1] that uses expert l at layer l. Drafting takes 4 s
    // (1 s per layer) and the predictions of layer l arrive at (l + 1) s: experts 0 and 1 load during
    // drafting; layer 2's prefetch finds only lookahead experts needed sooner and is dropped (LRU would
    // evict expert 0, needed first). Verify: layers 0, 1 hit; layers 2, 3 miss.
    const ids = [[0], [1], [2], [3]];
    const trace: RoutingTrace = { header: { layers: 4, experts: 4, k: 1 }, tokens: [0, 1].map(() => ({ ids, pred: ids, important: false, accept: true })) };
    const slow: SystemParams = { ...TOY, cacheSlots: 2, array: { ...TOY.array, draftCyclesPerK: 1e9 } };
    const r = simulate(trace, slow, 'speq');
    expect([r.prefetchLoads, r.demandHits, r.demandMisses, r.tokens]).toEqual([2, 2, 2, 2]);
    expect(r.seconds).toBeCloseTo(4 + 2, 6); // draft 4 s, then two demand loads of 1 s
  });

  it('a rejected draft costs a verify position and produces only the bonus token', () => {
    const trace = toyTrace([{ ids: [0, 1] }, { ids: [0, 1], accept: false }, { ids: [0, 1] }]);
    const r = simulate(trace, TOY, 'speq');
    expect(r.tokens).toBe(3);
    expect(r.passes).toBe(2); // [t0, t1] -> t0 only (t1 rejected); [t1, t2] -> both
  });
});

describe('system model: limits and invariants on synthetic traces', () => {
  const trace = synthesizeTrace(defaultKnobs(120, 3));
  const P = defaultSystemParams(ARRAY);
  const resident: SystemParams = { ...P, cacheSlots: 32 * 16, pinned: 32 * 16 - 2 * 9, linkBytesPerSecond: 1e30, linkLatencySeconds: 0 };
  /** Array seconds of one pass over `tokens` tokens through a block of `macs` MACs per token, in verify mode. */
  const arrayS = (tokens: number, macs: number) => (Math.ceil(tokens / 64) * (macs / 64) + 66) / P.clockHz;

  it('with every expert resident and an infinite link, baseline takes L (dense + router + K experts) of array time', () => {
    const r = simulate(trace, resident, 'baseline');
    // the 64 x 64 array at one token per pass is slower than reading the weights
    expect(arrayS(1, P.expertMacs)).toBeGreaterThan(P.expertBytes / P.memBytesPerSecond);
    const perToken = 32 * (arrayS(1, P.denseMacs) + P.routerCycles / P.clockHz + 2 * arrayS(1, P.expertMacs));
    expect(r.seconds / r.tokens).toBeCloseTo(perToken, 6);
  });

  it('array time: a pass of up to R tokens costs one pass; R + 1 tokens cost two', () => {
    const trace2 = toyTrace(Array.from({ length: 65 }, () => ({ ids: [0, 1] })));
    const one = (n: number) => simulate({ ...trace2, tokens: trace2.tokens.slice(0, n) }, { ...resident, pinned: 0, cacheSlots: 200, speculate: n - 1, kMax: 64 }, 'speq');
    // one verify pass over n positions of a 1-layer trace whose tokens all use experts 0 and 1:
    // drafting (n - 1) draft tokens, then dense + router + 2 experts over n tokens
    const draftToken = arrayS(1, P.denseMacs) + 2 * ((P.expertMacs / 64) * 0.25 + 66) / P.clockHz;
    const verify = (n: number) => arrayS(n, P.denseMacs) + P.routerCycles / P.clockHz + 2 * arrayS(n, P.expertMacs);
    expect(one(64).seconds).toBeCloseTo(63 * draftToken + verify(64), 9);
    expect(verify(64)).toBeCloseTo(verify(1), 12);
    expect(one(65).seconds).toBeCloseTo(64 * draftToken + verify(65), 9);
    expect(verify(65) - verify(1)).toBeCloseTo((P.denseMacs / 64 + (2 * P.expertMacs) / 64) / P.clockHz, 12); // a second pass, one fill/drain
  });

  it('is deterministic, produces every token once, and never loads more than it demands plus prefetches', () => {
    for (const pol of ['baseline', 'mobile', 'speq', 'both'] as const) {
      const a = simulate(trace, P, pol);
      expect(simulate(trace, P, pol)).toEqual(a);
      expect(a.tokens).toBe(120);
      expect(a.bytesLoaded).toBe((a.demandMisses + a.prefetchLoads) * P.expertBytes);
      expect(a.linkBusySeconds).toBeLessThanOrEqual(a.seconds + 1e-9);
    }
  });

  it('MoBiLE with no important tokens loads about half of what baseline loads on a cache smaller than a token', () => {
    const t = synthesizeTrace({ ...defaultKnobs(150, 5), fallback: 0 });
    const small = { ...P, cacheSlots: 25 };
    const b = simulate(t, small, 'baseline');
    const m = simulate(t, small, 'mobile');
    expect(m.bytesLoaded / b.bytesLoaded).toBeGreaterThan(0.45);
    expect(m.bytesLoaded / b.bytesLoaded).toBeLessThan(0.55);
  });

  it('rejects a cache too small for a verify layer, naming the parameter', () => {
    expect(() => simulate(trace, { ...P, cacheSlots: 10 }, 'baseline')).toThrow('model: cacheSlots (10) must be at least pinned + K x (kMax + 1) = 18 so a verify layer\'s experts fit');
  });
});

describe('system model vs the cycle-level controller model', () => {
  it('baseline demand streams hit and miss exactly as the ExpertCache golden model (same tag store)', () => {
    const trace = synthesizeTrace({ ...defaultKnobs(300, 11), layers: 1, experts: 16, k: 2, locality: 0.4 });
    const r = simulate(trace, { ...TOY, cacheSlots: 6 }, 'baseline');
    const m = new ExpertCacheModel({ slots: 6, tagBits: 4, queueDepth: 2, expertBytes: 3, linkBytesPerCycle: 1, linkLatency: 1, mobileFallback: false });
    let hits = 0;
    let misses = 0;
    for (const tok of trace.tokens) {
      for (const e of tok.ids[0]) {
        let first = true;
        for (;;) {
          const y = m.cycle({ dem_valid: true, dem_tag: e, dem_optional: false, pf_valid: false, pf_tag: 0, pin_valid: false, pin_tag: 0, pin_set: false });
          if (y.dem_done) {
            if (first) hits++;
            break;
          }
          if (first) misses++;
          first = false;
        }
      }
    }
    expect(misses).toBeGreaterThan(50);
    expect([r.demandHits, r.demandMisses]).toEqual([hits, misses]);
  });
});

describe('system model: MoBiLE with the controller skip option', () => {
  it('unimportant tokens use resident big-only experts and skip absent ones; important tokens load all K', () => {
    const trace = toyTrace([{ ids: [0, 1], important: true }, { ids: [1, 2] }, { ids: [0, 3] }]);
    const r = simulate(trace, { ...TOY, mobileSkip: true }, 'mobile');
    // t0: load 0, 1 (2 s); t1: 1 hits, 2 absent -> skipped; t2: 0 hits, 3 skipped
    expect([r.demandMisses, r.demandHits, r.skips, r.passes, r.fallbackPasses]).toEqual([2, 2, 2, 3, 0]);
    expect(r.seconds).toBeCloseTo(2, 6);
  });
});
