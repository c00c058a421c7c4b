import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../hdl-gen/errors.ts';
import { Bits, Bool, defineBlackbox, defineModule, elaborate, input, output, type IoSpec } from '../../hdl-gen/index.ts';

type PortSpec = ReturnType<typeof input>;
import { VerilatorSim } from '../../verif/verilator/verilator-sim.ts';
import type { FpgaDesign } from '../design-source.ts';
import { yosysShareDir, type YosysFlavor } from '../tools/yosys-script.ts';

/**
 * Verilator arguments for a gate-level netlist with Yosys's cell models. The models are
 * third-party code, so only Verilator's default warnings are on (no -Wall) and the ones they
 * trigger are not fatal; `NO_ICE40_DEFAULT_ASSIGNMENTS` selects their port declarations without
 * default values, which Verilator 5.006 cannot parse.
 */
export const NETLIST_VERILATOR_ARGS = ['-DNO_ICE40_DEFAULT_ASSIGNMENTS', '-Wno-fatal', '-Wno-TIMESCALEMOD', '-Wno-UNOPTFLAT', '-Wno-lint', '-Wno-style'] as const;

/** The cell simulation models for a family, from the same Yosys that synthesized the netlist. */
export async function cellsSimPath(flavor: YosysFlavor, family: 'ice40' | 'xilinx'): Promise<string> {
  return path.join(await yosysShareDir(flavor), family, 'cells_sim.v');
}

/**
 * Builds a Verilator model of a synthesized netlist (`write_verilog` output, top module named like
 * the RTL top) through the project's harness: the netlist and the cell models are one blackbox
 * source under a shell with the RTL top's ports, so the same testbench drives both. The reset is a
 * plain input of the shell (poke it), the clock is driven by the harness.
 */
export async function buildNetlistSim(design: FpgaDesign, netlist: string, flavor: YosysFlavor, workDir: string): Promise<VerilatorSim> {
  if (design.clocks.length !== 1) throw new UserError(`post-synthesis simulation of '${design.name}' needs exactly one clock, it has ${design.clocks.length}`);
  const clock = design.clocks[0];
  mkdirSync(workDir, { recursive: true });
  const cells = readFileSync(await cellsSimPath(flavor, 'ice40'), 'utf8');
  const source = path.join(path.resolve(workDir), `${design.top}_netlist_sim.v`);
  writeFileSync(source, `// ${design.top}: synthesized netlist followed by the Yosys ice40 cell models (cells_sim.v)\n${netlist}\n${cells}`);

  const portSpec = (dir: 'input' | 'output', width: number): PortSpec => (dir === 'input' ? input(width === 1 ? Bool() : Bits(width)) : output(width === 1 ? Bool() : Bits(width)));
  const io: Record<string, PortSpec> = {};
  for (const p of design.ports) if (p.name !== clock) io[p.name] = portSpec(p.dir, p.width);
  const bbIo: Record<string, PortSpec> = { [clock]: input(Bool()), ...io };
  const Netlist = defineBlackbox({ name: design.top, io: () => bbIo as IoSpec, source, clocks: { [clock]: 'netlist' } });
  const Shell = defineModule({
    name: 'PostSynthShell',
    io: () => io as IoSpec,
    moduleName: () => `${design.top}_postsynth`,
    body: (m, shellIo) => {
      const dom = m.domain('netlist', { clock });
      const inst = m.instance('netlist', Netlist, {}, { domains: { netlist: dom } });
      const ports = inst.io as Record<string, { set(v: unknown): void }>;
      const own = shellIo as Record<string, { set(v: unknown): void }>;
      for (const p of design.ports) {
        if (p.name === clock) continue;
        if (p.dir === 'input') ports[p.name].set(own[p.name]);
        else own[p.name].set(ports[p.name]);
      }
    },
  });
  return VerilatorSim.build(elaborate(Shell, {}), { wall: false, extraArgs: [...NETLIST_VERILATOR_ARGS] });
}
