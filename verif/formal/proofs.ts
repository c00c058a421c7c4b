import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findGenerator } from '../../hdl-gen/designs/registry.ts';
import { emitDesign } from '../../hdl-gen/emit/sv-printer.ts';
import { elaborate } from '../../hdl-gen/index.ts';
import type { YosysFlavor } from '../tools/yosys.ts';
import { proveBounded, proveByInduction, proveCombEquivalent, type ProofResult, type SvSource } from './equivalence.ts';

/**
 * The project's formal proofs (Yosys): generated RTL against hand-written references of the specs
 * (verif/formal/reference/), and bounded and unbounded (k-induction) proofs of the valid/ready
 * protocol of the register slice.
 */

const REFERENCE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reference');

export function reference(fileName: string): SvSource {
  return { fileName, text: readFileSync(path.join(REFERENCE_DIR, fileName), 'utf8') };
}

/** The printed SV of a registry generator (no source locators). */
export function generated(generator: string, params: Record<string, unknown>): { files: SvSource[]; top: string } {
  const g = findGenerator(generator);
  if (!g) throw new Error(`no generator '${generator}'`);
  const ir = elaborate(g.def, g.params.parse(params) as Record<string, unknown>);
  return { files: emitDesign(ir, { locators: false }).map((m) => ({ fileName: m.fileName, text: m.text })), top: ir.top };
}

export interface DecodeProofParams {
  readonly lanes: number;
  readonly exponentOffset: number;
}

/**
 * The combinational PuzzleMoE decode unit equals the spec's decode rule (PuzzleMoeDecodeRef) for
 * every input word of every lane. `refText` replaces the reference (tests use it to show that a
 * wrong reference is caught).
 */
export function proveDecodeUnit(p: DecodeProofParams, opts: { flavor?: YosysFlavor; refText?: string } = {}): Promise<ProofResult> {
  const gate = generated('puzzlemoe-decode', { lanes: p.lanes, outputRegister: false, exponentOffset: p.exponentOffset });
  const ref = opts.refText === undefined ? reference('puzzlemoe_decode_ref.sv') : { fileName: 'puzzlemoe_decode_ref.sv', text: opts.refText };
  return proveCombEquivalent({ files: [ref], top: 'PuzzleMoeDecodeRef', params: { LANES: p.lanes, OFFSET: p.exponentOffset } }, gate, { flavor: opts.flavor });
}

/** The f16 -> f32 converter equals the hand-written reference for all 65,536 inputs. */
export function proveF16ToF32(opts: { flavor?: YosysFlavor; refText?: string } = {}): Promise<ProofResult> {
  const gate = generated('fp-convert', { from: 'f16', to: 'f32', stages: 0 });
  const ref = opts.refText === undefined ? reference('f16_to_f32_ref.sv') : { fileName: 'f16_to_f32_ref.sv', text: opts.refText };
  return proveCombEquivalent({ files: [ref], top: 'F16ToF32Ref' }, gate, { flavor: opts.flavor });
}

/**
 * The valid/ready register slice keeps order, never loses or duplicates a beat, accepts whenever it
 * has room and holds a stalled output, for every input sequence of `steps` cycles after reset.
 * `stageText` replaces the printed stage (tests use it to show that a broken stage is caught).
 */
export function proveValidReadyStage(steps: number, opts: { flavor?: YosysFlavor; stageText?: string } = {}): Promise<ProofResult> {
  const stage = generated('valid-ready-stage', { width: 4 });
  const files = opts.stageText === undefined ? stage.files : [{ fileName: stage.files[0].fileName, text: opts.stageText }];
  return proveBounded({ files: [reference('valid_ready_stage_props.sv'), ...files], top: 'ValidReadyStageProps' }, steps, { flavor: opts.flavor });
}

/**
 * The same properties of the register slice for every cycle, unbounded: k-induction over the
 * property harness (the beat numbering and the held count are the invariants that make it close).
 */
export function proveValidReadyStageUnbounded(opts: { flavor?: YosysFlavor; stageText?: string; maxSteps?: number } = {}): Promise<ProofResult & { inductionLength?: number }> {
  const stage = generated('valid-ready-stage', { width: 4 });
  const files = opts.stageText === undefined ? stage.files : [{ fileName: stage.files[0].fileName, text: opts.stageText }];
  return proveByInduction({ files: [reference('valid_ready_stage_props.sv'), ...files], top: 'ValidReadyStageProps' }, { flavor: opts.flavor, maxSteps: opts.maxSteps });
}
