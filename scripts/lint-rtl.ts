// Usage: tsx scripts/lint-rtl.ts [OUT_DIR]  — runs the RTL gate over every design in OUT_DIR/manifest.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runGate } from '../verif/lint/rtl-gate.ts';

const outDir = process.argv[2] ?? 'rtl-out';
const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as {
  designs: { name: string; top: string; filelist: string }[];
};
let passed = 0;
let failed = 0;
for (const d of manifest.designs) {
  const fl = path.join(outDir, d.filelist);
  const files = readFileSync(fl, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((f) => path.join(path.dirname(fl), f));
  for (const r of await runGate(files, d.top)) {
    if (r.ok) passed++;
    else {
      failed++;
      process.stdout.write(`FAIL ${d.name}: ${r.tool}\n${r.output}\n`);
    }
  }
  process.stdout.write(`checked ${d.name} (${files.length} files)\n`);
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
