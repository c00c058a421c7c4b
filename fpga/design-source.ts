import path from 'node:path';
import { defaultConfigPath, loadConfig, type ResolvedDesign } from '../hdl-gen/config/load-config.ts';
import { elaborate } from '../hdl-gen/core/elaborate.ts';
import { emitDesign, type EmittedModule } from '../hdl-gen/emit/sv-printer.ts';
import { UserError } from '../hdl-gen/errors.ts';
import type { IrDesign, IrPort } from '../hdl-gen/ir/ir.ts';
import { boardTopFor, type BoardTop } from './board-tops.ts';

/** A configured design, elaborated and printed, with what the FPGA flows need to know about it. */
export interface FpgaDesign {
  readonly name: string;
  readonly generator: string;
  readonly params: Record<string, unknown>;
  readonly ir: IrDesign;
  readonly top: string;
  /** The printed modules, children first (the order of the filelist). */
  readonly modules: readonly EmittedModule[];
  readonly ports: readonly IrPort[];
  readonly clocks: readonly string[];
  readonly resets: readonly { readonly name: string; readonly activeLow: boolean }[];
  /** Set when the design is a complete board top (every port has a board role). */
  readonly boardTop: BoardTop | null;
}

export async function loadDesigns(configPath?: string, only?: readonly string[]): Promise<ResolvedDesign[]> {
  const designs = await loadConfig(configPath ? path.resolve(configPath) : defaultConfigPath);
  if (!only?.length) return designs;
  const unknown = only.filter((n) => !designs.some((d) => d.name === n));
  if (unknown.length) throw new UserError(`no design named ${unknown.map((n) => `'${n}'`).join(', ')} in the config; designs: ${designs.map((d) => d.name).join(', ')}`);
  return designs.filter((d) => only.includes(d.name));
}

export function prepareDesign(d: ResolvedDesign): FpgaDesign {
  const ir = elaborate(d.generator.def, d.params);
  const modules = emitDesign(ir);
  const topModule = ir.modules.find((m) => m.name === ir.top)!;
  if (ir.blackboxes.length) throw new UserError(`design '${d.name}': blackboxes (${ir.blackboxes.map((b) => b.name).join(', ')}) are not supported by the FPGA flows yet`);
  const resets: { name: string; activeLow: boolean }[] = [];
  for (const dom of topModule.domains) {
    const port = topModule.ports.find((p) => p.node === dom.reset);
    if (port && !resets.some((r) => r.name === port.name)) resets.push({ name: port.name, activeLow: dom.resetActiveLow });
  }
  const boardTop = boardTopFor(d.generator.name) ?? null;
  if (boardTop) {
    const missing = topModule.ports.filter((p) => !(p.name in boardTop.ports)).map((p) => p.name);
    if (missing.length) throw new Error(`board top '${d.name}': ports without a board role: ${missing.join(', ')}`);
  }
  return {
    name: d.name,
    generator: d.generator.name,
    params: d.params,
    ir,
    top: ir.top,
    modules,
    ports: topModule.ports,
    clocks: topModule.ports.filter((p) => p.role === 'clock').map((p) => p.name),
    resets,
    boardTop,
  };
}

/** Loads one configured design by name. */
export async function loadFpgaDesign(name: string, configPath?: string): Promise<FpgaDesign> {
  const [d] = await loadDesigns(configPath, [name]);
  return prepareDesign(d);
}
