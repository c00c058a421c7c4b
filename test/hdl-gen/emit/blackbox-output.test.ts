import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UInt, defineBlackbox, defineModule, elaborate, input, output } from '../../../hdl-gen/index.ts';
import { emitDesign } from '../../../hdl-gen/emit/sv-printer.ts';
import { writeGeneration } from '../../../hdl-gen/emit/write-output.ts';
import { runGate } from '../../../verif/lint/rtl-gate.ts';

const ExtAdder = defineBlackbox({
  name: 'ExtAdder',
  io: (p: { w: number }) => ({ a: input(UInt(p.w)), b: input(UInt(p.w)), sum: output(UInt(p.w)) }),
  svParams: (p) => ({ W: p.w }),
  clocks: { clk: 'sync' },
  source: 'test/fixtures/ExtAdder.sv',
});

const Top = defineModule({
  name: 'BlackboxTop',
  io: () => ({ x: input(UInt(12)), y: output(UInt(12)) }),
  body: (m, io) => {
    const u = m.instance('u_add', ExtAdder, { w: 12 });
    u.io.a.set(io.x);
    u.io.b.set(io.x.not());
    io.y.set(u.io.sum);
  },
});

describe('blackbox instances', () => {
  const design = elaborate(Top, {});
  it('prints parameters, the bound clock and the port wires', () => {
    const text = emitDesign(design, { locators: false }).at(-1)!.text;
    expect(text).toContain(['  ExtAdder #(.W(12)) u_add (', '    .clk (clk),', '    .a   (u_add_a),', '    .b   (u_add_b),', '    .sum (u_add_sum)', '  );'].join('\n'));
  });
  it('copies the blackbox source into the output, lists it in the filelist, and passes the RTL gate', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'hdlgen-bb-')), 'rtl');
    writeGeneration(out, [{ name: 'bb', generator: 'test', params: {}, design, modules: emitDesign(design) }]);
    const list = readFileSync(path.join(out, 'bb', 'bb.f'), 'utf8').trim().split('\n');
    expect(list).toEqual(['ExtAdder.sv', 'BlackboxTop.sv']);
    const results = await runGate(list.map((f) => path.join(out, 'bb', f)), 'BlackboxTop');
    for (const r of results) expect(r.ok, `${r.tool}: ${r.output}`).toBe(true);
  });
});
