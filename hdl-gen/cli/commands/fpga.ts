import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.ts';
import { exportFpgaFiles, xilinxEstimates } from '../../../fpga/flows/export.ts';
import { runIce40 } from '../../../fpga/flows/ice40.ts';
import { fpgaReport, parseTarget } from '../../../fpga/report.ts';
import type { YosysFlavor } from '../../../fpga/tools/yosys-script.ts';

function flavorOf(v: string | undefined): YosysFlavor {
  if (v === undefined || v === 'wasm' || v === 'system') return (v ?? 'wasm') as YosysFlavor;
  throw new UserError(`--yosys: must be 'system' or 'wasm', got '${v}'`);
}

function mhz(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\s*[0-9]*\.?[0-9]+\s*$/.test(v) || !(n > 0 && n <= 1000)) throw new UserError(`--freq: the clock must be a number of MHz in (0, 1000], got '${v}'`);
  return n;
}

const say = (quiet?: boolean) => (line: string) => {
  if (!quiet) process.stderr.write(`${line}\n`);
};

export function registerFpga(program: Command): void {
  const fpga = program.command('fpga').description('FPGA flows: iCE40 bitstreams (open tools), vendor scripts, FuseSoC cores, resource reports');

  fpga
    .command('ice40')
    .description('synthesize (yosys synth_ice40 -dsp), place and route (nextpnr-ice40) and pack (icepack) a design; output in build/<design>/ice40-<device>-<package>/')
    .requiredOption('-d, --design <name>', 'a design of the configuration (e.g. puzzlemoe_decode_bist)')
    .option('--device <device>', 'up5k or hx8k', 'up5k')
    .option('--package <package>', 'device package (default: sg48 for up5k, ct256 for hx8k)')
    .option('--freq <mhz>', "requested clock in MHz (default: the board's clock, 12)")
    .option('--yosys <flavor>', 'wasm (the embedded @yowasp/yosys) or system', 'wasm')
    .option('--allow-timing-fail', 'write the bitstream and exit 0 even when Fmax is below --freq')
    .option('--no-self-test', "skip a board top's Verilator self-test (RTL and synthesized netlist)")
    .option('-c, --config <file>', 'configuration file')
    .option('-o, --out <dir>', 'output root', 'build')
    .option('--seed <n>', 'nextpnr placer seed', '1')
    .option('-q, --quiet', 'print only the summary')
    .action(async (o: { design: string; device: string; package?: string; freq?: string; yosys: string; allowTimingFail?: boolean; selfTest: boolean; config?: string; out: string; seed: string; quiet?: boolean }) => {
      const seed = Number(o.seed);
      if (!Number.isInteger(seed) || seed < 0) throw new UserError(`--seed: must be a non-negative integer, got '${o.seed}'`);
      const { report: r, dir } = await runIce40({
        design: o.design,
        config: o.config,
        device: o.device,
        package: o.package,
        freqMHz: mhz(o.freq),
        yosys: flavorOf(o.yosys),
        allowTimingFail: o.allowTimingFail,
        outRoot: o.out,
        selfTest: o.selfTest,
        seed,
        log: say(o.quiet),
      });
      const rel = path.relative(process.cwd(), dir) || dir;
      const res = r.resources;
      process.stdout.write(
        `${r.design} on ${r.target} (${r.mode}${r.board ? `, ${r.board}` : ''}): ${res.luts} LUTs, ${res.carries} carries, ${res.ffs} FFs, ${res.dsps} DSPs, ${res.brams} BRAMs; ` +
          `Fmax ${r.timing.achievedMHz} MHz (requested ${r.timing.requestedMHz} MHz, ${r.timing.met ? 'met' : 'MISSED, allowed'})\n`,
      );
      if (r.selfTest.rtl) process.stdout.write(`self-test: RTL ${r.selfTest.rtl.pass ? 'pass' : 'FAIL'}, synthesized netlist ${r.selfTest.netlist?.pass ? 'pass' : 'FAIL'}\n`);
      process.stdout.write(`wrote ${rel}/ (${r.bitstream ?? 'no bitstream'}, report.json)\n`);
    });

  fpga
    .command('cores')
    .description('generate the designs (as hdlgen gen) plus a FuseSoC CAPI2 <design>.core beside each')
    .option('-c, --config <file>', 'configuration file')
    .option('-o, --out <dir>', 'output directory (replaced)', 'rtl-out')
    .option('--only <names...>', 'only these designs')
    .option('--ice40-board <id>', 'board of the icestorm target', 'icebreaker')
    .option('--xilinx-board <id>', 'board of the vivado target', 'arty-a7-35t')
    .action(async (o: { config?: string; out: string; only?: string[]; ice40Board: string; xilinxBoard: string }) => {
      const r = await exportFpgaFiles({ config: o.config, out: o.out, only: o.only, ice40Board: o.ice40Board, xilinxBoard: o.xilinxBoard }, { cores: true });
      process.stdout.write(`wrote ${r.designs.length} designs and ${r.files.length} FuseSoC files to ${o.out}/\n`);
    });

  fpga
    .command('vendor')
    .description('generate the designs plus Vivado (non-project batch TCL + XDC) and Quartus (QPF/QSF/SDC + TCL) scripts; these tools are not run here')
    .option('-c, --config <file>', 'configuration file')
    .option('-o, --out <dir>', 'output directory (replaced)', 'build/fpga-vendor')
    .option('--only <names...>', 'only these designs')
    .option('--xilinx-board <id>', 'Vivado board', 'arty-a7-35t')
    .option('--intel-board <id>', 'Quartus board', 'de10-lite')
    .option('--freq <mhz>', "clock constraint in MHz (default: the board's clock)")
    .option('--estimate', 'also print yosys synth_xilinx resource estimates (and write xilinx-estimates.json)')
    .option('--yosys <flavor>', 'yosys for --estimate: wasm or system', 'wasm')
    .action(async (o: { config?: string; out: string; only?: string[]; xilinxBoard: string; intelBoard: string; freq?: string; estimate?: boolean; yosys: string }) => {
      const flavor = flavorOf(o.yosys);
      const r = await exportFpgaFiles({ config: o.config, out: o.out, only: o.only, xilinxBoard: o.xilinxBoard, intelBoard: o.intelBoard, freqMHz: mhz(o.freq) }, { vendor: true });
      process.stdout.write(`wrote ${r.designs.length} designs and ${r.files.length} vendor files to ${o.out}/\n`);
      if (o.estimate) {
        const est = await xilinxEstimates(r.designs, flavor);
        writeFileSync(path.join(o.out, 'xilinx-estimates.json'), JSON.stringify(est, null, 2) + '\n');
        process.stdout.write('| design | LUTs | FFs | CARRY4 | LUTRAM | DSP48 | BRAM36 |\n|---|---:|---:|---:|---:|---:|---:|\n');
        for (const e of est) process.stdout.write(`| ${e.design} | ${e.estimate.luts} | ${e.estimate.ffs} | ${e.estimate.carry4} | ${e.estimate.lutram} | ${e.estimate.dsp48} | ${e.estimate.bram36} |\n`);
      }
    });

  fpga
    .command('report')
    .description('markdown table of resources and Fmax per design per target (runs the flows)')
    .option('-c, --config <file>', 'configuration file')
    .option('--only <names...>', 'only these designs')
    .option('--targets <targets...>', 'ice40-<device>[-<package>] and/or xc7-estimate', ['ice40-up5k', 'xc7-estimate'])
    .option('--freq <mhz>', 'requested clock in MHz (default: 12, or the board clock)')
    .option('--yosys <flavor>', 'wasm or system', 'wasm')
    .option('--self-test', "also run the board tops' Verilator self-tests")
    .option('-o, --out <file>', 'also write the markdown to this file')
    .action(async (o: { config?: string; only?: string[]; targets: string[]; freq?: string; yosys: string; selfTest?: boolean; out?: string }) => {
      const targets = o.targets.map(parseTarget);
      const r = await fpgaReport({ config: o.config, only: o.only, targets, yosys: flavorOf(o.yosys), freqMHz: mhz(o.freq), selfTest: o.selfTest, log: say(false) });
      const text = r.markdown.join('\n') + '\n';
      if (o.out) writeFileSync(o.out, text);
      process.stdout.write(text);
    });
}
