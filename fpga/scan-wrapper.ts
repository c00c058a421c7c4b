import { createHash } from 'node:crypto';
import { findGenerator } from '../hdl-gen/designs/registry.ts';
import { UserError } from '../hdl-gen/errors.ts';
import { Bool, BundleView, Sig, UInt, VecView, cat, defineModule, input, output, type IoSpec, type View } from '../hdl-gen/index.ts';

/**
 * Out-of-context timing for a unit whose ports outnumber a package's pins: the unit between a
 * serial-in shift register (driving every input straight from a flip-flop) and a register on
 * every output, folded into one pin by a pipelined XOR tree (one LUT level per stage, so the tree
 * never sets the clock). The placed design's Fmax is then the unit's own register-to-register
 * Fmax; its resources are reported from a separate synthesis of the unit alone.
 *
 * Ports: clk, rst (bound to the unit's default domain), si (scan in), so (folded outputs).
 */
export type ScanWrapperParams = { readonly generator: string; readonly params: Record<string, unknown> };

export const SCAN_WRAPPER_PREFIX = 'ScanWrapper';

export function scanWrapperName(p: ScanWrapperParams): string {
  const h = createHash('sha256').update(JSON.stringify([p.generator, p.params])).digest('hex').slice(0, 8);
  return `${SCAN_WRAPPER_PREFIX}_${p.generator.replace(/[^A-Za-z0-9]/g, '_')}_${h}`;
}

/** Drives an input view (ground, Vec or Bundle) from raw bits of the same width. */
function driveFrom(view: View<any>, bits: Sig<'bits'>): void {
  if (view instanceof VecView) {
    const w = view.type.elem.width;
    view.elements().forEach((e, i) => driveFrom(e, bits.slice(i * w + w - 1, i * w)));
    return;
  }
  if (view instanceof BundleView) {
    for (const [k, t] of Object.entries(view.type.fields)) {
      const lo = view.type.offsets[k];
      driveFrom((view.fields as Record<string, View<any>>)[k], bits.slice(lo + t.width - 1, lo));
    }
    return;
  }
  const s = view as Sig & { set(v: Sig): void };
  const kind = s.type.kind;
  s.set(kind === 'uint' ? bits.asUInt() : kind === 'sint' ? bits.asSInt() : kind === 'bool' ? bits.asBool() : bits);
}

export const ScanWrapper = defineModule({
  name: SCAN_WRAPPER_PREFIX,
  io: (_: ScanWrapperParams) => ({ si: input(Bool()), so: output(Bool()) }),
  moduleName: scanWrapperName,
  body: (m, io, p) => {
    const g = findGenerator(p.generator);
    if (!g) throw new UserError(`scan wrapper: unknown generator '${p.generator}'`);
    const spec = g.def.io(p.params) as IoSpec;
    const unit = m.instance('unit', g.def, p.params);
    const ports = unit.io as Record<string, View<any>>;
    const inputs = Object.entries(spec).filter(([, s]) => s.dir === 'input');
    const outputs = Object.entries(spec).filter(([, s]) => s.dir === 'output');
    if (!outputs.length) throw new UserError(`scan wrapper: '${p.generator}' has no outputs to observe`);

    const inWidth = inputs.reduce((n, [, s]) => n + s.type.width, 0);
    if (inWidth > 0) {
      const chain = m.reg('scan_in', UInt(inWidth));
      chain.set(inWidth === 1 ? io.si.asUInt() : cat(chain.slice(inWidth - 2, 0), io.si).asUInt());
      let lo = 0;
      for (const [name, s] of inputs) {
        driveFrom(ports[name], chain.slice(lo + s.type.width - 1, lo).asBits());
        lo += s.type.width;
      }
    }

    const bitsOf = (v: View<any>): Sig => (v instanceof VecView || v instanceof BundleView ? v.asBits() : (v as Sig));
    let level: Sig = m.regNext('scan_out_0', cat(...outputs.map(([name]) => bitsOf(ports[name]))).asBits());
    for (let stage = 1; level.width > 1; stage++) {
      const groups: Sig[] = [];
      for (let lo = 0; lo < level.width; lo += 4) groups.push(level.slice(Math.min(lo + 3, level.width - 1), lo).xorR());
      level = m.regNext(`scan_out_${stage}`, groups.length === 1 ? groups[0] : cat(...groups.reverse()).asBits());
    }
    io.so.set(level.asBool());
  },
});
