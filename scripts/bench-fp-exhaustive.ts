/**
 * Exhaustive check of the binary16 multiply golden model (hdl-gen/units/fp/golden/mul.ts) against
 * the independent double-based model (verif/fp/independent-f16-mul.ts) over operand pairs
 * (a, b), pair index k = a * 65536 + b, all 2^32 by default. Results and flags must both match.
 *
 *   npx tsx scripts/bench-fp-exhaustive.ts [--limit N] [--start K] [--workers W]
 *
 * --limit N    number of pairs to check (default 2^32 - start); use it to measure the rate
 * --start K    first pair index (default 0)
 * --workers W  worker threads splitting the range (default 1, i.e. a single-core rate)
 *
 * Prints progress, the number of mismatches, the first few mismatching pairs, and pairs/s.
 * Exit code 0 when every pair matched, 1 on any mismatch, 2 on bad arguments.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { f16_mul } from '../hdl-gen/units/fp/golden/mul.ts';
import { referenceF16Mul } from '../verif/fp/independent-f16-mul.ts';

const TOTAL_PAIRS = 2 ** 32;

/**
 * Worker threads do not inherit tsx's loader (and ignore `--import` in execArgv on Node 20), so
 * each worker registers tsx itself before importing this file.
 */
const WORKER_BOOTSTRAP = `
  import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });
`;
const PROGRESS_EVERY_MS = 5000;

interface Range {
  start: number;
  end: number; // exclusive
}

interface Report {
  kind: 'progress' | 'done';
  done: number;
  resultMismatches: number;
  flagMismatches: number;
  examples: string[];
}

const hex4 = (x: number) => x.toString(16).toUpperCase().padStart(4, '0');

/** Checks pairs [start, end); calls `progress` every 2^20 pairs. */
function checkRange(range: Range, progress: (r: Report) => void): Report {
  const report: Report = { kind: 'progress', done: 0, resultMismatches: 0, flagMismatches: 0, examples: [] };
  let k = range.start;
  while (k < range.end) {
    const a = Math.floor(k / 65536);
    const bStart = k % 65536;
    const bEnd = Math.min(65536, bStart + (range.end - k));
    for (let b = bStart; b < bEnd; b++) {
      const got = f16_mul(a, b);
      const want = referenceF16Mul(a, b);
      if (got.bits === want.bits && got.flags === want.flags) continue;
      if (got.bits !== want.bits) report.resultMismatches++;
      else report.flagMismatches++;
      if (report.examples.length < 10) {
        report.examples.push(
          `${hex4(a)} * ${hex4(b)}: golden ${hex4(got.bits)} flags ${got.flags}, independent ${hex4(want.bits)} flags ${want.flags}`,
        );
      }
    }
    report.done += bEnd - bStart;
    k += bEnd - bStart;
    if (report.done % 2 ** 20 < 65536) progress({ ...report });
  }
  return { ...report, kind: 'done' };
}

function parseIntArg(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = /^(0x[0-9a-f]+|[0-9]+)$/i.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    console.error(`--${name} must be an integer in [0, ${max}], got '${text}'`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { limit: { type: 'string' }, start: { type: 'string' }, workers: { type: 'string' } },
    strict: true,
  });
  const start = parseIntArg('start', values.start, 0, TOTAL_PAIRS);
  const limit = parseIntArg('limit', values.limit, TOTAL_PAIRS - start, TOTAL_PAIRS - start);
  const workers = Math.max(1, parseIntArg('workers', values.workers, 1, availableParallelism() * 4));
  const end = start + limit;
  console.log(`f16_mul exhaustive check: pairs [${start}, ${end}) = ${limit} pairs, ${workers} worker(s)`);

  const t0 = performance.now();
  const chunk = Math.ceil(limit / workers);
  const ranges: Range[] = [];
  for (let s = start; s < end; s += chunk) ranges.push({ start: s, end: Math.min(end, s + chunk) });

  const latest = ranges.map((): Report => ({ kind: 'progress', done: 0, resultMismatches: 0, flagMismatches: 0, examples: [] }));
  let lastPrint = t0;
  const onProgress = () => {
    const now = performance.now();
    if (now - lastPrint < PROGRESS_EVERY_MS) return;
    lastPrint = now;
    const done = latest.reduce((n, r) => n + r.done, 0);
    const bad = latest.reduce((n, r) => n + r.resultMismatches + r.flagMismatches, 0);
    const rate = done / ((now - t0) / 1000);
    const eta = (limit - done) / rate;
    console.log(
      `  ${done} / ${limit} (${((100 * done) / limit).toFixed(1)}%), ${(rate / 1e6).toFixed(2)} M pairs/s, ` +
        `${bad} mismatches, ETA ${eta.toFixed(0)} s`,
    );
  };

  const finals = await Promise.all(
    ranges.map(
      (range, i) =>
        new Promise<Report>((resolve, reject) => {
          if (workers === 1) {
            resolve(checkRange(range, (r) => ((latest[i] = r), onProgress())));
            return;
          }
          const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: range });
          worker.on('message', (r: Report) => {
            latest[i] = r;
            if (r.kind === 'done') resolve(r);
            else onProgress();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`worker ${i} exited with code ${code}`));
          });
        }),
    ),
  );

  const seconds = (performance.now() - t0) / 1000;
  const done = finals.reduce((n, r) => n + r.done, 0);
  const resultMismatches = finals.reduce((n, r) => n + r.resultMismatches, 0);
  const flagMismatches = finals.reduce((n, r) => n + r.flagMismatches, 0);
  for (const example of finals.flatMap((r) => r.examples).slice(0, 10)) console.log(`  mismatch: ${example}`);
  console.log(
    `checked ${done} pairs in ${seconds.toFixed(2)} s: ${(done / seconds / 1e6).toFixed(2)} M pairs/s ` +
      `(${Math.round(done / seconds)} pairs/s); result mismatches ${resultMismatches}, flag mismatches ${flagMismatches}`,
  );
  return resultMismatches + flagMismatches === 0 ? 0 : 1;
}

if (isMainThread) {
  process.exitCode = await main();
} else {
  const range = workerData as Range;
  const port = parentPort!;
  port.postMessage(checkRange(range, (r) => port.postMessage(r)));
}
