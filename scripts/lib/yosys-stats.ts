// Yosys resource statistics of a registry design: `synth_ice40 -dsp` and `synth_xilinx` cell counts
// from the system yosys (shared by the bench sections).
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generators } from '../../hdl-gen/designs/registry.ts';
import { emitDesign } from '../../hdl-gen/emit/sv-printer.ts';
import { elaborate } from '../../hdl-gen/index.ts';

export interface SynthStats {
  readonly top: string;
  readonly ice40: { cells: number; lut4: number; mac16: number; ffs: number; carry: number; ram: number };
  readonly xilinx: { cells: number; luts: number; ffs: number; dsp48: number; carry4: number };
}

const count = (text: string, re: RegExp) => [...text.matchAll(re)].reduce((a, m) => a + Number(m[1]), 0);

export async function synthStats(generator: string, params: Record<string, unknown>): Promise<SynthStats> {
  const g = generators.find((x) => x.name === generator);
  if (!g) throw new Error(`synthStats: no generator '${generator}' in the registry`);
  const design = elaborate(g.def, g.params.parse(params));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-qor-'));
  try {
    const files = emitDesign(design).map((m) => {
      writeFileSync(path.join(dir, m.fileName), m.text);
      return m.fileName;
    });
    const stat = async (synth: string, out: string) => {
      const r = await execa('yosys', ['-q', '-p', `read_verilog -sv ${files.join(' ')}; ${synth} -top ${design.top}; tee -q -o ${out} stat`], { cwd: dir, reject: false });
      if (r.exitCode !== 0) throw new Error(`yosys ${synth} failed on ${design.top}:\n${r.stderr || r.stdout}`);
      return readFileSync(path.join(dir, out), 'utf8');
    };
    const ice = await stat('synth_ice40 -dsp', 'ice40.txt');
    const xil = await stat('synth_xilinx -flatten', 'xilinx.txt'); // flattened: one stat, not one per module plus the total
    return {
      top: design.top,
      ice40: {
        cells: count(ice, /Number of cells:\s+(\d+)/g),
        lut4: count(ice, /SB_LUT4\s+(\d+)/g),
        mac16: count(ice, /SB_MAC16\s+(\d+)/g),
        ffs: count(ice, /SB_DFF\w*\s+(\d+)/g),
        carry: count(ice, /SB_CARRY\s+(\d+)/g),
        ram: count(ice, /SB_RAM40_4K\w*\s+(\d+)/g),
      },
      xilinx: {
        cells: count(xil, /Number of cells:\s+(\d+)/g),
        luts: count(xil, /LUT\d\s+(\d+)/g),
        ffs: count(xil, /FD[CPRS]E?\s+(\d+)/g),
        dsp48: count(xil, /DSP48E1\s+(\d+)/g),
        carry4: count(xil, /CARRY4\s+(\d+)/g),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
