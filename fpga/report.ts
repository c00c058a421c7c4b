import { UserError } from '../hdl-gen/errors.ts';
import { loadDesigns, prepareDesign } from './design-source.ts';
import { runIce40, type Ice40Report } from './flows/ice40.ts';
import { xilinxEstimate, type XilinxEstimate } from './flows/xilinx-estimate.ts';
import type { YosysFlavor } from './tools/yosys-script.ts';

/** A report target: an iCE40 place-and-route (device/package) or the synth_xilinx estimate. */
export type ReportTarget = { readonly kind: 'ice40'; readonly device: string; readonly package?: string } | { readonly kind: 'xc7-estimate' };

export function parseTarget(t: string): ReportTarget {
  if (t === 'xc7-estimate') return { kind: 'xc7-estimate' };
  const m = /^ice40-([a-z0-9]+)(?:-([a-z0-9:]+))?$/.exec(t);
  if (m) return { kind: 'ice40', device: m[1], package: m[2] };
  throw new UserError(`--targets: unknown target '${t}'; use ice40-<device>[-<package>] (e.g. ice40-up5k, ice40-hx8k-ct256) or xc7-estimate`);
}

export interface ReportRow {
  readonly design: string;
  readonly target: string;
  readonly mode: string;
  readonly luts: number | null;
  readonly ffs: number | null;
  readonly carries: number | null;
  readonly dsps: number | null;
  readonly brams: number | null;
  readonly fmaxMHz: number | null;
  readonly requestedMHz: number | null;
  readonly met: boolean | null;
  readonly seconds: number;
  readonly error?: string;
}

export interface ReportOptions {
  readonly config?: string;
  readonly only?: readonly string[];
  readonly targets: readonly ReportTarget[];
  readonly yosys: YosysFlavor;
  readonly freqMHz?: number;
  readonly outRoot?: string;
  readonly selfTest?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * Runs every requested target for every design (timing misses are reported, not fatal; a design
 * that does not fit or fails is a row with its error) and returns rows plus a markdown table.
 */
export async function fpgaReport(o: ReportOptions): Promise<{ rows: ReportRow[]; markdown: string[] }> {
  const designs = await loadDesigns(o.config, o.only);
  const rows: ReportRow[] = [];
  for (const d of designs) {
    for (const t of o.targets) {
      const t0 = performance.now();
      const secs = () => Math.round((performance.now() - t0) / 10) / 100;
      if (t.kind === 'xc7-estimate') {
        o.log?.(`${d.name}: yosys synth_xilinx estimate`);
        try {
          const e: XilinxEstimate = await xilinxEstimate(prepareDesign(d), o.yosys);
          rows.push({ design: d.name, target: 'xc7 (yosys estimate)', mode: 'synth only', luts: e.luts, ffs: e.ffs, carries: e.carry4, dsps: e.dsp48, brams: e.bram36, fmaxMHz: null, requestedMHz: null, met: null, seconds: secs() });
        } catch (e) {
          rows.push(errorRow(d.name, 'xc7 (yosys estimate)', e, secs()));
        }
        continue;
      }
      o.log?.(`${d.name}: ice40 ${t.device}${t.package ? ' ' + t.package : ''}`);
      try {
        const { report: r } = await runIce40({ design: d.name, config: o.config, device: t.device, package: t.package, freqMHz: o.freqMHz, yosys: o.yosys, allowTimingFail: true, outRoot: o.outRoot, selfTest: o.selfTest ?? false });
        rows.push(rowOf(r, secs()));
      } catch (e) {
        rows.push(errorRow(d.name, `ice40-${t.device}${t.package ? '-' + t.package : ''}`, e, secs()));
      }
    }
  }
  return { rows, markdown: reportMarkdown(rows) };
}

function rowOf(r: Ice40Report, seconds: number): ReportRow {
  return {
    design: r.design,
    target: r.target,
    mode: r.mode,
    luts: r.resources.luts,
    ffs: r.resources.ffs,
    carries: r.resources.carries,
    dsps: r.resources.dsps,
    brams: r.resources.brams,
    fmaxMHz: r.timing.achievedMHz,
    requestedMHz: r.timing.requestedMHz,
    met: r.timing.met,
    seconds,
  };
}

function errorRow(design: string, target: string, e: unknown, seconds: number): ReportRow {
  if (!(e instanceof UserError)) throw e;
  return { design, target, mode: '-', luts: null, ffs: null, carries: null, dsps: null, brams: null, fmaxMHz: null, requestedMHz: null, met: null, seconds, error: e.message.split('\n')[0] };
}

export function reportMarkdown(rows: readonly ReportRow[]): string[] {
  const n = (v: number | null) => (v === null ? '-' : String(v));
  const lines = [
    '| design | target | mode | LUTs | FFs | carry | DSP | BRAM | Fmax (MHz) | requested (MHz) | timing | time (s) |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|',
  ];
  for (const r of rows) {
    const timing = r.error ? `error: ${r.error.replace(/\|/g, '\\|')}` : r.met === null ? '-' : r.met ? 'met' : 'MISSED';
    lines.push(`| ${r.design} | ${r.target} | ${r.mode} | ${n(r.luts)} | ${n(r.ffs)} | ${n(r.carries)} | ${n(r.dsps)} | ${n(r.brams)} | ${r.fmaxMHz === null ? '-' : r.fmaxMHz.toFixed(1)} | ${n(r.requestedMHz)} | ${timing} | ${r.seconds.toFixed(1)} |`);
  }
  lines.push(
    '',
    'iCE40 rows: Yosys `synth_ice40 -dsp` + nextpnr-ice40 (LUTs = SB_LUT4, carry = SB_CARRY, BRAM = SB_RAM40_4K, DSP = SB_MAC16). ' +
      '`board` = a board top pinned by its PCF; `scan-wrapper` = a unit placed out of context behind a scan chain (fpga/scan-wrapper.ts), resources of the unit alone. ' +
      'xc7 rows: `yosys synth_xilinx` cell counts (LUT1-6, FD*, CARRY4, DSP48E1, RAMB36 equivalents), an estimate only (no Vivado here).',
  );
  return lines;
}
