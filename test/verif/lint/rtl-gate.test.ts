import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { icarusParse, verilatorLint, yosysCheck } from '../../../verif/lint/rtl-gate.ts';

// The gate must fail on real problems, or passing it means nothing.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hdlgen-gate-'));
function sv(name: string, text: string): string {
  const p = path.join(tmp, `${name}.sv`);
  writeFileSync(p, text);
  return p;
}

describe('RTL gate', () => {
  const good = sv('Good', 'module Good (\n  input  logic [3:0] a,\n  output logic [3:0] y\n);\n  assign y = ~a;\nendmodule\n');
  it('passes clean code in every tool', async () => {
    for (const r of [await verilatorLint([good], 'Good'), await yosysCheck('system', [good], 'Good'), await yosysCheck('wasm', [good], 'Good'), await icarusParse([good], 'Good')]) {
      expect(r.ok, `${r.tool}: ${r.output}`).toBe(true);
    }
  });
  it('fails Verilator -Wall on an unused input and on a width mismatch', async () => {
    const unused = sv('Unused', 'module Unused (\n  input  logic [3:0] a,\n  input  logic b,\n  output logic [3:0] y\n);\n  assign y = a;\nendmodule\n');
    expect((await verilatorLint([unused], 'Unused')).output).toContain('UNUSEDSIGNAL');
    const width = sv('Width', 'module Width (\n  input  logic [3:0] a,\n  output logic [2:0] y\n);\n  assign y = a;\nendmodule\n');
    expect((await verilatorLint([width], 'Width')).ok).toBe(false);
  });
  it('fails Yosys check -assert on a multiply-driven net', async () => {
    const multi = sv('Multi', 'module Multi (\n  input  logic a,\n  input  logic b,\n  output logic y\n);\n  assign y = a;\n  assign y = b;\nendmodule\n');
    expect((await yosysCheck('system', [multi], 'Multi')).ok).toBe(false);
    expect((await yosysCheck('wasm', [multi], 'Multi')).ok).toBe(false);
  });
  it('fails Icarus on a syntax error', async () => {
    const broken = sv('Broken', 'module Broken (\n  input  logic a\n);\n  assign = a;\nendmodule\n');
    expect((await icarusParse([broken], 'Broken')).ok).toBe(false);
  });
});
