import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDecode, runPack } from '../../../hdl-gen/cli/commands/puzzlemoe.ts';
import { elaborate } from '../../../hdl-gen/index.ts';
import { readSafetensors, tensorBits16, tensorFromBits16, tensorFromValues, tensorValues, writeSafetensors, type Tensor } from '../../../hdl-gen/tensors/safetensors.ts';
import { f32_to_bf16, f32_to_f16 } from '../../../hdl-gen/units/fp/golden/convert.ts';
import { decodeLane } from '../../../hdl-gen/units/puzzlemoe/golden/format.ts';
import { fp32Bits, mergeElement } from '../../../hdl-gen/units/puzzlemoe/golden/merge.ts';
import { PuzzleMoeDecodeUnit } from '../../../hdl-gen/units/puzzlemoe/rtl/decode-unit.ts';
import { seededRandom } from '../../../verif/random.ts';
import { IrSimulator } from '../../../verif/sim/ir-simulator.ts';
import { REFERENCE_TABLE, ZERO_ROW_PACKED_PER_DECISION } from '../units/puzzlemoe/support.ts';

const bin = path.join(process.cwd(), 'bin/hdlgen.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hdlgen-pm-'));
let fileNo = 0;
const fresh = (name: string) => path.join(mkdtempSync(path.join(tmp, `${fileNo++}-`)), name);
const hex4 = (x: number) => x.toString(16).padStart(4, '0');

const f32 = (shape: number[], values: number[]): Tensor => tensorFromValues('F32', shape, values);
const bf16 = (shape: number[], values: number[]): Tensor => tensorFromBits16('BF16', shape, values.map((v) => f32_to_bf16(fp32Bits(Math.fround(v))).bits));
const f16 = (shape: number[], values: number[]): Tensor => tensorFromBits16('F16', shape, values.map((v) => f32_to_f16(fp32Bits(Math.fround(v))).bits));

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect((e as Error).name).toBe('UserError');
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/** The spec's reference table as two experts with one 1x7 matrix, columns carrying the norms. */
function tableFiles(weights: (shape: number[], v: number[]) => Tensor): { experts: string; calib: string } {
  const experts = fresh('experts.safetensors');
  const calib = fresh('norms.safetensors');
  const n = REFERENCE_TABLE.length;
  writeSafetensors(experts, {
    'experts.0.w1.weight': weights([1, n], REFERENCE_TABLE.map((r) => r.wi)),
    'experts.1.w1.weight': weights([1, n], REFERENCE_TABLE.map((r) => r.wj)),
  });
  writeSafetensors(calib, {
    'experts.0.w1.input_norm': f32([n], REFERENCE_TABLE.map((r) => r.xi)),
    'experts.1.w1.input_norm': f32([n], REFERENCE_TABLE.map((r) => r.xj)),
  });
  return { experts, calib };
}

// The golden default follows the spec DECISION "a + b == 0 is shared": row 5 packs to 0x3000, not the table's 0x2000.
const tablePacked = REFERENCE_TABLE.map((r) => (r.wi === 0 && r.wj === 0 ? ZERO_ROW_PACKED_PER_DECISION : r.packed));

describe('hdlgen puzzlemoe: the spec reference table end to end', () => {
  for (const [dtype, make] of [
    ['F32', f32],
    ['BF16', bf16],
  ] as const) {
    it(`packs ${dtype} experts to the table's words and decodes them to its lanes`, () => {
      const { experts, calib } = tableFiles(make);
      const out = fresh('packed.safetensors');
      const report = runPack({ in: experts, calib, pairs: 'sequential', out, tau: 0.4, exponentOffset: 112 });
      expect(report).toContain('pairs (sequential): (0, 1)');
      expect(report).toContain('experts 0 + 1 w1 [1, 7]: shared 57.1%, 0 only 14.3%, 1 only 28.6%');
      const st = readSafetensors(out);
      expect([...st.tensors.keys()].sort()).toEqual(['pairs.0.experts', 'pairs.0.w1.packed']);
      expect([...tensorValues(st.tensors.get('pairs.0.experts')!)]).toEqual([0, 1]);
      const packed = st.tensors.get('pairs.0.w1.packed')!;
      expect(packed.dtype).toBe('U16');
      expect(packed.shape).toEqual([1, 7]);
      expect([...tensorBits16(packed)].map(hex4)).toEqual(tablePacked.map(hex4));
      expect(st.metadata).toEqual({ 'puzzlemoe.format': 'puzzlemoe-packed-v1', 'puzzlemoe.tau': '0.4', 'puzzlemoe.exponent_offset': '112', 'puzzlemoe.pairs': '[[0,1]]' });

      const decoded = fresh('decoded.safetensors');
      const text = runDecode({ in: out, out: decoded });
      expect(text).toBe(`pairs.0.w1.packed [1, 7] words 0..6 -> experts.0.w1.weight (lane 0), experts.1.w1.weight (lane 1)\nwrote ${decoded} (2 tensors, BF16 experts; exponent offset 112)\n`);
      const d = readSafetensors(decoded);
      expect(d.metadata).toEqual({});
      const lane = (e: number) => [...tensorBits16(d.tensors.get(`experts.${e}.w1.weight`)!)].map(hex4);
      expect(d.tensors.get('experts.0.w1.weight')!.dtype).toBe('BF16');
      expect(lane(0)).toEqual(REFERENCE_TABLE.map((r) => hex4(r.lane0)));
      expect(lane(1)).toEqual(REFERENCE_TABLE.map((r, k) => hex4(k === 4 ? 0x3800 : r.lane1)));
    });
  }

  it('decodes a text file of the table words to exactly the table lanes (all seven rows)', () => {
    const words = fresh('words.txt');
    writeFileSync(words, '# the spec reference table\n' + REFERENCE_TABLE.map((r, k) => (k % 2 ? `0x${r.packed.toString(16).toUpperCase()}` : hex4(r.packed))).join('\n') + '\n\n// end\n');
    expect(runDecode({ in: words })).toBe(REFERENCE_TABLE.map((r) => `${hex4(r.lane0)} ${hex4(r.lane1)}\n`).join(''));
  });
});

describe('hdlgen puzzlemoe pack', () => {
  const rng = seededRandom('puzzlemoe cli');
  const shapes = { w1: [3, 4], w2: [4, 3], w3: [3, 4] } as const;
  /** 4 experts, w1..w3, random values; expert 2 close to 0 and 3 close to 1 (for auto pairing). */
  function fourExperts(kind: 'F32' | 'BF16' | 'F16' = 'F32') {
    const base: Record<string, number[]> = {};
    const tensors: Record<string, Tensor> = {};
    const norms: Record<string, Tensor> = {};
    const make = kind === 'F32' ? f32 : kind === 'BF16' ? bf16 : f16;
    for (const e of [0, 1, 2, 3]) {
      for (const [w, shape] of Object.entries(shapes)) {
        const n = shape[0] * shape[1];
        const v = e < 2 ? Array.from({ length: n }, () => (rng.below(2001) - 1000) / 256) : base[`${e - 2}.${w}`].map((x) => x * (1 + (rng.below(21) - 10) / 100));
        base[`${e}.${w}`] = v;
        tensors[`experts.${e}.${w}.weight`] = make([...shape], v);
        norms[`experts.${e}.${w}.input_norm`] = f32([shape[1]], Array.from({ length: shape[1] }, () => rng.below(100) / 10));
      }
    }
    tensors['router.weight'] = f32([4, 4], Array.from({ length: 16 }, (_, k) => k));
    const experts = fresh('experts.safetensors');
    const calib = fresh('norms.safetensors');
    writeSafetensors(experts, tensors, { model: 'tiny' });
    writeSafetensors(calib, norms);
    return { experts, calib, tensors, norms };
  }

  for (const kind of ['F32', 'BF16', 'F16'] as const) {
    it(`packs every pair and matrix like the golden model, element by element (${kind}, pairs file)`, () => {
      const { experts, calib, tensors, norms } = fourExperts(kind);
      const pairs = fresh('pairs.txt');
      writeFileSync(pairs, '# i j\n0 2\n\n3, 1  # reversed order is fine\n');
      const out = fresh('packed.safetensors');
      runPack({ in: experts, calib, pairs, out });
      const st = readSafetensors(out);
      expect(st.metadata['puzzlemoe.pairs']).toBe('[[0,2],[3,1]]');
      expect(st.metadata.model).toBe('tiny');
      expect([...tensorValues(st.tensors.get('router.weight')!)]).toEqual(Array.from({ length: 16 }, (_, k) => k));
      const decoded = fresh('decoded.safetensors');
      runDecode({ in: out, out: decoded });
      const dec = readSafetensors(decoded);
      expect(dec.metadata).toEqual({ model: 'tiny' });
      expect(dec.tensors.has('router.weight')).toBe(true);
      for (const [k, [i, j]] of [
        [0, [0, 2]],
        [1, [3, 1]],
      ] as const) {
        expect([...tensorValues(st.tensors.get(`pairs.${k}.experts`)!)]).toEqual([i, j]);
        for (const [w, shape] of Object.entries(shapes)) {
          const words = tensorBits16(st.tensors.get(`pairs.${k}.${w}.packed`)!);
          const a = tensorValues(tensors[`experts.${i}.${w}.weight`]);
          const b = tensorValues(tensors[`experts.${j}.${w}.weight`]);
          const xi = tensorValues(norms[`experts.${i}.${w}.input_norm`]);
          const xj = tensorValues(norms[`experts.${j}.${w}.input_norm`]);
          for (let n = 0; n < words.length; n++) {
            expect(words[n], `pair ${k} ${w} element ${n}`).toBe(mergeElement(a[n], b[n], xi[n % shape[1]], xj[n % shape[1]]).word);
          }
          expect([...tensorBits16(dec.tensors.get(`experts.${i}.${w}.weight`)!)]).toEqual([...words].map((x) => decodeLane(x, 0)));
          expect([...tensorBits16(dec.tensors.get(`experts.${j}.${w}.weight`)!)]).toEqual([...words].map((x) => decodeLane(x, 1)));
        }
      }
    });
  }

  it('auto pairs the most similar experts greedily; sequential pairs neighbours', () => {
    const { experts, calib } = fourExperts();
    const out = fresh('packed.safetensors');
    expect(runPack({ in: experts, calib, pairs: 'auto', out })).toMatch(/^pairs \(auto\): \(0, 2\) \(1, 3\)\n/);
    expect(readSafetensors(out).metadata['puzzlemoe.pairs']).toBe('[[0,2],[1,3]]');
    expect(runPack({ in: experts, calib, pairs: 'sequential', out })).toMatch(/^pairs \(sequential\): \(0, 1\) \(2, 3\)\n/);
    // identical experts: every pair ties, the lowest (i, j) wins
    const same = fresh('same.safetensors');
    const sameNorms = fresh('same-norms.safetensors');
    const t: Record<string, Tensor> = {};
    const nt: Record<string, Tensor> = {};
    for (const e of [0, 1, 2, 3, 4, 5]) {
      t[`experts.${e}.w2.weight`] = f32([1, 2], [1, 2]);
      nt[`experts.${e}.w2.input_norm`] = f32([2], [1, 1]);
    }
    writeSafetensors(same, t);
    writeSafetensors(sameNorms, nt);
    expect(runPack({ in: same, calib: sameNorms, pairs: 'auto', out })).toMatch(/^pairs \(auto\): \(0, 1\) \(2, 3\) \(4, 5\)\n/);
  });

  it('uses --tau and --exponent-offset', () => {
    const { experts, calib } = tableFiles(f32);
    const out = fresh('packed.safetensors');
    runPack({ in: experts, calib, pairs: 'sequential', out, tau: 0.6, exponentOffset: 100 });
    const st = readSafetensors(out);
    expect(st.metadata['puzzlemoe.tau']).toBe('0.6');
    expect(st.metadata['puzzlemoe.exponent_offset']).toBe('100');
    const words = tensorBits16(st.tensors.get('pairs.0.w1.packed')!);
    REFERENCE_TABLE.forEach((r, k) => expect(words[k]).toBe(mergeElement(Math.fround(r.wi), Math.fround(r.wj), Math.fround(r.xi), Math.fround(r.xj), { tau: 0.6, exponentOffset: 100 }).word));
    // the file's own offset is used to decode; a contradicting request is an error
    const dec = fresh('d.safetensors');
    runDecode({ in: out, out: dec });
    expect([...tensorBits16(readSafetensors(dec).tensors.get('experts.0.w1.weight')!)]).toEqual([...words].map((w) => decodeLane(w, 0, 100)));
    expect(errorOf(() => runDecode({ in: out, exponentOffset: 112 }))).toBe(`${out}: packed with exponent offset 100, but --exponent-offset 112 was given`);
  });

  describe('errors name the file, tensor and index, and write nothing', () => {
    type Setup = { experts: string; calib: string; pairs: string };
    const cases: [string, (s: Setup) => Setup, (s: Setup) => string][] = [
      [
        'an unpackable magnitude',
        (s) => {
          const st = readSafetensors(s.experts);
          const t = tensorValues(st.tensors.get('experts.3.w2.weight')!);
          t[1 * 3 + 2] = 3e5; // [1, 2] of a [4, 3] matrix
          st.tensors.set('experts.3.w2.weight', f32([4, 3], [...t]));
          writeSafetensors(s.experts, st.tensors);
          const norms = readSafetensors(s.calib); // equal norms: the larger magnitude (expert 3) wins
          for (const e of [1, 3]) norms.tensors.set(`experts.${e}.w2.input_norm`, f32([3], [1, 1, 1]));
          writeSafetensors(s.calib, norms.tensors);
          return s;
        },
        (s) => `${s.experts}: experts.3.w2.weight[1, 2]: merged magnitude 299008 (bf16 0x4892, exponent 145) is >= 2^17 and cannot be packed: with exponent offset 112 the largest exponent is 143`,
      ],
      [
        'a NaN weight',
        (s) => {
          const st = readSafetensors(s.experts);
          const bits = [...tensorBits16(bf16([3, 4], [...tensorValues(st.tensors.get('experts.2.w3.weight')!)]))];
          bits[7] = 0x7fc0;
          st.tensors.set('experts.2.w3.weight', tensorFromBits16('BF16', [3, 4], bits));
          writeSafetensors(s.experts, st.tensors);
          return s;
        },
        (s) => `${s.experts}: experts.2.w3.weight[1, 3]: weight is NaN`,
      ],
      [
        'an infinite weight',
        (s) => {
          const st = readSafetensors(s.experts);
          st.tensors.set('experts.1.w1.weight', tensorFromBits16('F16', [3, 4], Array.from({ length: 12 }, (_, k) => (k === 11 ? 0xfc00 : 0x3c00))));
          writeSafetensors(s.experts, st.tensors);
          return s;
        },
        (s) => `${s.experts}: experts.1.w1.weight[2, 3]: weight is -Infinity`,
      ],
      [
        'a shape mismatch within a pair',
        (s) => {
          const st = readSafetensors(s.experts);
          st.tensors.set('experts.2.w1.weight', f32([3, 5], Array(15).fill(1)));
          writeSafetensors(s.experts, st.tensors);
          return s;
        },
        (s) => `${s.experts}: tensor 'experts.2.w1.weight' has shape [3, 5] but its pair partner 'experts.0.w1.weight' has [3, 4]`,
      ],
      [
        'a missing pair',
        (s) => {
          writeFileSync(s.pairs, '0 2\n');
          return s;
        },
        (s) => `${s.pairs}: missing pair for experts 1, 3 (every expert must be in exactly one pair)`,
      ],
      [
        'an expert in two pairs',
        (s) => {
          writeFileSync(s.pairs, '0 2\n1 2\n');
          return s;
        },
        (s) => `${s.pairs}: expert 2 is in pair 0 and pair 1; each expert belongs to exactly one pair`,
      ],
      [
        'an unknown expert in the pairs file',
        (s) => {
          writeFileSync(s.pairs, '0 2\n1 7\n');
          return s;
        },
        (s) => `${s.pairs}: pair 1 (1, 7) names expert 7, which is not in the experts file (experts: 0, 1, 2, 3)`,
      ],
      [
        'a malformed pairs line',
        (s) => {
          writeFileSync(s.pairs, '0 2\n\n1 - 3\n');
          return s;
        },
        (s) => `${s.pairs}:3: expected two expert indices like '0 1', got '1 - 3'`,
      ],
      [
        'a missing calibration tensor',
        (s) => {
          const st = readSafetensors(s.calib);
          st.tensors.delete('experts.3.w2.input_norm');
          writeSafetensors(s.calib, st.tensors);
          return s;
        },
        (s) => `${s.calib}: missing tensor 'experts.3.w2.input_norm' (input-channel norms for 'experts.3.w2.weight', shape [3])`,
      ],
      [
        'a calibration shape mismatch',
        (s) => {
          const st = readSafetensors(s.calib);
          st.tensors.set('experts.1.w1.input_norm', f32([3], [1, 1, 1]));
          writeSafetensors(s.calib, st.tensors);
          return s;
        },
        (s) => `${s.calib}: tensor 'experts.1.w1.input_norm' has shape [3], expected [4] (the input dimension of 'experts.1.w1.weight' [3, 4])`,
      ],
      [
        'a negative channel norm',
        (s) => {
          const st = readSafetensors(s.calib);
          st.tensors.set('experts.1.w1.input_norm', f32([4], [1, 1, -0.5, 1]));
          writeSafetensors(s.calib, st.tensors);
          return s;
        },
        (s) => `${s.calib}: experts.1.w1.input_norm[2]: a channel norm must be >= 0, got -0.5`,
      ],
      [
        'a tensor name outside the convention',
        (s) => {
          const st = readSafetensors(s.experts);
          st.tensors.set('experts.0.w4.weight', f32([1], [1]));
          writeSafetensors(s.experts, st.tensors);
          return s;
        },
        (s) => `${s.experts}: tensor 'experts.0.w4.weight' does not follow the naming convention experts.{e}.{w1|w2|w3}.weight`,
      ],
      [
        'an expert without one of the matrices',
        (s) => {
          const st = readSafetensors(s.experts);
          st.tensors.delete('experts.1.w3.weight');
          writeSafetensors(s.experts, st.tensors);
          return s;
        },
        (s) => `${s.experts}: missing tensor 'experts.1.w3.weight' (expert 0 has 'experts.0.w3.weight'; every expert needs the same matrices)`,
      ],
      [
        'an integer weight tensor',
        (s) => {
          const st = readSafetensors(s.experts);
          st.tensors.set('experts.1.w3.weight', tensorFromValues('I32', [3, 4], Array(12).fill(1)));
          writeSafetensors(s.experts, st.tensors);
          return s;
        },
        (s) => `${s.experts}: tensor 'experts.1.w3.weight': dtype I32 is not a weight type (F32, BF16 or F16)`,
      ],
      [
        'an odd number of experts (auto)',
        (s) => {
          const st = readSafetensors(s.experts);
          for (const w of ['w1', 'w2', 'w3']) st.tensors.delete(`experts.3.${w}.weight`);
          writeSafetensors(s.experts, st.tensors);
          return { ...s, pairs: 'auto' };
        },
        (s) => `${s.experts}: --pairs auto: expert 1 could not be paired (an odd number of experts, or no partner with the same shapes)`,
      ],
      [
        'a truncated experts file',
        (s) => {
          const bytes = readFileSync(s.experts);
          writeFileSync(s.experts, bytes.subarray(0, bytes.length - 10));
          return s;
        },
        (s) => `${s.experts}: tensor 'router.weight': data_offsets [`,
      ],
    ];
    for (const [what, mutate, message] of cases) {
      it(what, () => {
        const { experts, calib } = fourExperts();
        const pairs = fresh('pairs.txt');
        writeFileSync(pairs, '0 2\n1 3\n');
        const s = mutate({ experts, calib, pairs });
        const out = fresh('packed.safetensors');
        writeFileSync(out, 'previous contents');
        const msg = errorOf(() => runPack({ in: s.experts, calib: s.calib, pairs: s.pairs, out }));
        expect(msg.startsWith(message(s)), msg).toBe(true);
        expect(readFileSync(out, 'utf8')).toBe('previous contents');
        expect(readdirSync(path.dirname(out))).toEqual(['packed.safetensors']);
      });
    }
  });
});

describe('hdlgen puzzlemoe decode', () => {
  it('writes $readmemh files of the packed words and of the expected outputs, which drive the decode unit', () => {
    const words = Array.from({ length: 11 }, (_, k) => (k * 0x1d3b + 0x2a5) & 0xffff);
    const txt = fresh('w.txt');
    writeFileSync(txt, words.map(hex4).join('\n'));
    const mem = fresh('w.hex');
    const exp = fresh('e.hex');
    runDecode({ in: txt, readmemh: mem, expectedReadmemh: exp, lanes: 4 });
    const memLines = readFileSync(mem, 'utf8').trim().split('\n');
    const expLines = readFileSync(exp, 'utf8').trim().split('\n');
    expect(memLines[0]).toMatch(/^\/\/ puzzlemoe packed words from .*: 11 words, 4 per line/);
    expect(memLines.slice(1)).toEqual([
      [3, 2, 1, 0].map((k) => hex4(words[k])).join(''),
      [7, 6, 5, 4].map((k) => hex4(words[k])).join(''),
      ['0000', ...[10, 9, 8].map((k) => hex4(words[k]))].join(''),
    ]);
    // feed the lines to the decode unit, compare with the expected file
    const sim = new IrSimulator(elaborate(PuzzleMoeDecodeUnit, { lanes: 4 }));
    sim.poke('in_valid', 1);
    sim.poke('out_ready', 1);
    memLines.slice(1).forEach((line, n) => {
      sim.poke('in_words', BigInt(`0x${line}`));
      const got = ((sim.peek('out_lane1') << 64n) | sim.peek('out_lane0')).toString(16).padStart(32, '0');
      expect(got).toBe(expLines[n + 1]);
    });
  });

  it('rejects malformed words, --out with text input and bad --lanes', () => {
    const txt = fresh('w.txt');
    writeFileSync(txt, '1234\nabcde\n');
    expect(errorOf(() => runDecode({ in: txt }))).toBe(`${txt}:2: 'abcde' is not a 16-bit hex word`);
    writeFileSync(txt, '1234\n');
    expect(errorOf(() => runDecode({ in: txt, out: fresh('x.safetensors') }))).toMatch(/--out writes decoded safetensors and needs a packed \.safetensors input/);
    expect(errorOf(() => runDecode({ in: txt, lanes: 0 }))).toBe('--lanes must be an integer from 1 to 64, got 0');
    expect(errorOf(() => runDecode({ in: txt, exponentOffset: 300 }))).toMatch(/exponent offset must be an integer from 1 to 223/);
    expect(errorOf(() => runDecode({ in: path.join(tmp, 'none.txt') }))).toBe(`${path.join(tmp, 'none.txt')}: no such file`);
  });

  it('lists and emits packed tensors by pair index, then w1, w2, w3 (not by string order)', () => {
    const experts = fresh('e.safetensors');
    const calib = fresh('n.safetensors');
    const t: Record<string, Tensor> = {};
    const n: Record<string, Tensor> = {};
    for (let e = 0; e < 22; e++) {
      for (const w of ['w2', 'w1']) {
        t[`experts.${e}.${w}.weight`] = f32([1, 1], [e + 1]);
        n[`experts.${e}.${w}.input_norm`] = f32([1], [1]);
      }
    }
    writeSafetensors(experts, t);
    writeSafetensors(calib, n);
    const out = fresh('p.safetensors');
    runPack({ in: experts, calib, pairs: 'sequential', out });
    const mem = fresh('m.hex');
    const lines = runDecode({ in: out, readmemh: mem }).trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(Array.from({ length: 11 }, (_, k) => [`pairs.${k}.w1.packed`, `pairs.${k}.w2.packed`]).flat());
    expect(lines[2]).toBe('pairs.1.w1.packed [1, 1] words 2..2 -> experts.2.w1.weight (lane 0), experts.3.w1.weight (lane 1)');
    const words = readFileSync(mem, 'utf8').trim().split('\n').slice(1);
    // expert pair (2k, 2k+1) has magnitudes 2k+1 and 2k+2: not shared from pair 1 on, j wins
    expect(words[2]).toBe(hex4(mergeElement(3, 4).word));
  });

  it('rejects a packed file whose pair tensor is missing', () => {
    const f = fresh('p.safetensors');
    writeSafetensors(f, { 'pairs.0.w1.packed': tensorFromBits16('U16', [1, 1], [0x3000]) });
    expect(errorOf(() => runDecode({ in: f }))).toBe(`${f}: missing tensor 'pairs.0.experts' (the two expert indices of pair 0)`);
  });
});

describe('hdlgen puzzlemoe (the binary)', () => {
  it('packs and decodes through the CLI, and reports errors in one line with exit code 1', async () => {
    const { experts, calib } = tableFiles(bf16);
    const out = fresh('packed.safetensors');
    const r = await execa('node', [bin, 'puzzlemoe', 'pack', '--in', experts, '--calib', calib, '--pairs', 'auto', '--out', out, '--tau', '0.4', '--exponent-offset', '112']);
    expect(r.stdout).toContain('pairs (auto): (0, 1)');
    const words = fresh('w.txt');
    writeFileSync(words, tablePacked.map(hex4).join('\n'));
    const d = await execa('node', [bin, 'puzzlemoe', 'decode', '--in', words]);
    expect(d.stdout).toBe(REFERENCE_TABLE.map((row, k) => `${hex4(row.lane0)} ${hex4(k === 4 ? 0x3800 : row.lane1)}`).join('\n'));
    const e = await execa('node', [bin, 'puzzlemoe', 'pack', '--in', experts, '--calib', calib, '--pairs', 'auto', '--out', fresh('x.safetensors'), '--tau', 'abc'], { reject: false });
    expect(e.exitCode).toBe(1);
    expect(e.stderr).toBe("hdlgen: error: --tau: 'abc' is not a number");
    const m = await execa('node', [bin, 'puzzlemoe', 'pack', '--in', path.join(tmp, 'missing.safetensors'), '--calib', calib, '--pairs', 'auto', '--out', fresh('y.safetensors')], { reject: false });
    expect(m.exitCode).toBe(1);
    expect(m.stderr).toBe(`hdlgen: error: ${path.join(tmp, 'missing.safetensors')}: no such file`);
    expect(existsSync(out)).toBe(true);
  });
});
