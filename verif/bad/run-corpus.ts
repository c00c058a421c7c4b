// Usage: node --import tsx verif/bad/run-corpus.ts  — runs every case of verif/bad/cases.ts through
// the CLI's main() in this process and prints one JSON line per case: { name, run }.
import { BAD_CASES } from './cases.ts';
import { runBadCaseInProcess } from './run-case.ts';

const lines: string[] = [];
for (const c of BAD_CASES) lines.push(JSON.stringify({ name: c.name, run: await runBadCaseInProcess(c) }));
process.stdout.write(lines.join('\n') + '\n');
