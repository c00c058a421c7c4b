import { afterAll, describe, expect, it } from 'vitest';
import { rngFromSeed, seededRandom } from '../../../verif/random.ts';
import { checkAgainstGolden } from '../../../verif/verilator/check.ts';
import { formatRate } from '../../../verif/verilator/progress.ts';
import { VerilatorSim } from '../../../verif/verilator/verilator-sim.ts';
import { addDesign, edgy, invertersDesign, mulDesign, WIDTHS } from './designs.ts';

const N = 1_000_000;

describe('Verilator: combinational designs through the streaming path', () => {
  it(`16x16->32 multiplier (mulExpand) matches a*b on ${N} random vectors`, async () => {
    const rng = seededRandom('verilator mul16');
    const r = await checkAgainstGolden({
      name: 'mul16-1M',
      design: mulDesign(),
      mode: 'comb',
      seed: rng.seed,
      vectors: N,
      stimulus: (g) => ({ a: edgy(g, 16), b: edgy(g, 16) }),
      golden: ({ a, b }) => ({ p: a * b }),
    });
    console.log(`mul16: ${formatRate(r.vectorsPerSecond)} vectors/s checked (build ${r.buildSeconds.toFixed(1)} s, cache hit ${r.cacheHit})`);
    expect(r.report.split('\n').at(-1)).toBe(`${N} passed, 0 failed`);
    expect(r.ok).toBe(true);
  });

  it(`130-bit adder (VlWide ports) matches a+b on ${N} random vectors`, async () => {
    const rng = seededRandom('verilator add130');
    const r = await checkAgainstGolden({
      name: 'add130-1M',
      design: addDesign(),
      mode: 'comb',
      seed: rng.seed,
      vectors: N,
      stimulus: (g) => ({ a: edgy(g, 130), b: edgy(g, 130) }),
      golden: ({ a, b }) => ({ s: a + b }),
    });
    console.log(`add130: ${formatRate(r.vectorsPerSecond)} vectors/s checked (build ${r.buildSeconds.toFixed(1)} s, cache hit ${r.cacheHit})`);
    expect(r.report.split('\n').at(-1)).toBe(`${N} passed, 0 failed`);
    expect(r.ok).toBe(true);
  });

  it('raw runVectors throughput (pre-generated columns, no golden)', async () => {
    const sim = await VerilatorSim.build(mulDesign());
    try {
      const rng = rngFromSeed(99);
      const a = Array.from({ length: N }, () => rng.bits(16));
      const b = Array.from({ length: N }, () => rng.bits(16));
      const t0 = performance.now();
      const { p } = await sim.runVectors({ a, b }, 'comb');
      const s = (performance.now() - t0) / 1000;
      console.log(`mul16 raw streaming: ${N} vectors in ${s.toFixed(2)} s (${formatRate(N / s)} vectors/s)`);
      for (let i = 0; i < N; i += 997) expect(p[i]).toBe(a[i] * b[i]);
      expect(p.length).toBe(N);
    } finally {
      await sim.close();
    }
  });

  describe('ports of every width (CData .. VlWide<8>) and signed ports', () => {
    let sim: VerilatorSim;
    afterAll(async () => {
      await sim?.close();
    });

    it('poke/peek round trip', async () => {
      sim = await VerilatorSim.build(invertersDesign());
      const rng = rngFromSeed(7);
      for (let k = 0; k < 20; k++) {
        const vals = new Map(WIDTHS.map((w) => [w, k === 0 ? 0n : k === 1 ? (1n << BigInt(w)) - 1n : rng.bits(w)]));
        for (const [w, v] of vals) sim.poke(`i${w}`, v);
        for (const [w, v] of vals) expect(await sim.peek(`o${w}`), `width ${w}`).toBe(~v & ((1n << BigInt(w)) - 1n));
      }
      sim.poke('s', -3n); // signed input: negative values are sent as two's complement
      expect(await sim.peek('s')).toBe(4093n);
      expect(await sim.peek('sneg')).toBe(3n); // outputs are raw bits
      sim.poke('s', 5);
      expect(await sim.peek('sneg')).toBe(4096n - 5n);
    });

    it('bulk comb vectors', async () => {
      const rng = rngFromSeed(8);
      const n = 5000;
      const cols: Record<string, bigint[]> = {};
      for (const w of WIDTHS) cols[`i${w}`] = Array.from({ length: n }, () => rng.bits(w));
      cols.s = Array.from({ length: n }, () => BigInt(rng.range(-2048, 2047)));
      const out = await sim.runVectors(cols, 'comb', { batchSize: 777 });
      for (const w of WIDTHS) {
        const m = (1n << BigInt(w)) - 1n;
        const bad = out[`o${w}`].findIndex((v, i) => v !== (~cols[`i${w}`][i] & m));
        expect(bad, `width ${w}`).toBe(-1);
      }
      expect(out.sneg.every((v, i) => v === BigInt.asUintN(12, -cols.s[i]))).toBe(true);
    });
  });
});
