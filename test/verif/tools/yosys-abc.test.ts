import { describe, expect, it } from 'vitest';
import { abcMiterVerdicts, proveCombEquivalentBatch, type DesignSide } from '../../../verif/formal/equivalence.ts';
import { designSources } from '../../../verif/mutate/run-mutation.ts';
import { applyMutant, generateMutants } from '../../../verif/mutate/sv-mutants.ts';
import { parseAbcCex, portBits } from '../../../verif/tools/yosys-abc.ts';

/** ABC `iprove` on AIGER miters written by Yosys: the second engine of the mutants' equivalence proofs. */
describe('yosys-abc: counterexample parsing', () => {
  it('reads `write_cex -n` lines and groups bits into ports (most significant first)', () => {
    const bits = parseAbcCex('# FALSIFYING OUTPUTS: trigger\n# COUNTEREXAMPLE LENGTH: 1\nin_a[0]@0=1\nin_a[2]@0=1\nin_a[1]@0=0\nin_c@0=1\nin_r_q.q[0]@0=1\n');
    expect(bits).toEqual({ 'in_a[0]': 1, 'in_a[2]': 1, 'in_a[1]': 0, in_c: 1, 'in_r_q.q[0]': 1 });
    // cut registers (`in_<reg>.q`) are not ports of the design
    expect(portBits(bits, 'in_')).toEqual({ a: '101', c: '1' });
  });
});

const side = (body: string): DesignSide => ({
  top: 'T',
  files: [{ fileName: 't.sv', text: `module T (\n  input  logic [3:0] a,\n  input  logic [3:0] b,\n  input  logic       c,\n  output logic [3:0] y\n);\n  assign y = ${body};\nendmodule\n` }],
});

describe('abcMiterVerdicts (ABC iprove)', () => {
  it('proves equal variants and refutes different ones with an input that really tells them apart', async () => {
    const gold = side('c ? a + b : a ^ b');
    const variants = [side('c ? b + a : b ^ a'), side('c ? a | b : a ^ b'), side("c ? a + b : a ^ b ^ 4'd8")];
    const rs = await abcMiterVerdicts(gold, variants.map((v) => v.files));
    expect(rs.map((r) => r.verdict)).toEqual(['proved', 'failed', 'failed']);
    const f = (sel: bigint, a: bigint, b: bigint, k: number) => (k === 0 ? (sel ? a + b : a ^ b) : k === 1 ? (sel ? a | b : a ^ b) : sel ? a + b : a ^ b ^ 8n) & 15n;
    for (const k of [1, 2]) {
      const { a, b, c } = rs[k].inputs;
      expect([a?.length, b?.length, c?.length], JSON.stringify(rs[k].inputs)).toEqual([4, 1 + 3, 1]);
      const v = (bin: string) => BigInt(`0b${bin}`);
      expect(f(v(c), v(a), v(b), 0)).not.toBe(f(v(c), v(a), v(b), k));
    }
  });
});

describe('combinational equivalence batch (Yosys sat, then ABC, then sat again)', () => {
  it('proves an fp-mac leading-zero-counter mutant harmless in context, which sat alone could not in 20 s', async () => {
    const { files, ir } = designSources('fp-mac-f16');
    // lzlhl_n's constant 1 -> 0: changes the count only for a zero product, whose count the MAC ignores
    const m = generateMutants(files).find((x) => x.description === "Lzc_w22.sv:75: 1'd1 -> 1'h0")!;
    expect(m).toBeDefined();
    const [r] = await proveCombEquivalentBatch({ files, top: ir.top }, [applyMutant(files, m)], { timeoutSeconds: 20 });
    expect(r.verdict).toBe('proved');
    expect(r.log).toMatch(/UNSATISFIABLE/); // ABC's verdict
  }, 60_000);

  it('refutes a different variant with an input (decided by sat in its first, short try)', async () => {
    const [r] = await proveCombEquivalentBatch(side('c ? a + b : a ^ b'), [side('c ? a | b : a ^ b').files]);
    expect(r.verdict).toBe('failed');
    const { a, b, c } = r.counterexample;
    expect(c).toBe(1n);
    expect((a + b) & 15n).not.toBe(a | b);
  });
});
