import { readdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../verilator/build.ts';

/**
 * The eDSL half of the bad-input corpus: test/bad-designs/NN-name.ts, one bad design each with its
 * exact ElaborationError text (source locations included), run in-process by
 * test/bad-designs/corpus.test.ts (elaboration has no CLI entry point of its own). Listed here so
 * the reliability report counts the whole corpus without duplicating it.
 */
export const EDSL_BAD_DESIGNS_DIR = path.join(PROJECT_ROOT, 'test', 'bad-designs');

export function edslBadDesigns(): string[] {
  return readdirSync(EDSL_BAD_DESIGNS_DIR)
    .filter((f) => /^\d\d-[a-z0-9-]+\.ts$/.test(f))
    .sort();
}
