import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The golden models must never import hardware code (hdl-gen/index.ts, hdl-gen/core, ...). */
describe('SPEQ golden models import no hardware code', () => {
  it('every module reachable from hdl-gen/units/speq/golden is golden code or errors.ts', () => {
    const root = path.resolve('hdl-gen');
    const allowed = (f: string) =>
      f.startsWith(path.join(root, 'units/speq/golden') + path.sep) ||
      f.startsWith(path.join(root, 'units/fp/golden') + path.sep) ||
      f === path.join(root, 'errors.ts');
    const dir = path.join(root, 'units/speq/golden');
    const todo = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
    const seen = new Set<string>();
    while (todo.length) {
      const file = todo.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      expect(allowed(file), `${path.relative(root, file)} is not golden code`).toBe(true);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/g)) {
        const spec = m[1];
        if (spec.startsWith('node:')) continue;
        expect(spec.startsWith('.'), `${path.relative(root, file)} imports package '${spec}'`).toBe(true);
        todo.push(path.resolve(path.dirname(file), spec));
      }
    }
    expect(seen.size).toBeGreaterThan(8);
  });
});
