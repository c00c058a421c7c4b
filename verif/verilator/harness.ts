import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { IrDesign, IrModule } from '../../hdl-gen/ir/ir.ts';
import { UserError } from '../../hdl-gen/errors.ts';

/**
 * The port layout of the streaming harness, fixed at build time: which ports go in an input record
 * (every input except the clocks, which the harness toggles) and an output record (every output),
 * at which byte offsets. Each port takes ceil(width / 8) bytes, little-endian.
 */
export interface PortLayout {
  readonly name: string;
  readonly dir: 'input' | 'output';
  readonly width: number;
  readonly signed: boolean;
  /** ceil(width / 8) */
  readonly bytes: number;
  /** Byte offset in the input record (inputs) or output record (outputs). */
  readonly offset: number;
  /** Harness port index: inputs 0..ni-1, then outputs. */
  readonly index: number;
  readonly role?: 'clock' | 'reset';
}

export interface ResetInfo {
  readonly name: string;
  readonly activeLow: boolean;
}

export interface HarnessLayout {
  readonly top: string;
  readonly clocks: readonly string[];
  readonly resets: readonly ResetInfo[];
  readonly inputs: readonly PortLayout[];
  readonly outputs: readonly PortLayout[];
  readonly inRecBytes: number;
  readonly outRecBytes: number;
}

/** Bumped whenever the wire protocol between verilator-sim.ts and the harness changes. */
export const PROTOCOL_VERSION = 1;
/** The Verilator `--prefix` of the model class (so the harness does not depend on the top name). */
export const MODEL_PREFIX = 'Vdut';

export function topModule(design: IrDesign): IrModule {
  const top = design.modules.find((m) => m.name === design.top);
  if (!top) throw new Error(`verilator: design has no module named its top '${design.top}'`);
  return top;
}

export function harnessLayout(design: IrDesign): HarnessLayout {
  const m = topModule(design);
  const clocks = m.ports.filter((p) => p.role === 'clock');
  for (const c of clocks) {
    if (c.dir !== 'input' || c.width !== 1) throw new UserError(`verilator: clock port '${c.name}' of '${m.name}' must be a 1-bit input`);
  }
  const resets: ResetInfo[] = [];
  for (const d of m.domains) {
    if (d.reset === null) continue;
    const port = m.ports.find((p) => p.node === d.reset);
    if (port && !resets.some((r) => r.name === port.name)) resets.push({ name: port.name, activeLow: d.resetActiveLow });
  }
  // Reset ports that no domain claims (unusual) are taken as active high.
  for (const p of m.ports) if (p.role === 'reset' && p.dir === 'input' && !resets.some((r) => r.name === p.name)) resets.push({ name: p.name, activeLow: false });

  let index = 0;
  let off = 0;
  const inputs: PortLayout[] = [];
  for (const p of m.ports) {
    if (p.dir !== 'input' || p.role === 'clock') continue;
    const bytes = Math.ceil(p.width / 8);
    inputs.push({ name: p.name, dir: 'input', width: p.width, signed: p.signed, bytes, offset: off, index: index++, ...(p.role ? { role: p.role } : {}) });
    off += bytes;
  }
  const inRecBytes = off;
  off = 0;
  const outputs: PortLayout[] = [];
  for (const p of m.ports) {
    if (p.dir !== 'output') continue;
    const bytes = Math.ceil(p.width / 8);
    outputs.push({ name: p.name, dir: 'output', width: p.width, signed: p.signed, bytes, offset: off, index: index++ });
    off += bytes;
  }
  for (const p of [...inputs, ...outputs]) {
    if (p.width < 1) throw new UserError(`verilator: port '${p.name}' of '${m.name}' has width ${p.width}`);
  }
  if (index > 0xffff) throw new UserError(`verilator: '${m.name}' has ${index} ports; the harness supports at most 65535`);
  return { top: m.name, clocks: clocks.map((c) => c.name), resets, inputs, outputs, inRecBytes, outRecBytes: off };
}

/** Verilator's C++ type for a port of `width` bits (VlWide<N> above 64 bits). */
export function verilatorCType(width: number): string {
  if (width <= 8) return 'CData';
  if (width <= 16) return 'SData';
  if (width <= 32) return 'IData';
  if (width <= 64) return 'QData';
  return `VlWide<${Math.ceil(width / 32)}>`;
}

function portView(p: PortLayout) {
  const wide = p.width > 64;
  const words = Math.ceil(p.width / 32);
  const lastBits = p.width - 32 * (words - 1);
  return {
    name: p.name,
    index: p.index,
    offset: p.offset,
    bytes: p.bytes,
    width: p.width,
    wide,
    words,
    ctype: verilatorCType(p.width),
    mask: p.width >= 64 ? '~static_cast<uint64_t>(0)' : `0x${((1n << BigInt(p.width)) - 1n).toString(16)}ULL`,
    lastMask: `0x${(2 ** lastBits - 1).toString(16)}U`,
  };
}

let compiled: HandlebarsTemplateDelegate | null = null;
export const HARNESS_TEMPLATE = new URL('../../templates/verilator/harness.cpp.hbs', import.meta.url);

/** The C++ source of the streaming harness for this layout. */
export function renderHarness(layout: HarnessLayout, opts: { trace: boolean }): string {
  compiled ??= Handlebars.compile(readFileSync(HARNESS_TEMPLATE, 'utf8'), { noEscape: true, strict: true });
  const inputs = layout.inputs.map(portView);
  const outputs = layout.outputs.map(portView);
  const ports = [...inputs, ...outputs];
  return compiled({
    top: layout.top,
    prefix: MODEL_PREFIX,
    protocolVersion: PROTOCOL_VERSION,
    trace: opts.trace,
    inRecBytes: layout.inRecBytes,
    outRecBytes: layout.outRecBytes,
    numPorts: ports.length,
    maxPortBytes: Math.max(1, ...ports.map((p) => p.bytes)),
    clocks: layout.clocks.map((name) => ({ name })),
    inputs,
    outputs,
    ports,
  });
}
