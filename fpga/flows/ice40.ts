import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../hdl-gen/core/source-location.ts';
import { elaborate } from '../../hdl-gen/core/elaborate.ts';
import { emitDesign } from '../../hdl-gen/emit/sv-printer.ts';
import { UserError } from '../../hdl-gen/errors.ts';
import { VerilatorSim } from '../../verif/verilator/verilator-sim.ts';
import { ICE40_DEVICES, ice40Board, type Board } from '../boards.ts';
import { loadFpgaDesign, type FpgaDesign } from '../design-source.ts';
import { ScanWrapper, scanWrapperName } from '../scan-wrapper.ts';
import { asText, nextpnrVersion, runIcepack, runNextpnrIce40 } from '../tools/nextpnr-ice40.ts';
import { fatalYosysWarnings, runYosysScript, yosysVersion, yosysWarnings, type YosysFlavor } from '../tools/yosys-script.ts';
import { boardPcf } from './pcf.ts';
import { buildNetlistSim } from './post-synth-sim.ts';
import { runSelfTest, type SelfTestResult } from './self-test.ts';

export interface Ice40Options {
  readonly design: string;
  readonly config?: string;
  readonly device?: string;
  readonly package?: string;
  /** Requested clock (MHz); default: the board's clock, else 12. */
  readonly freqMHz?: number;
  readonly yosys?: YosysFlavor;
  readonly allowTimingFail?: boolean;
  /** Output root (default <project>/build); results go to <root>/<design>/<target>/. */
  readonly outRoot?: string;
  /** Run the board top's self-test in Verilator before synthesis and on the netlist (default true). */
  readonly selfTest?: boolean;
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

/** Cell counts of a synthesized iCE40 netlist (yosys `stat`). */
export interface Ice40Resources {
  readonly luts: number;
  readonly carries: number;
  readonly ffs: number;
  readonly dsps: number;
  readonly brams: number;
  readonly sprams: number;
}

export interface Ice40Report {
  readonly design: string;
  readonly generator: string;
  readonly params: Record<string, unknown>;
  readonly target: string;
  readonly device: string;
  readonly package: string;
  /** board: a board top pinned by a PCF; scan-wrapper: a unit placed out of context (see fpga/scan-wrapper.ts). */
  readonly mode: 'board' | 'scan-wrapper';
  readonly board: string | null;
  readonly top: string;
  readonly synthTop: string;
  readonly tools: { readonly yosys: string; readonly nextpnr: string };
  readonly timing: { readonly requestedMHz: number; readonly achievedMHz: number; readonly met: boolean; readonly clocks: Record<string, { achieved: number; constraint: number }> };
  /** The design's own cells (for a scan-wrapped unit: the unit synthesized alone). */
  readonly resources: Ice40Resources;
  /** nextpnr utilisation of the placed design: used / available per BEL type. */
  readonly utilization: Record<string, { used: number; available: number }>;
  readonly selfTest: { readonly rtl: SelfTestResult | null; readonly netlist: SelfTestResult | null };
  readonly yosysWarnings: readonly string[];
  readonly seconds: { readonly selfTestRtl: number; readonly yosys: number; readonly nextpnr: number; readonly icepack: number; readonly selfTestNetlist: number; readonly total: number };
  /** Files in the output directory. */
  readonly files: readonly string[];
  readonly bitstream: string | null;
}

export interface Ice40Result {
  readonly report: Ice40Report;
  readonly dir: string;
}

export function ice40Target(device: string, pkg: string): string {
  return `ice40-${device}-${pkg.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function statResources(statJson: string, module: string): Ice40Resources {
  const stat = JSON.parse(statJson) as { modules?: Record<string, { num_cells_by_type?: Record<string, number> }>; design?: { num_cells_by_type?: Record<string, number> } };
  const cells = stat.modules?.[`\\${module}`]?.num_cells_by_type ?? stat.modules?.[module]?.num_cells_by_type ?? stat.design?.num_cells_by_type ?? {};
  const sum = (re: RegExp) => Object.entries(cells).reduce((n, [k, v]) => n + (re.test(k) ? v : 0), 0);
  return { luts: sum(/^SB_LUT4$/), carries: sum(/^SB_CARRY$/), ffs: sum(/^SB_DFF/), dsps: sum(/^SB_MAC16$/), brams: sum(/^SB_RAM40_4K/), sprams: sum(/^SB_SPRAM256KA$/) };
}

function validate(o: Ice40Options): { device: string; pkg: string; flavor: YosysFlavor } {
  const device = o.device ?? 'up5k';
  const dev = ICE40_DEVICES[device];
  if (!dev) throw new UserError(`--device: unknown iCE40 device '${device}'; known devices: ${Object.keys(ICE40_DEVICES).join(', ')}`);
  const pkg = o.package ?? dev.defaultPackage;
  if (!dev.packages.includes(pkg)) throw new UserError(`--package: '${pkg}' is not a package of the ${device}; packages: ${dev.packages.join(', ')}`);
  if (o.freqMHz !== undefined && !(Number.isFinite(o.freqMHz) && o.freqMHz > 0 && o.freqMHz <= 1000)) throw new UserError(`--freq: the clock must be a number of MHz in (0, 1000], got ${o.freqMHz}`);
  const flavor = o.yosys ?? 'wasm';
  if (flavor !== 'wasm' && flavor !== 'system') throw new UserError(`--yosys: must be 'system' or 'wasm', got '${String(flavor)}'`);
  return { device, pkg, flavor };
}

/**
 * The open iCE40 flow: Yosys `synth_ice40 -dsp`, nextpnr-ice40 (a PCF for board tops, a scan
 * wrapper for other units), icepack. A board top's self-test runs in Verilator on the RTL before
 * synthesis and on the synthesized netlist (with the cell models) after it; both must pass. The
 * output directory is written only when the run completes; a timing miss leaves it without a
 * bitstream and is an error unless `allowTimingFail`.
 */
export async function runIce40(o: Ice40Options): Promise<Ice40Result> {
  const t0 = performance.now();
  const { device, pkg, flavor } = validate(o);
  const log = o.log ?? (() => {});
  const design = await loadFpgaDesign(o.design, o.config);
  const board: Board | undefined = ice40Board(device, pkg);
  if (design.boardTop && !board) {
    throw new UserError(`design '${design.name}' is a board top, and no known board has an iCE40 ${device} in package ${pkg}; use --device up5k --package sg48 (iCEBreaker) or --device hx8k --package ct256 (HX8K breakout)`);
  }
  const freq = o.freqMHz ?? board?.clockMHz ?? 12;
  const target = ice40Target(device, pkg);
  const outRoot = path.resolve(o.outRoot ?? path.join(projectRoot, 'build'));
  const finalDir = path.join(outRoot, design.name, target);
  const staging = path.join(outRoot, design.name, `.${target}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const files: Record<string, string | Uint8Array> = {};
  const put = (name: string, data: string | Uint8Array) => {
    files[name] = data;
    writeFileSync(path.join(staging, name), data);
  };
  try {
    const doSelfTest = (o.selfTest ?? true) && design.boardTop !== null;
    const seconds = { selfTestRtl: 0, yosys: 0, nextpnr: 0, icepack: 0, selfTestNetlist: 0, total: 0 };

    // ---- 1. self-test of the RTL (Verilator) ----
    let rtlSelfTest: SelfTestResult | null = null;
    if (doSelfTest) {
      const t = performance.now();
      log(`self-test of ${design.top} in Verilator (RTL)`);
      rtlSelfTest = await selfTestRtl(design);
      seconds.selfTestRtl = (performance.now() - t) / 1000;
      if (!rtlSelfTest.pass) throw new UserError(`self-test of '${design.name}' failed in Verilator before synthesis: ${describe(rtlSelfTest)}`);
    }

    // ---- 2. synthesis ----
    const y = await synthesizeIce40(design, flavor);
    seconds.yosys = y.seconds;
    put('yosys.log', y.log);
    if (!y.ok) throw new UserError(`yosys failed on '${design.name}':\n${lastLines(y.log, /ERROR|Error/)}`);
    put('netlist.json', y.netlistJson);
    put('netlist.v', y.netlistV);
    put('yosys-stat.json', y.stat);
    const { resources, synthTop } = y;

    // ---- 3. place and route ----
    const pcf = board && design.boardTop ? boardPcf(design, board) : null;
    if (pcf) put(`${board!.id}.pcf`, pcf);
    const args = [`--${device}`, '--package', pkg, '--json', 'netlist.json', '--asc', 'design.asc', '--freq', String(freq), '--report', 'nextpnr-report.json', '-l', 'nextpnr.log', '--seed', String(o.seed ?? 1), '--timing-allow-fail', '-q'];
    const pnrFiles: Record<string, string> = { 'netlist.json': y.netlistJson };
    if (pcf) {
      args.push('--pcf', 'board.pcf');
      pnrFiles['board.pcf'] = pcf;
    }
    log(`nextpnr-ice40 --${device} --package ${pkg} --freq ${freq}`);
    const pnr = await runNextpnrIce40(args, pnrFiles, ['nextpnr.log', 'nextpnr-report.json', 'design.asc']);
    seconds.nextpnr = pnr.seconds;
    put('nextpnr.log', asText(pnr.outputs['nextpnr.log']) || pnr.console);
    if (!pnr.ok || !pnr.outputs['nextpnr-report.json']) throw new UserError(`nextpnr-ice40 failed on '${design.name}' (exit ${pnr.exitCode}):\n${lastLines(pnr.console, /ERROR|Error/)}`);
    const pnrReport = JSON.parse(asText(pnr.outputs['nextpnr-report.json'])) as { fmax?: Record<string, { achieved: number; constraint: number }>; utilization?: Record<string, { used: number; available: number }> };
    put('nextpnr-report.json', asText(pnr.outputs['nextpnr-report.json']));
    const clocks = pnrReport.fmax ?? {};
    const achieved = Object.values(clocks).length ? Math.min(...Object.values(clocks).map((c) => c.achieved)) : Infinity;
    const met = achieved >= freq;

    // ---- 4. bitstream ----
    let bitstream: string | null = null;
    if (met || o.allowTimingFail) {
      const asc = pnr.outputs['design.asc'];
      if (!asc) throw new UserError(`nextpnr-ice40 wrote no bitstream for '${design.name}'`);
      const pack = await runIcepack(['design.asc', 'design.bin'], { 'design.asc': asc }, ['design.bin']);
      seconds.icepack = pack.seconds;
      const bin = pack.outputs['design.bin'];
      if (!pack.ok || !bin) throw new UserError(`icepack failed on '${design.name}' (exit ${pack.exitCode}): ${pack.console.trim()}`);
      bitstream = `${design.name}.bin`;
      put(bitstream, typeof bin === 'string' ? new TextEncoder().encode(bin) : bin);
    }

    // ---- 5. self-test of the synthesized netlist ----
    let netlistSelfTest: SelfTestResult | null = null;
    if (doSelfTest) {
      const t = performance.now();
      log(`self-test of the synthesized netlist in Verilator (ice40 cells_sim.v, ${flavor} yosys)`);
      netlistSelfTest = await selfTestNetlist(design, y.netlistV, flavor, path.join(staging, 'postsynth'));
      seconds.selfTestNetlist = (performance.now() - t) / 1000;
      if (!netlistSelfTest.pass) throw new UserError(`self-test of '${design.name}' failed on the synthesized netlist (post-synthesis simulation): ${describe(netlistSelfTest)}`);
    }
    seconds.total = (performance.now() - t0) / 1000;

    const report: Ice40Report = {
      design: design.name,
      generator: design.generator,
      params: design.params,
      target,
      device,
      package: pkg,
      mode: design.boardTop ? 'board' : 'scan-wrapper',
      board: design.boardTop ? board!.id : null,
      top: design.top,
      synthTop,
      tools: { yosys: await yosysVersion(flavor), nextpnr: await nextpnrVersion() },
      timing: { requestedMHz: freq, achievedMHz: round2(achieved), met, clocks },
      resources,
      utilization: Object.fromEntries(Object.entries(pnrReport.utilization ?? {}).filter(([, u]) => u.used > 0)),
      selfTest: { rtl: rtlSelfTest, netlist: netlistSelfTest },
      yosysWarnings: yosysWarnings(y.log),
      seconds: Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, round2(v)])) as Ice40Report['seconds'],
      files: [...Object.keys(files), 'report.json', ...(doSelfTest ? [`postsynth/${design.top}_netlist_sim.v`] : [])].sort(),
      bitstream,
    };
    put('report.json', JSON.stringify(report, null, 2) + '\n');
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(staging, finalDir);
    if (!met && !o.allowTimingFail) {
      throw new UserError(`timing not met for '${design.name}' on ${target}: Fmax ${achieved.toFixed(2)} MHz < requested ${freq} MHz; no bitstream written (report: ${path.relative(process.cwd(), path.join(finalDir, 'report.json'))}); lower --freq or pass --allow-timing-fail`);
    }
    return { report, dir: finalDir };
  } finally {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
}

export interface Ice40Synthesis {
  readonly ok: boolean;
  readonly log: string;
  readonly synthTop: string;
  readonly netlistJson: string;
  /** `write_verilog -noattr` of the synthesized netlist (SB_* cells); for a unit, inside the scan wrapper. */
  readonly netlistV: string;
  /** The design alone, synthesized (top named like the RTL top): what post-synthesis simulation runs. */
  readonly unitNetlistV: string;
  readonly stat: string;
  readonly resources: Ice40Resources;
  readonly seconds: number;
}

/**
 * Yosys `synth_ice40 -dsp` of a design (a board top as is, any other design inside the scan
 * wrapper, plus a synthesis of the unit alone for its resources). Fails with a UserError on the
 * warnings this project treats as errors.
 */
export async function synthesizeIce40(design: FpgaDesign, flavor: YosysFlavor): Promise<Ice40Synthesis> {
  const sources: Record<string, string> = {};
  for (const m of design.modules) sources[m.fileName] = m.text;
  let synthTop = design.top;
  if (!design.boardTop) {
    const wrapperParams = { generator: design.generator, params: design.params };
    for (const m of emitDesign(elaborate(ScanWrapper, wrapperParams))) sources[m.fileName] = m.text;
    synthTop = scanWrapperName(wrapperParams);
  }
  const read = `read_verilog -sv -noautowire ${Object.keys(sources).join(' ')}`;
  const unitStat = design.boardTop ? '' : `design -push-copy; synth_ice40 -dsp -top ${design.top}; tee -q -o unit-stat.json stat -json; write_verilog -noattr unit-netlist.v; design -pop; `;
  const script =
    `${read}; hierarchy -check -top ${synthTop}; proc; check; ${unitStat}` +
    `synth_ice40 -dsp -top ${synthTop} -json netlist.json; tee -q -o stat.json stat -json; write_verilog -noattr netlist.v`;
  const y = await runYosysScript(flavor, sources, script, ['netlist.json', 'netlist.v', 'stat.json', 'unit-stat.json', 'unit-netlist.v']);
  const empty: Ice40Resources = { luts: 0, carries: 0, ffs: 0, dsps: 0, brams: 0, sprams: 0 };
  if (!y.ok) return { ok: false, log: y.log, synthTop, netlistJson: '', netlistV: '', unitNetlistV: '', stat: '', resources: empty, seconds: y.seconds };
  const fatal = fatalYosysWarnings(y.log);
  if (fatal.length) throw new UserError(`yosys warnings treated as errors in '${design.name}':\n${fatal.slice(0, 20).join('\n')}`);
  const resources = design.boardTop ? statResources(y.outputs['stat.json'], synthTop) : statResources(y.outputs['unit-stat.json'], design.top);
  const netlistV = y.outputs['netlist.v'];
  return { ok: true, log: y.log, synthTop, netlistJson: y.outputs['netlist.json'], netlistV, unitNetlistV: design.boardTop ? netlistV : y.outputs['unit-netlist.v'], stat: y.outputs['stat.json'], resources, seconds: y.seconds };
}

const round2 = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : x);

function describe(r: SelfTestResult): string {
  return r.done ? `done after ${r.cycles} cycles with fail=${r.fail ? 1 : 0}, pass=${r.pass ? 1 : 0}` : `done never rose within ${r.cycles} cycles`;
}

function lastLines(text: string, prefer: RegExp): string {
  const lines = text.split('\n').filter((l) => l.trim());
  const hits = lines.filter((l) => prefer.test(l));
  return (hits.length ? hits : lines).slice(-15).join('\n');
}

/** The board top's self-test on the RTL (the project's Verilator harness, -Wall). */
export async function selfTestRtl(design: FpgaDesign, opts: { reset?: boolean } = {}): Promise<SelfTestResult> {
  const sim = await VerilatorSim.build(design.ir);
  try {
    return await runSelfTest(sim, design.boardTop!, design.params, opts.reset === false ? null : design.resets[0]?.name ?? null);
  } finally {
    await sim.close();
  }
}

/** The board top's self-test on a synthesized netlist. */
export async function selfTestNetlist(design: FpgaDesign, netlist: string, flavor: YosysFlavor, workDir: string): Promise<SelfTestResult> {
  const sim = await buildNetlistSim(design, netlist, flavor, workDir);
  try {
    return await runSelfTest(sim, design.boardTop!, design.params, design.resets[0]?.name ?? null);
  } finally {
    await sim.close();
  }
}
