import { describe, expect, it } from 'vitest';
import { ExpertCacheModel, loadCycles, type ExpertCacheInputs, type ExpertCacheParams } from '../../../../../hdl-gen/units/routing/golden/expert-cache.ts';
import { TagStore } from '../../../../../hdl-gen/units/routing/golden/tag-store.ts';

const P: ExpertCacheParams = { slots: 3, tagBits: 4, queueDepth: 2, expertBytes: 8, linkBytesPerCycle: 4, linkLatency: 1, mobileFallback: true };
const idle: ExpertCacheInputs = { dem_valid: false, dem_tag: 0, dem_optional: false, pf_valid: false, pf_tag: 0, pin_valid: false, pin_tag: 0, pin_set: false };

/** Runs a demand for `tag` until done; returns the cycles it took (1 = hit). */
function demand(m: ExpertCacheModel, tag: number, extra: Partial<ExpertCacheInputs> = {}): number {
  for (let c = 1; c < 100; c++) {
    const y = m.cycle({ ...idle, dem_valid: true, dem_tag: tag, ...extra });
    if (y.dem_done) return c;
  }
  throw new Error('demand never served');
}

describe('tag store', () => {
  it('victim: lowest invalid slot, then the least recently used unpinned, idle slot', () => {
    const t = new TagStore(3);
    expect(t.victim()).toBe(0);
    t.allocate(0, 10);
    t.allocate(1, 11);
    t.allocate(2, 12);
    [0, 1, 2].forEach((s) => t.complete(s));
    expect(t.victim()).toBe(0); // 10 is oldest
    t.touch(0);
    expect(t.victim()).toBe(1);
    t.setPinned(1, true);
    expect(t.victim()).toBe(2);
    expect(t.victim((s) => s === 2)).toBe(0);
    t.setPinned(0, true);
    t.setPinned(2, true);
    expect(t.victim()).toBe(-1);
    t.checkInvariants();
  });
});

describe('expert cache golden model: hand-checked scenarios', () => {
  it('a miss takes the load time (latency + bytes / bandwidth) plus the issue and completion cycles; then hits', () => {
    const m = new ExpertCacheModel(P);
    expect(loadCycles(P)).toBe(3);
    expect(demand(m, 5)).toBe(5); // issue (1) + 3 load cycles + resident next cycle
    expect(demand(m, 5)).toBe(1);
  });

  it('LRU eviction order, and a pinned expert survives', () => {
    const m = new ExpertCacheModel(P);
    for (const t of [1, 2, 3]) demand(m, t);
    m.cycle({ ...idle, pin_valid: true, pin_tag: 1, pin_set: true });
    demand(m, 4); // evicts 2 (1 pinned)
    expect(demand(m, 1)).toBe(1);
    expect(demand(m, 3)).toBe(1);
    expect(demand(m, 2)).toBeGreaterThan(1); // was evicted; now evicts 4 (LRU, 1 pinned)
    expect(demand(m, 4)).toBeGreaterThan(1);
  });

  it('prefetch loads while idle; duplicates are dropped; a prefetched expert then hits', () => {
    const m = new ExpertCacheModel(P);
    const y0 = m.cycle({ ...idle, pf_valid: true, pf_tag: 7 });
    expect(y0.pf_ready).toBe(true);
    const y1 = m.cycle({ ...idle, pf_valid: true, pf_tag: 7 });
    expect([y1.load_valid, y1.load_prefetch, y1.load_tag]).toEqual([true, true, 7]);
    const y2 = m.cycle(idle); // the duplicate 7 is dropped (in flight), no load
    expect(y2.load_valid).toBe(false);
    expect(m.queue).toEqual([]);
    m.cycle(idle);
    expect(m.cycle(idle).done_valid).toBe(true);
    expect(demand(m, 7)).toBe(1);
  });

  it('demand has the link before a waiting prefetch', () => {
    const m = new ExpertCacheModel(P);
    m.cycle({ ...idle, pf_valid: true, pf_tag: 9 });
    const y = m.cycle({ ...idle, dem_valid: true, dem_tag: 3 });
    expect([y.load_valid, y.load_prefetch, y.load_tag]).toEqual([true, false, 3]);
    expect(m.queue).toEqual([9]);
  });

  it('MoBiLE: an absent optional expert is skipped at once (no load); a resident one is used', () => {
    const m = new ExpertCacheModel(P);
    const y = m.cycle({ ...idle, dem_valid: true, dem_tag: 6, dem_optional: true });
    expect([y.dem_done, y.dem_skip, y.dem_hit, y.load_valid]).toEqual([true, true, false, false]);
    demand(m, 6);
    const z = m.cycle({ ...idle, dem_valid: true, dem_tag: 6, dem_optional: true });
    expect([z.dem_done, z.dem_skip, z.dem_hit]).toEqual([true, false, true]);
    const off = new ExpertCacheModel({ ...P, mobileFallback: false });
    expect(demand(off, 6, { dem_optional: true })).toBe(5);
  });

  it('rejects bad parameters with the offending name', () => {
    expect(() => new ExpertCacheModel({ ...P, queueDepth: 3 })).toThrow('ExpertCache: queueDepth must be a power of two, got 3');
    expect(() => new ExpertCacheModel({ ...P, slots: 1 })).toThrow('ExpertCache: slots must be an integer from 2 to 64, got 1');
  });
});
