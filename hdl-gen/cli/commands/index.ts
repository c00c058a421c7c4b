import type { Command } from 'commander';
import { registerBindings } from './bindings.ts';
import { registerCheckVectors } from './check-vectors.ts';
import { registerFpga } from './fpga.ts';
import { registerFuzz } from './fuzz.ts';
import { registerGen } from './gen.ts';
import { registerModel } from './model.ts';
import { registerMutate } from './mutate.ts';
import { registerPuzzlemoe } from './puzzlemoe.ts';
import { registerSpeq } from './speq.ts';

/** Every subcommand registers itself here; keep the list alphabetical. */
export function registerCommands(program: Command): void {
  registerBindings(program);
  registerCheckVectors(program);
  registerFpga(program);
  registerFuzz(program);
  registerGen(program);
  registerModel(program);
  registerMutate(program);
  registerPuzzlemoe(program);
  registerSpeq(program);
}
