/** The public eDSL: everything a unit generator may use. Units import from here only. */
export { Bits, Bool, Bundle, SInt, UInt, Vec, clog2, type HwType, type GroundKind } from './core/types.ts';
export { Sig, cat, lit, litU, mux, replicate, type Literal } from './core/expr.ts';
export { Signal, VecView, BundleView, type View } from './core/views.ts';
export {
  defineBlackbox,
  defineModule,
  input,
  output,
  Memory,
  ModuleBuilder,
  type BlackboxDef,
  type ClockDomain,
  type IoSpec,
  type IoViews,
  type ModuleDef,
  type Params,
} from './core/module.ts';
export { elaborate } from './core/elaborate.ts';
export { packVec, unpackVec } from './core/vec-value.ts';
export { ElaborationError, type Diagnostic } from './core/diagnostics.ts';
