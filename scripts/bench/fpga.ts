// FPGA section of `npm run bench`: resources and Fmax per unit per target, measured by running the
// flows (fpga/report.ts): the decode BIST on the iCEBreaker with its RTL and post-synthesis
// self-tests, units out of context behind the scan wrapper, and yosys synth_xilinx estimates.
import { execa } from 'execa';
import path from 'node:path';
import { projectRoot } from '../../hdl-gen/core/source-location.ts';
import { runIce40 } from '../../fpga/flows/ice40.ts';
import { fpgaReport, reportMarkdown, type ReportRow, type ReportTarget } from '../../fpga/report.ts';
import type { YosysFlavor } from '../../fpga/tools/yosys-script.ts';

export async function bench(opts: { quick: boolean }): Promise<{ key: string; results: unknown; markdown: string[] }> {
  const outRoot = path.join(projectRoot, 'build', 'bench-fpga');
  const haveSystem = (await execa('yosys', ['-V'], { reject: false }).catch(() => ({ exitCode: 1 }))).exitCode === 0;
  const fast: YosysFlavor = haveSystem ? 'system' : 'wasm';
  const rows: ReportRow[] = [];
  const selfTests: Record<string, unknown>[] = [];

  // The units out of context (their own build directories) run beside the board top's flows: each
  // flow is single-threaded, one per core.
  const units = opts.quick ? ['puzzlemoe-decode'] : ['puzzlemoe-decode', 'fp-mul-f16'];
  const targets: ReportTarget[] = opts.quick ? [{ kind: 'xc7-estimate' }] : [{ kind: 'ice40', device: 'up5k' }, { kind: 'xc7-estimate' }];
  const unitsRun = fpgaReport({ only: units, targets, yosys: fast, outRoot });
  unitsRun.catch(() => {});

  // The board top through the whole flow (self-tests on), with the embedded yosys (the default) and,
  // in the full run, the system one too.
  for (const flavor of opts.quick ? [fast] : (['wasm', ...(haveSystem ? ['system'] : [])] as YosysFlavor[])) {
    const t0 = performance.now();
    const { report: r } = await runIce40({ design: 'puzzlemoe_decode_bist', yosys: flavor, outRoot });
    const secs = Math.round((performance.now() - t0) / 10) / 100;
    rows.push({ design: r.design, target: `${r.target} (${r.tools.yosys.split(' (')[0]})`, mode: r.mode, luts: r.resources.luts, ffs: r.resources.ffs, carries: r.resources.carries, dsps: r.resources.dsps, brams: r.resources.brams, fmaxMHz: r.timing.achievedMHz, requestedMHz: r.timing.requestedMHz, met: r.timing.met, seconds: secs });
    selfTests.push({ yosys: r.tools.yosys, rtl: r.selfTest.rtl, netlist: r.selfTest.netlist, seconds: r.seconds });
  }

  const bistXc7 = opts.quick ? [] : (await fpgaReport({ only: ['puzzlemoe_decode_bist'], targets: [{ kind: 'xc7-estimate' }], yosys: fast, outRoot })).rows;
  rows.push(...(await unitsRun).rows, ...bistXc7);

  const st = selfTests
    .map((s) => {
      const x = s as { yosys: string; rtl: { pass: boolean; cycles: number } | null; netlist: { pass: boolean } | null; seconds: Record<string, number> };
      return `- ${x.yosys}: self-test RTL ${x.rtl?.pass ? 'pass' : 'FAIL'} (done within ${x.rtl?.cycles} cycles), synthesized netlist ${x.netlist?.pass ? 'pass' : 'FAIL'}; seconds: ${Object.entries(x.seconds).map(([k, v]) => `${k} ${v}`).join(', ')}`;
    })
    .join('\n');
  return {
    key: 'fpga',
    results: { rows, selfTests },
    markdown: [
      '## FPGA: resources and Fmax per unit per target',
      '',
      `Measured by \`scripts/bench/fpga.ts\` (${opts.quick ? 'quick' : 'full'}; units synthesized with ${fast} yosys); the same table comes from \`hdlgen fpga report\`. The units' flows run beside the board top's (one per core), so the time column includes that sharing.`,
      '',
      ...reportMarkdown(rows),
      '',
      'Decode BIST (`hdlgen fpga ice40 --design puzzlemoe_decode_bist`, iCEBreaker, 12 MHz requested):',
      '',
      st,
    ],
  };
}
