import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findGenerator } from '../../hdl-gen/designs/registry.ts';
import { UserError } from '../../hdl-gen/errors.ts';
import { generate } from '../../hdl-gen/cli/commands/gen.ts';
import { BOARDS, findBoard, type FpgaFamily } from '../boards.ts';
import { loadDesigns, prepareDesign, type FpgaDesign } from '../design-source.ts';
import { fusesocCore } from './fusesoc.ts';
import { quartusScripts, vivadoScripts } from './vendor-scripts.ts';
import { xilinxEstimate, type XilinxEstimate } from './xilinx-estimate.ts';
import type { YosysFlavor } from '../tools/yosys-script.ts';

export interface ExportOptions {
  readonly config?: string;
  readonly only?: readonly string[];
  readonly out: string;
  readonly ice40Board?: string;
  readonly xilinxBoard?: string;
  readonly intelBoard?: string;
  readonly freqMHz?: number;
}

function board(id: string | undefined, fallback: string, family: FpgaFamily, option: string) {
  const b = findBoard(id ?? fallback);
  if (!b || b.family !== family) throw new UserError(`${option}: unknown ${family} board '${id}'; known: ${BOARDS.filter((x) => x.family === family).map((x) => x.id).join(', ')}`);
  return b;
}

/**
 * Generates the configured designs into `out` (as `hdlgen gen` does, the directory swapped in
 * whole) and adds, per design, the files `what` asks for: FuseSoC cores and/or vendor scripts.
 */
export async function exportFpgaFiles(o: ExportOptions, what: { cores?: boolean; vendor?: boolean }): Promise<{ designs: FpgaDesign[]; files: string[] }> {
  const ice = board(o.ice40Board, 'icebreaker', 'ice40', '--ice40-board');
  const xil = board(o.xilinxBoard, 'arty-a7-35t', 'xilinx', '--xilinx-board');
  const intel = board(o.intelBoard, 'de10-lite', 'intel', '--intel-board');
  const resolved = await loadDesigns(o.config, o.only);
  const designs = resolved.map(prepareDesign);
  await generate({ config: o.config, out: o.out, only: o.only, quiet: true });
  const files: string[] = [];
  for (const d of designs) {
    const extra: Record<string, string> = {};
    if (what.cores) Object.assign(extra, fusesocCore(d, findGenerator(d.generator)?.description ?? d.generator, { ice40Board: ice.id, xilinxBoard: xil.id }));
    if (what.vendor) Object.assign(extra, vivadoScripts(d, xil, { freqMHz: o.freqMHz }), quartusScripts(d, intel, { freqMHz: o.freqMHz }));
    for (const [rel, text] of Object.entries(extra)) {
      const p = path.join(o.out, d.name, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, text);
      files.push(path.join(d.name, rel));
    }
  }
  return { designs, files };
}

/** `yosys synth_xilinx` estimates for every configured design. */
export async function xilinxEstimates(designs: readonly FpgaDesign[], flavor: YosysFlavor): Promise<{ design: string; top: string; estimate: XilinxEstimate }[]> {
  const out: { design: string; top: string; estimate: XilinxEstimate }[] = [];
  for (const d of designs) out.push({ design: d.name, top: d.top, estimate: await xilinxEstimate(d, flavor) });
  return out;
}
