import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generators } from '../../../hdl-gen/designs/registry.ts';
import { elaborate } from '../../../hdl-gen/index.ts';
import { emitDesign } from '../../../hdl-gen/emit/sv-printer.ts';
import { projectRoot } from '../../../hdl-gen/core/source-location.ts';

// Golden files: the exact text the emitter must produce. Regenerate deliberately with UPDATE_GOLDEN=1.
const goldenDir = path.join(projectRoot, 'test', 'golden');
const cases: { generator: string; params: Record<string, unknown> }[] = [
  { generator: 'counter', params: { width: 8 } },
  { generator: 'fifo', params: { width: 16, depth: 8 } },
  { generator: 'dual-port-ram', params: { width: 32, depth: 256 } },
  { generator: 'int-mac-array', params: { rows: 2, cols: 2, dataWidth: 8, accWidth: 24 } },
  { generator: 'valid-ready-stage', params: { width: 16 } },
];

describe('sv-printer golden files', () => {
  for (const c of cases) {
    it(`${c.generator} matches its golden SV`, () => {
      const g = generators.find((x) => x.name === c.generator)!;
      for (const m of emitDesign(elaborate(g.def, c.params))) {
        const file = path.join(goldenDir, m.fileName);
        if (process.env.UPDATE_GOLDEN) {
          mkdirSync(goldenDir, { recursive: true });
          writeFileSync(file, m.text);
        }
        expect(existsSync(file), `golden file ${file} is missing (run with UPDATE_GOLDEN=1 once, then review it)`).toBe(true);
        expect(m.text).toBe(readFileSync(file, 'utf8'));
      }
    });
  }
});
