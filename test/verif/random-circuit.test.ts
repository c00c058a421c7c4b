import { describe, expect, it } from 'vitest';
import { emitDesign } from '../../hdl-gen/emit/sv-printer.ts';
import { elaborate } from '../../hdl-gen/index.ts';
import type { IrDesign } from '../../hdl-gen/ir/ir.ts';
import { RandomCircuit, type RandomCircuitOptions } from '../../verif/random-circuit.ts';
import { interestingBits, rngFromSeed, seededRandom } from '../../verif/random.ts';

/**
 * The random-circuit generator shared by the differential tests: a circuit is a pure function of its
 * options, and each option shows up in the elaborated design.
 */
const sv = (d: IrDesign) => emitDesign(d, { locators: false }).map((f) => f.text).join('\n');
const top = (d: IrDesign) => d.modules[d.modules.length - 1];

describe('RandomCircuit', () => {
  const rng = seededRandom('random-circuit');
  const seeds = Array.from({ length: 12 }, () => rng.next32());

  it('is a pure function of its options', () => {
    for (const seed of seeds) {
      const o: RandomCircuitOptions = { seed, operations: 40, registers: 3, memory: true, secondDomain: true, conditionals: true, depth: 1 };
      expect(sv(elaborate(RandomCircuit, o))).toBe(sv(elaborate(RandomCircuit, { ...o })));
      expect(sv(elaborate(RandomCircuit, { ...o, seed: seed ^ 1 }))).not.toBe(sv(elaborate(RandomCircuit, o)));
    }
  });

  it('has the requested ports, registers, memory, clock domains, blocks and hierarchy', () => {
    for (const seed of seeds) {
      const d = elaborate(RandomCircuit, { seed, inputs: 5, outputs: 7, operations: 30, registers: 4, memory: true, secondDomain: true, conditionals: true, depth: 2 });
      const m = top(d);
      const data = m.ports.filter((p) => !p.role);
      expect(data.filter((p) => p.dir === 'input').map((p) => p.name)).toEqual(['i0', 'i1', 'i2', 'i3', 'i4']);
      expect(data.filter((p) => p.dir === 'output')).toHaveLength(7);
      expect(m.ports.filter((p) => p.role).map((p) => p.name).sort()).toEqual(['clk', 'clk_a', 'rst', 'rst_a_n']);
      expect(m.nodes.filter((n) => n.op === 'reg' && /^r\d$/.test(n.name ?? '')).map((n) => n.name)).toEqual(['r0', 'r1', 'r2', 'r3']);
      expect(m.memories.map((x) => x.name)).toEqual(['mem']);
      expect(m.nodes.some((n) => n.name === 'cw') && m.nodes.some((n) => n.name === 'cv')).toBe(true);
      // depth 2: top, child, grandchild; both instances of a level share one child module.
      expect(d.modules).toHaveLength(3);
      expect(m.instances.map((i) => i.name)).toEqual(['u_c0', 'u_c1']);
      expect(new Set(m.instances.map((i) => i.module)).size).toBe(1);
    }
  });

  it('leaves optional parts out by default', () => {
    const m = top(elaborate(RandomCircuit, { seed: seeds[0] }));
    expect(m.ports.filter((p) => p.role)).toEqual([]);
    expect(m.memories).toEqual([]);
    expect(m.instances).toEqual([]);
    expect(m.ports.filter((p) => p.dir === 'input')).toHaveLength(6);
  });

  it('lintClean: power-of-two memory depths and no constant wires', () => {
    for (const seed of seeds) {
      const m = top(elaborate(RandomCircuit, { seed, operations: 20, memory: true, lintClean: true }));
      expect([2, 4, 8, 16]).toContain(m.memories[0].depth);
      expect(m.nodes.some((n) => n.name === 'k0' || n.name === 'k1')).toBe(false);
    }
  });

  it('maxShiftAmountWidth bounds dynamic shift amounts', () => {
    const widest = (o: RandomCircuitOptions) =>
      Math.max(0, ...elaborate(RandomCircuit, o).modules.flatMap((m) => m.nodes.filter((n) => n.op === 'dshl' || n.op === 'dshr').map((n) => m.nodes[n.args[1]].width)));
    const bounded = seeds.map((seed) => widest({ seed, operations: 300, maxShiftAmountWidth: 64 }));
    const unbounded = seeds.map((seed) => widest({ seed, operations: 300 }));
    expect(Math.max(...bounded)).toBeLessThanOrEqual(64);
    expect(Math.max(...unbounded)).toBe(70);
  });
});

describe('interestingBits', () => {
  it('stays within the width and hits the edge values', () => {
    const r = rngFromSeed(1);
    for (const w of [1, 2, 8, 33, 64, 130]) {
      const max = (1n << BigInt(w)) - 1n;
      const seen = new Set<bigint>();
      for (let i = 0; i < 2000; i++) {
        const v = interestingBits(r, w);
        expect(v >= 0n && v <= max).toBe(true);
        seen.add(v);
      }
      for (const edge of [0n, max, 1n << BigInt(w - 1), max >> 1n]) expect(seen.has(edge), `width ${w}: ${edge}`).toBe(true);
    }
  });
});
