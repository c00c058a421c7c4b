import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hdl-gen/index.ts';
import { decodeWord } from '../../hdl-gen/units/puzzlemoe/golden/format.ts';
import { ScanWrapper, scanWrapperName } from '../../fpga/scan-wrapper.ts';
import { seededRandom } from '../../verif/random.ts';
import { IrSimulator } from '../../verif/sim/ir-simulator.ts';

const parity = (x: number) => {
  let p = 0;
  for (let v = x; v; v &= v - 1) p ^= 1;
  return p;
};

describe('scan wrapper (out-of-context timing harness)', () => {
  it('drives every input from the shift chain and folds every output into so (IR simulator vs golden)', () => {
    const params = { generator: 'puzzlemoe-decode', params: { lanes: 1, outputRegister: false, exponentOffset: 112 } };
    const design = elaborate(ScanWrapper, params);
    expect(design.top).toBe(scanWrapperName(params));
    expect(design.modules.find((m) => m.name === design.top)!.ports.map((p) => p.name)).toEqual(['si', 'so', 'clk', 'rst']);
    const sim = new IrSimulator(design);
    const rng = seededRandom('fpga scan wrapper');
    // Inputs in io order from the chain's LSB: in_valid [0], in_words [16:1], out_ready [17].
    // The chain shifts left each cycle (the newest bit at [0]), so after the edge it holds the
    // last 18 bits of si. Outputs: 34 bits -> capture register -> 9 -> 3 -> 1 XOR stages.
    const latency = 4;
    let chain = 0;
    const expected: number[] = [];
    const got: number[] = [];
    for (let cycle = 0; cycle < 400; cycle++) {
      const si = rng.below(2);
      sim.poke('si', si);
      // the unit sees the chain as it is before this edge
      const inValid = chain & 1;
      const word = (chain >> 1) & 0xffff;
      const outReady = (chain >> 17) & 1;
      const [l0, l1] = decodeWord(word);
      expected.push(outReady ^ inValid ^ parity(l0) ^ parity(l1));
      sim.step();
      chain = ((chain << 1) | si) & 0x3ffff;
      got.push(Number(sim.peek('so')));
    }
    // so after edge c is the parity of the outputs seen before edge c - latency + 1
    const skip = 18 + latency; // until the chain has been filled from si
    expect(got.slice(skip)).toEqual(expected.slice(skip - latency + 1, got.length - latency + 1));
    // both values occur: the fold is not constant
    expect(new Set(got.slice(skip)).size).toBe(2);
  });

  it('refuses an unknown generator', () => {
    expect(() => elaborate(ScanWrapper, { generator: 'nope', params: {} })).toThrow("scan wrapper: unknown generator 'nope'");
  });
});

describe('scan wrapper: every configured design', () => {
  it('elaborates around each (so hdlgen fpga ice40 / report can place any of them)', async () => {
    const { loadDesigns } = await import('../../fpga/design-source.ts');
    for (const d of await loadDesigns()) {
      const ir = elaborate(ScanWrapper, { generator: d.generator.name, params: d.params });
      const ports = ir.modules.find((m) => m.name === ir.top)!.ports;
      expect(ports.filter((p) => p.role === undefined).map((p) => p.name), d.name).toEqual(['si', 'so']);
    }
  }, 60_000);
});
