import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../verif/random.ts';
import { checkAgainstGolden } from '../../../verif/verilator/check.ts';
import { VerilatorSim } from '../../../verif/verilator/verilator-sim.ts';
import { counterDesign, counterModel } from './designs.ts';

describe('Verilator: Counter (clocked)', () => {
  let sim: VerilatorSim;
  beforeAll(async () => {
    sim = await VerilatorSim.build(counterDesign());
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('is cycle-exact against the TS model over 100k cycles of random en (bulk clocked mode)', async () => {
    const rng = seededRandom('verilator counter');
    const r = await checkAgainstGolden({
      name: 'counter-100k',
      design: counterDesign(),
      mode: 'clocked',
      seed: rng.seed,
      vectors: 100_000,
      // Long runs of en so wrap happens often; rst pulses now and then.
      stimulus: (g) => ({ en: g.chance(0.9) ? 1n : 0n, rst: g.below(5000) === 0 ? 1n : 0n }),
      golden: counterModel(8),
    });
    expect(r.report.split('\n').at(-1)).toBe('100000 passed, 0 failed');
    expect(r).toMatchObject({ ok: true, passed: 100_000, failed: 0, mismatch: null, wavePath: null });
  });

  it('poke/step/peek with the reset helper (one round trip per peek)', async () => {
    sim.reset(3);
    expect(await sim.peek('count')).toBe(0n);
    sim.poke('en', 1n);
    sim.step(5);
    expect(await sim.peek('count')).toBe(5n);
    sim.poke('en', 0n);
    sim.step(10);
    expect(await sim.peekOutputs()).toEqual({ count: 5n, wrap: 0n });
    // Handshake-style loop: run until wrap is high (comb output of en & count == 255).
    sim.poke('en', 1n);
    let cycles = 0;
    while ((await sim.peek('wrap')) === 0n) {
      sim.step();
      cycles++;
    }
    expect(cycles).toBe(250);
    expect(await sim.peek('count')).toBe(255n);
    sim.step();
    expect(await sim.peek('count')).toBe(0n);
    // Inputs can be peeked too.
    expect(await sim.peek('en')).toBe(1n);
  });

  it('run(batch) executes a command list in one round trip', async () => {
    const vals = await sim.run([
      { op: 'reset', cycles: 2 },
      { op: 'poke', port: 'en', value: 1 },
      { op: 'step', cycles: 300 },
      { op: 'peek', port: 'count' },
      { op: 'poke', port: 'en', value: 0 },
      { op: 'step' },
      { op: 'peek', port: 'count' },
      { op: 'peek', port: 'wrap' },
    ]);
    expect(vals).toEqual([BigInt(300 % 256), BigInt(300 % 256), 0n]);
  });

  it('runVectors clocked returns outputs sampled before each edge; missing inputs hold', async () => {
    sim.reset(1);
    sim.poke('en', 1n);
    const n = 600;
    const out = await sim.runVectors({ rst: new Array(n).fill(0n) }, 'clocked'); // en held at 1
    expect(out.count.slice(0, 4)).toEqual([0n, 1n, 2n, 3n]);
    expect(out.count[300]).toBe(BigInt(300 % 256));
    expect(out.wrap.filter((w) => w === 1n).length).toBe(2); // at cycles 255 and 511
    expect(await sim.peek('count')).toBe(BigInt(n % 256));
  });

  it('rejects unknown ports, clock pokes and bad values with clear errors', async () => {
    expect(() => sim.poke('clk', 1n)).toThrow(/'clk' is a clock; the harness drives it/);
    expect(() => sim.poke('nope', 1n)).toThrow(/has no input port 'nope' \(inputs: en, rst\)/);
    expect(() => sim.poke('en', 2n)).toThrow(/port 'en' \(1 bits\): value 2n/);
    await expect(sim.runVectors({ en: [0n, 1n], rst: [0n] }, 'clocked')).rejects.toThrow(/has 1 values, others 2/);
  });
});
