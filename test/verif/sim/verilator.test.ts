import { seedFromEnv } from '../../../verif/random.ts';
import { missingTool } from '../../support/missing-tool.ts';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { elaborate } from '../../../hdl-gen/index.ts';
import { emitDesign } from '../../../hdl-gen/emit/sv-printer.ts';
import { IntMacArray } from '../../../hdl-gen/examples/int-mac-array.ts';
import { crossCheck, crossCheckOps, crossCheckRandom, verilatorAvailable } from '../../../verif/sim/verilator-crosscheck.ts';

/**
 * IrSimulator vs Verilator running the SV printed by hdl-gen (same stimulus, outputs compared
 * before every clock edge). Skipped when `verilator` is not on PATH. By default one random design
 * and the operator module at one width (about 20 s of Verilator builds); HDL_SIM_VERILATOR=full runs
 * 12 random designs and every operator width (several minutes). Reproduce with HDL_SEED=<seed>.
 */
const available = await verilatorAvailable();
const full = process.env.HDL_SIM_VERILATOR === 'full';
const seed = seedFromEnv();

describe.skipIf(missingTool(available))('IrSimulator vs Verilator', () => {
  it('random designs (registers, async/sync resets, memories, hierarchy)', { timeout: full ? 1_800_000 : 300_000 }, async () => {
    console.log(`verilator.test.ts: HDL_SEED=${seed}`);
    const rs = await crossCheckRandom(seed, full ? 12 : 1, full ? 300 : 150, { jobs: full ? undefined : 1, log: (s) => console.log(s) });
    for (const r of rs) expect(r.mismatch, r.mismatch ?? '').toBeNull();
    expect(rs.reduce((s, r) => s + r.comparisons, 0)).toBeGreaterThan(0);
  });

  it('every operator at boundary widths with edge-case operands', { timeout: full ? 1_800_000 : 300_000 }, async () => {
    const widths = full ? [1, 2, 7, 8, 16, 31, 32, 33, 53, 63, 64, 65, 96, 127, 128, 129, 130] : [33];
    const rs = await crossCheckOps(widths, seed, { jobs: full ? undefined : 1, log: (s) => console.log(s) });
    for (const r of rs) expect(r.mismatch, r.mismatch ?? '').toBeNull();
  });

  it('a result bus printed part by part (always_comb) matches the IR simulator', { timeout: 300_000 }, async () => {
    const design = elaborate(IntMacArray, { rows: 3, cols: 4, dataWidth: 8, accWidth: 24 });
    expect(emitDesign(design, { locators: false }).at(-1)!.text).toContain('    acc[287:264] = pe_2_3_acc;');
    const dir = mkdtempSync(path.join(tmpdir(), 'sliced-concat-'));
    try {
      const r = await crossCheck(design, dir, seed, 200);
      expect(r.mismatch, r.mismatch ?? '').toBeNull();
      expect(r.comparisons).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
