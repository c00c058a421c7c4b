import { describe, expect, it } from 'vitest';
import { decodeWord } from '../../../../../hdl-gen/units/puzzlemoe/golden/format.ts';
import { mac_bf16_f32 } from '../../../../../hdl-gen/units/fp/golden/mac.ts';
import { fusedDot, fusedGemv } from '../../../../../hdl-gen/units/puzzlemoe/golden/fused-gemv.ts';
import { seededRandom } from '../../../../../verif/random.ts';
import { hex, randomAccumulator, randomActivation, randomFiniteActivation, randomPackedWord, referenceMacF32 } from '../fused-support.ts';

const h8 = (x: number) => hex(x, 8);
const ONE = 0x3f80; // bf16 1.0
const MINUS_ONE = 0xbf80;
const TWO_24 = 0x4b80; // bf16 2^24
/** Packed word with lane 0 = +1.0 (e5 = 127 - 112 = 15, masks 10) and lane 1 masked off. */
const W_ONE_I = (1 << 13) | (15 << 7);

describe('PuzzleMoE fused GEMV golden: the MAC step it uses (FP golden mac_bf16_f32)', () => {
  it('matches hand-checked cases', () => {
    const cases: [number, number, number, number, string][] = [
      [ONE, ONE, 0x3f800000, 0x40000000, '1 + 1*1'],
      [0x8000, ONE, 0x00000000, 0x00000000, '+0 + -0*1 = +0'],
      [0x8000, ONE, 0x80000000, 0x80000000, '-0 + -0*1 = -0'],
      [0x3f81, 0x3f81, 0x00000000, 0x3f820200, '(1 + 2^-7)^2 exactly'],
      [TWO_24, ONE, 0x3f800000, 0x4b800000, '2^24 + 1: tie to even'],
      [0x0001, 0x0001, 0x00000000, 0x00000000, '2^-266 underflows to +0'],
      [0x7f7f, 0x7f7f, 0x00000000, 0x7f800000, 'max bf16 squared overflows'],
      [0x7f80, 0x0000, 0x3f800000, 0x7fc00000, 'Inf * 0'],
      [0xff80, ONE, 0x7f800000, 0x7fc00000, '-Inf + Inf'],
      [ONE, ONE, 0xff800000, 0xff800000, 'finite product + -Inf'],
      [0x7fc1, ONE, 0x3f800000, 0x7fc00000, 'NaN payload does not leak'],
    ];
    for (const [a, b, acc, want, what] of cases) {
      expect(h8(mac_bf16_f32(a, b, acc).bits), what).toBe(h8(want));
      expect(h8(referenceMacF32(a, b, acc)), `reference: ${what}`).toBe(h8(want));
    }
  });

  it('equals an independent double-arithmetic reference on random operands (decoded weights and any bf16)', () => {
    const rng = seededRandom('puzzlemoe fused golden mac');
    const bad: string[] = [];
    for (let n = 0; n < 200_000; n++) {
      const a = n % 2 ? randomActivation(rng) : decodeWord(randomPackedWord(rng))[n % 4 === 1 ? 0 : 1];
      const b = randomActivation(rng);
      const acc = randomAccumulator(rng);
      const got = mac_bf16_f32(a, b, acc).bits;
      const ref = referenceMacF32(a, b, acc);
      if (got !== ref) bad.push(`a ${hex(a, 4)} b ${hex(b, 4)} acc ${h8(acc)}: golden ${h8(got)}, reference ${h8(ref)}`);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
});

describe('PuzzleMoE fused GEMV golden: accumulation order', () => {
  it('accumulates k = 0 .. K-1 sequentially, from +0.0', () => {
    // 2^24 + 1 + 1: each +1 is a tie that rounds back to 2^24; the reverse order gives 2^24 + 2.
    const words = [W_ONE_I, W_ONE_I, W_ONE_I];
    expect(h8(fusedDot(words, [TWO_24, ONE, ONE], [ONE, ONE, ONE]).yi)).toBe('0x4b800000');
    expect(h8(fusedDot(words, [ONE, ONE, TWO_24], [ONE, ONE, ONE]).yi)).toBe('0x4b800001');
    // lane 1 is masked (+0): (+0) * (-1) = -0 and +0 + -0 = +0, so y_j is +0, which shows the start value +0.0
    expect(h8(fusedDot(words, [ONE, ONE, ONE], [MINUS_ONE, MINUS_ONE, MINUS_ONE]).yj)).toBe('0x00000000');
  });

  it('computes both experts from the same packed words (spec reference words)', () => {
    // 0x7450 -> (0x3c50, 0xbc50) = (+1.625 * 2^-7, -1.625 * 2^-7); 0xb818 -> (0xc018, 0x4018) = (-2.375, +2.375)
    const d = fusedDot([0x7450, 0xb818], [ONE, 0x4000], [ONE, ONE]);
    expect(h8(d.yi)).toBe('0xc0979800'); // 0.0126953125 - 4.75 = -4.7373046875
    expect(h8(d.yj)).toBe('0x40173000'); // -0.0126953125 + 2.375 = 2.3623046875
  });

  it('fusedGemv is fusedDot per row and equals a sequential independent reference on random matrices', () => {
    const rng = seededRandom('puzzlemoe fused golden gemv');
    for (let t = 0; t < 200; t++) {
      const rows = rng.range(1, 6);
      const cols = rng.range(1, 40);
      const words = Array.from({ length: rows * cols }, () => randomPackedWord(rng));
      const act = () => (rng.chance(0.3) ? randomActivation(rng) : randomFiniteActivation(rng));
      const xi = Array.from({ length: cols }, act);
      const xj = Array.from({ length: cols }, act);
      const { yi, yj } = fusedGemv({ rows, cols, words, xi, xj });
      for (let r = 0; r < rows; r++) {
        let ri = 0;
        let rj = 0;
        for (let k = 0; k < cols; k++) {
          const [wi, wj] = decodeWord(words[r * cols + k]);
          ri = referenceMacF32(wi, xi[k], ri);
          rj = referenceMacF32(wj, xj[k], rj);
        }
        expect([h8(yi[r]), h8(yj[r])], `matrix ${t} row ${r}`).toEqual([h8(ri), h8(rj)]);
      }
    }
  });

  it('rejects malformed problems', () => {
    expect(() => fusedDot([], [], [])).toThrow('fusedDot: a dot product needs at least one column');
    expect(() => fusedDot([1, 2], [ONE], [ONE, ONE])).toThrow('fusedDot: x_i and x_j must have one value per column (2), got 1 and 2');
    expect(() => fusedDot([0x10000], [ONE], [ONE])).toThrow('words[0] must be a 16-bit unsigned integer encoding, got 65536');
    expect(() => fusedGemv({ rows: 2, cols: 2, words: [1, 2, 3], xi: [ONE, ONE], xj: [ONE, ONE] })).toThrow('fusedGemv: words must hold rows * cols = 4 values, got 3');
    expect(() => fusedDot([1], [ONE], [ONE], 224)).toThrow(/exponent offset must be an integer from 1 to 223/);
  });
});
