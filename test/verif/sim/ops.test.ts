import { rngFromSeed, seedFromEnv } from '../../../verif/random.ts';
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../../hdl-gen/index.ts';
import type { IrDesign, IrNode } from '../../../hdl-gen/ir/ir.ts';
import { evalOp } from '../../../hdl-gen/ir/semantics.ts';
import { IrSimulator } from '../../../verif/sim/index.ts';
import { edgeValues, opsModule, shiftAmounts } from '../../../verif/sim/op-designs.ts';

/**
 * Directed operator test: every IR operator, as one node over the module inputs, at widths around
 * the 32-bit (number/BigInt) and 64-bit boundaries, for edge-case operand values and shift amounts
 * around the operand width. Expected values come straight from evalOp (hdl-gen/ir/semantics.ts).
 */

/** The expected value of output `port` from evalOp on its driving node. */
function expectedOf(design: IrDesign, port: string, inputs: Record<string, bigint>): bigint {
  const m = design.modules[design.modules.length - 1];
  const nodeOf = (id: number): bigint => {
    const n: IrNode = m.nodes[id];
    if (n.op === 'input') return inputs[n.name!];
    if (n.op === 'const') return n.value!;
    return evalOp(n, n.args.map(nodeOf), n.args.map((a) => m.nodes[a].width));
  };
  const p = m.ports.find((x) => x.name === port)!;
  return nodeOf(p.node);
}

describe('IrSimulator operators vs evalOp', () => {
  const seed = seedFromEnv();
  console.log(`ops.test.ts: HDL_SEED=${seed}`);
  for (const w of [1, 2, 3, 7, 8, 15, 16, 17, 30, 31, 32, 33, 47, 52, 53, 54, 63, 64, 65, 96, 127, 128, 129, 130]) {
    it(`every operator at width ${w}`, () => {
      const rng = rngFromSeed((seed + w) >>> 0);
      const design = elaborate(opsModule(w), {});
      const top = design.modules[design.modules.length - 1];
      // Each output must be one operator node directly over the inputs (what this test means to check).
      for (const p of top.ports.filter((q) => q.dir === 'output')) {
        const drv = top.nodes[top.nodes[p.node].args[0]];
        expect(drv.args.every((a) => ['input', 'const'].includes(top.nodes[a].op)), `${p.name} is a single operator`).toBe(true);
      }
      const sim = new IrSimulator(design);
      const outs = top.ports.filter((p) => p.dir === 'output').map((p) => p.name);
      const vals = edgeValues(w, rng);
      const { s: amounts, sb: bigAmounts } = shiftAmounts(w);
      let checks = 0;
      let i = 0;
      for (const a of vals) {
        for (const b of vals) {
          const inputs = { a, b, c: BigInt(i & 1), s: amounts[i % amounts.length], sb: bigAmounts[i % bigAmounts.length] };
          i++;
          for (const [k, v] of Object.entries(inputs)) sim.poke(k, v);
          for (const o of outs) {
            const want = expectedOf(design, o, inputs);
            const got = sim.peek(o);
            if (got !== want) expect.fail(`width ${w} ${o}: a=${a} b=${b} c=${inputs.c} s=${inputs.s} sb=${inputs.sb}: simulator ${got}, evalOp ${want}`);
            checks++;
          }
        }
      }
      expect(checks).toBeGreaterThan(100);
    });
  }
});
