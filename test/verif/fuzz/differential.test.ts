import { describe, expect, it, vi } from 'vitest';
import { runFuzzBatch } from '../../../verif/fuzz/differential.ts';
import { seededRandom } from '../../../verif/random.ts';

// A deliberately broken emitter rule: every subtraction is printed as an addition.
const broken = vi.hoisted(() => ({ on: false }));
vi.mock('../../../hdl-gen/emit/sv-printer.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../hdl-gen/emit/sv-printer.ts')>();
  return {
    ...real,
    emitDesign: (...args: Parameters<typeof real.emitDesign>) =>
      real.emitDesign(...args).map((m) => (broken.on ? { ...m, text: m.text.replace(/ - /g, ' + ') } : m)),
  };
});

describe('differential fuzzing (IR simulator vs Verilator)', () => {
  it('finds no difference on random circuits', async () => {
    const rng = seededRandom('fuzz');
    const seeds = Array.from({ length: 50 }, () => rng.next32()); // CI fuzzes 2,000 more (npm run fuzz:ci)
    const r = await runFuzzBatch(seeds, 150, rng.next32());
    expect(r.comparisons).toBeGreaterThan(10_000);
    expect(r.mismatches).toEqual([]);
  });
  it('catches a broken emitter rule', async () => {
    broken.on = true;
    try {
      const seeds = Array.from({ length: 50 }, (_, i) => 777 + i);
      const r = await runFuzzBatch(seeds, 100, 3);
      expect(r.mismatches.length).toBeGreaterThan(0);
    } finally {
      broken.on = false;
    }
  });
});
