import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../verif/verilator/build.ts';
import { checkAgainstGolden, checkMain } from '../../../verif/verilator/check.ts';
import { counterDesign, counterModel, mulDesign } from './designs.ts';

describe('Verilator checker: first mismatch report', () => {
  it('stops at the first mismatch of a wrong golden model and writes an FST', async () => {
    const wave = join(PROJECT_ROOT, 'build', 'waves', 'wrong-golden-mul16.fst');
    rmSync(wave, { force: true });
    const lines: string[] = [];
    const r = await checkAgainstGolden({
      name: 'wrong-golden-mul16',
      design: mulDesign(),
      mode: 'comb',
      seed: 4242,
      vectors: 200_000,
      stimulus: (g) => ({ a: g.bits(16), b: g.bits(16) }),
      // Wrong (low bit flipped) for products divisible by the prime 4099: rare, but well within 200k.
      golden: ({ a, b }) => ({ p: a * b !== 0n && (a * b) % 4099n === 0n ? (a * b) ^ 1n : a * b }),
      log: (l) => lines.push(l),
    });
    expect(r.ok).toBe(false);
    expect(r.failed).toBe(1);
    const mm = r.mismatch!;
    expect(r.passed).toBe(mm.index);
    expect(mm.seed).toBe(4242);
    expect(mm.cycle).toBeNull();
    expect(mm.ports).toEqual(['p']);
    expect(mm.got.p).toBe(mm.inputs.a * mm.inputs.b);
    expect(mm.expected.p).toBe(mm.got.p ^ 1n);
    expect(r.wavePath).toBe(wave);
    expect(existsSync(wave)).toBe(true);
    expect(statSync(wave).size).toBeGreaterThan(100);
    expect(readFileSync(wave)[0]).toBe(0); // FST_BL_HDR
    const report = r.report;
    expect(report).toBe(lines.join('\n'));
    expect(report).toContain(`FAIL wrong-golden-mul16: first mismatch at vector ${mm.index} (combinational, trace time ${mm.index + 1}), seed 4242`);
    expect(report).toMatch(/inputs: +a=0x[0-9a-f]{4} \(\d+\) b=0x/);
    expect(report).toMatch(/expected: p=0x[0-9a-f]{8} \(\d+\) \(!\)/);
    expect(report).toContain('waveform: build/waves/wrong-golden-mul16.fst (vectors ');
    expect(report).not.toContain('did not reproduce');
    expect(lines.at(-1)).toBe(`${mm.index} passed, 1 failed`);
    console.log(report);
  });

  it('reports the cycle of a clocked mismatch (counting reset cycles)', async () => {
    const model = counterModel(8);
    const r = await checkAgainstGolden({
      name: 'wrong-golden-counter',
      design: counterDesign(),
      mode: 'clocked',
      seed: 1,
      vectors: 10_000,
      reset: 3,
      waveWindow: 100,
      stimulus: () => ({ en: 1n }),
      golden: (inp, i) => {
        const o = model(inp);
        return i === 1000 ? { ...o, count: o.count + 1n } : o;
      },
      log: () => {},
    });
    expect(r.mismatch).toMatchObject({ index: 1000, cycle: 1003, time: 1 + 2 * 1003, ports: ['count'] });
    expect(r.mismatch!.got.count).toBe(BigInt(1000 % 256));
    expect(r.report.split('\n').at(-1)).toBe('1000 passed, 1 failed');
    expect(existsSync(r.wavePath!)).toBe(true);
    expect(r.report).toContain('waveform: build/waves/wrong-golden-counter.fst (vectors 901..1000 of a re-run with FST tracing)');
  });

  it('checkMain returns exit code 1 on failure and 0 on success', async () => {
    const base = { design: mulDesign(), mode: 'comb' as const, seed: 5, vectors: 1000, stimulus: (g: { bits(w: number): bigint }) => ({ a: g.bits(16), b: g.bits(16) }), waveOnFailure: false, log: () => {} };
    expect(await checkMain({ ...base, name: 'main-ok', golden: ({ a, b }) => ({ p: a * b }) })).toBe(0);
    expect(await checkMain({ ...base, name: 'main-bad', golden: ({ a, b }) => ({ p: a * b + 1n }) })).toBe(1);
  });
});
