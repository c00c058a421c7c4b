import { UserError } from '../../hdl-gen/errors.ts';
import type { FpgaDesign } from '../design-source.ts';
import { fatalYosysWarnings, runYosysScript, type YosysFlavor } from '../tools/yosys-script.ts';

/** Post-synthesis cell counts for 7-series from `yosys synth_xilinx` (an estimate: Vivado will differ). */
export interface XilinxEstimate {
  readonly luts: number;
  readonly ffs: number;
  readonly carry4: number;
  readonly lutram: number;
  readonly dsp48: number;
  /** RAMB36 = 1, RAMB18 = 0.5. */
  readonly bram36: number;
  readonly seconds: number;
}

export async function xilinxEstimate(design: FpgaDesign, flavor: YosysFlavor): Promise<XilinxEstimate> {
  const sources: Record<string, string> = {};
  for (const m of design.modules) sources[m.fileName] = m.text;
  const script = `read_verilog -sv -noautowire ${Object.keys(sources).join(' ')}; hierarchy -check -top ${design.top}; proc; check; synth_xilinx -family xc7 -flatten -top ${design.top}; tee -q -o stat.json stat -json`;
  const r = await runYosysScript(flavor, sources, script, ['stat.json']);
  if (!r.ok || !r.outputs['stat.json']) throw new UserError(`yosys synth_xilinx failed on '${design.name}':\n${r.log.split('\n').filter((l) => /ERROR/.test(l)).slice(-10).join('\n')}`);
  const fatal = fatalYosysWarnings(r.log);
  if (fatal.length) throw new UserError(`yosys warnings treated as errors in '${design.name}':\n${fatal.join('\n')}`);
  const stat = JSON.parse(r.outputs['stat.json']) as { modules?: Record<string, { num_cells_by_type?: Record<string, number> }> };
  const mod = stat.modules?.[`\\${design.top}`] ?? Object.values(stat.modules ?? {})[0];
  const cells = mod?.num_cells_by_type ?? {};
  const sum = (re: RegExp) => Object.entries(cells).reduce((n, [k, v]) => n + (re.test(k) ? v : 0), 0);
  return {
    luts: sum(/^LUT[1-6]$/),
    ffs: sum(/^FD[CPRS]E(_1)?$/),
    carry4: sum(/^CARRY4$/),
    lutram: sum(/^RAM(16|32|64|128|256)[XM]/),
    dsp48: sum(/^DSP48E1$/),
    bram36: sum(/^RAMB36E1$/) + sum(/^RAMB18E1$/) / 2,
    seconds: Math.round(r.seconds * 100) / 100,
  };
}
