import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UInt, defineModule, elaborate, input, output } from '../../../hdl-gen/index.ts';
import { buildVerilatorModel, readManifest } from '../../../verif/verilator/build.ts';
import { VerilatorSim } from '../../../verif/verilator/verilator-sim.ts';

// A private cache so the first build is always cold, whatever earlier runs left in build/.
const cacheDir = mkdtempSync(join(tmpdir(), 'vl-cache-test-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const io = () => ({ a: input(UInt(24)), b: input(UInt(24)), y: output(UInt(24)) });
const XorA = defineModule({ name: 'VlCacheXor', io, body: (m, p) => p.y.set(p.a.xor(p.b)) });
// The same module defined on other source lines: only the SV source locators differ.
const XorB = defineModule({
  name: 'VlCacheXor',
  io,
  body: (m, p) => {
    p.y.set(p.a.xor(p.b));
  },
});
const AndC = defineModule({ name: 'VlCacheXor', io, body: (m, p) => p.y.set(p.a.and(p.b)) });

describe('Verilator build cache', () => {
  it('builds cold once, then hits the cache without running Verilator', async () => {
    const cold = await buildVerilatorModel(elaborate(XorA, {}), { cacheDir });
    expect(cold.cacheHit).toBe(false);
    expect(existsSync(cold.exe)).toBe(true);
    expect(cold.dir).toBe(join(cacheDir, cold.hash));
    const m = await readManifest(cold.dir);
    expect(m?.buildSeconds).toBeGreaterThan(0);

    const warm = await buildVerilatorModel(elaborate(XorA, {}), { cacheDir });
    expect(warm.cacheHit).toBe(true);
    expect(warm.hash).toBe(cold.hash);
    expect(warm.seconds).toBeLessThan(1); // no Verilator/g++ run
    console.log(`build: cold ${cold.seconds.toFixed(1)} s, cached ${(warm.seconds * 1000).toFixed(1)} ms`);

    // Source locators are not part of the key: moving the definition (or editing the testbench
    // around it) does not rebuild.
    const moved = await buildVerilatorModel(elaborate(XorB, {}), { cacheDir });
    expect(moved.cacheHit).toBe(true);
    expect(moved.hash).toBe(cold.hash);

    // A logic change does.
    const changed = await buildVerilatorModel(elaborate(AndC, {}), { cacheDir });
    expect(changed.cacheHit).toBe(false);
    expect(changed.hash).not.toBe(cold.hash);
  });

  it('keys tracing builds separately and dedupes concurrent builds of one design', async () => {
    const d = elaborate(XorA, {});
    const [t1, t2] = await Promise.all([buildVerilatorModel(d, { cacheDir, trace: true }), buildVerilatorModel(d, { cacheDir, trace: true })]);
    expect(t1.hash).toBe(t2.hash);
    expect([t1.cacheHit, t2.cacheHit].sort()).toEqual([false, true]);
    const plain = await buildVerilatorModel(d, { cacheDir });
    expect(plain.hash).not.toBe(t1.hash);
    expect(plain.cacheHit).toBe(true);
  });

  it('stimulus never rebuilds: the cached model runs any vectors', async () => {
    const sim = await VerilatorSim.build(elaborate(XorA, {}), { cacheDir });
    try {
      expect(sim.cacheHit).toBe(true);
      const out = await sim.runVectors({ a: [1n, 0xffffffn, 0x123456n], b: [3n, 0xffn, 0x654321n] }, 'comb');
      expect(out.y).toEqual([2n, 0xffff00n, 0x123456n ^ 0x654321n]);
    } finally {
      await sim.close();
    }
  });
});
