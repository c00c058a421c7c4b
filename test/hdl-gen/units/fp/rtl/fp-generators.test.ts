import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findGenerator } from '../../../../../hdl-gen/designs/registry.ts';
import { emitDesign } from '../../../../../hdl-gen/emit/sv-printer.ts';
import { FpConvert } from '../../../../../hdl-gen/units/fp/rtl/fp-convert.ts';
import { FpMul } from '../../../../../hdl-gen/units/fp/rtl/fp-mul.ts';
import { elaborate } from '../../../../../hdl-gen/index.ts';
import { runGate } from '../../../../../verif/lint/rtl-gate.ts';
import { RTL_FP_OPS, RTL_FP_OP_NAMES } from '../../../../../verif/fp/rtl-ops.ts';
import { elaborateOp } from '../../../../../verif/fp/run-rtl.ts';

describe('FP generators', () => {
  it('name modules readably, one per variant', () => {
    const tops = RTL_FP_OP_NAMES.map((op) => elaborateOp(op).top);
    expect(tops).toEqual([
      'FpMul_f16',
      'FpMul_f32',
      'FpAdd_f16',
      'FpAdd_f32',
      'FpFma_f16',
      'FpConvert_f16_to_f32',
      'FpConvert_bf16_to_f32',
      'FpConvert_f32_to_f16',
      'FpConvert_f32_to_bf16',
      'FpMac_f16_f32',
      'FpMac_bf16_f32',
    ]);
    expect(elaborateOp('mac_f16_f32', 2).top).toBe('FpMac_f16_f32_s2');
  });

  it('have io a, b, (c | acc), y, and in_valid/out_valid plus clk/rst only when pipelined', () => {
    const ports = (op: (typeof RTL_FP_OP_NAMES)[number], s: number) => {
      const d = elaborateOp(op, s);
      return d.modules.find((m) => m.name === d.top)!.ports.map((p) => `${p.dir === 'input' ? 'in' : 'out'} ${p.name}[${p.width}]`);
    };
    expect(ports('mac_f16_f32', 0)).toEqual(['in a[16]', 'in b[16]', 'in acc[32]', 'out y[32]']);
    expect(ports('f16_mulAdd', 0)).toEqual(['in a[16]', 'in b[16]', 'in c[16]', 'out y[16]']);
    expect(ports('f32_to_bf16', 0)).toEqual(['in a[32]', 'out y[16]']);
    expect(ports('f16_mul', 2)).toEqual(['in in_valid[1]', 'in a[16]', 'in b[16]', 'out y[16]', 'out out_valid[1]', 'in clk[1]', 'in rst[1]']);
  });

  it('refuse more stages than cut points, and unsupported conversions', () => {
    expect(() => elaborate(FpMul, { format: 'f16', stages: 4 })).toThrow(/stages must be an integer from 0 to 3/);
    expect(() => elaborate(FpConvert, { from: 'f16', to: 'bf16', stages: 0 })).toThrow(/narrowing/);
  });

  it('are registered with parameter schemas', () => {
    const mac = findGenerator('fp-mac')!;
    expect(mac.params.parse({ inFormat: 'bf16' })).toEqual({ inFormat: 'bf16', stages: 0 });
    expect(mac.params.safeParse({ inFormat: 'f32', stages: 0 }).success).toBe(false);
    expect(mac.params.safeParse({ inFormat: 'f16', stages: 5 }).success).toBe(false);
    const conv = findGenerator('fp-convert')!;
    expect(conv.params.safeParse({ from: 'f32', to: 'f16', stages: 2 }).success).toBe(true);
    const bad = conv.params.safeParse({ from: 'f16', to: 'bf16' });
    expect(bad.success ? '' : bad.error.issues[0].message).toBe('supported conversions: f16 -> f32, bf16 -> f32, f32 -> f16, f32 -> bf16');
    expect(conv.params.safeParse({ from: 'f16', to: 'f32', stages: 2 }).success).toBe(false);
    for (const name of ['fp-add', 'fp-fma', 'fp-mul']) expect(findGenerator(name)!.params.parse({ format: 'f16' })).toEqual({ format: 'f16', stages: 0 });
  });

  it('pass the RTL lint gate (Verilator -Wall, Yosys 0.23 and 0.55, Icarus) combinational and fully pipelined', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'fp-lint-'));
    const failures: string[] = [];
    for (const op of RTL_FP_OP_NAMES) {
      for (const stages of [0, RTL_FP_OPS[op].maxStages]) {
        const d = elaborateOp(op, stages);
        const dir = path.join(tmp, d.top);
        mkdirSync(dir);
        const files = emitDesign(d).map((m) => {
          const f = path.join(dir, m.fileName);
          writeFileSync(f, m.text);
          return f;
        });
        for (const r of await runGate(files, d.top)) if (!r.ok) failures.push(`${d.top}: ${r.tool}\n${r.output}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
