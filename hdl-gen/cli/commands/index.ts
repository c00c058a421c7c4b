import type { Command } from 'commander';
import { registerBindings } from './bindings.ts';
import { registerCheckVectors } from './check-vectors.ts';
import { registerFuzz } from './fuzz.ts';
import { registerGen } from './gen.ts';
import { registerPuzzlemoe } from './puzzlemoe.ts';
import { registerSpeq } from './speq.ts';

/** Every subcommand registers itself here; keep the list alphabetical. */
export function registerCommands(program: Command): void {
  registerBindings(program);
  registerCheckVectors(program);
  registerFuzz(program);
  registerGen(program);
  registerPuzzlemoe(program);
  registerSpeq(program);
}
