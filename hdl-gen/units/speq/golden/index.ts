/** SPEQ golden models (pure TypeScript; no hardware code). See README.md in this directory. */
export * from './scale.ts';
export * from './draft-format.ts';
export * from './layout.ts';
export * from './arith.ts';
export * from './controller.ts';
export * from './pack.ts';
export * from './metrics.ts';
