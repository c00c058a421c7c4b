import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { runFuzzBatch } from '../../../verif/fuzz/differential.ts';
import { seedFromEnv } from '../../../verif/random.ts';

/** `hdlgen fuzz`: random circuits through the IR simulator and Verilator, compared every cycle. */
export function registerFuzz(program: Command): void {
  program
    .command('fuzz')
    .description('differential fuzzing: random circuits simulated by the IR simulator and by Verilator on the emitted SV')
    .option('-n, --count <n>', 'number of random circuits', '200')
    .option('-s, --seed <n>', 'seed (default: HDL_SEED or random; always printed)')
    .option('--batch <n>', 'circuits per Verilator build', '500')
    .option('--cycles <n>', 'cycles simulated per batch', '200')
    .action(async (o: { count: string; seed?: string; batch: string; cycles: string }) => {
      const num = (v: string, what: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new UserError(`--${what} must be a positive integer, got '${v}'`);
        return n;
      };
      const count = num(o.count, 'count');
      const batch = num(o.batch, 'batch');
      const cycles = num(o.cycles, 'cycles');
      const seed = o.seed === undefined ? seedFromEnv() : num(o.seed, 'seed');
      process.stdout.write(`fuzz: ${count} circuits, seed ${seed} (reproduce with --seed ${seed})\n`);
      let failed = 0;
      for (let start = 0; start < count; start += batch) {
        const seeds = Array.from({ length: Math.min(batch, count - start) }, (_, i) => (seed * 1_000_003 + start + i) >>> 0);
        const r = await runFuzzBatch(seeds, cycles, (seed + start) >>> 0);
        const bad = new Set(r.mismatches.map((x) => x.circuitSeed));
        failed += bad.size;
        for (const x of r.mismatches) {
          process.stdout.write(`MISMATCH circuit seed ${x.circuitSeed} port ${x.port} cycle ${x.cycle}: IR simulator 0x${x.ir.toString(16)}, Verilator 0x${x.verilator.toString(16)}\n`);
        }
        process.stdout.write(`batch ${start / batch + 1}: ${r.circuits} circuits, ${r.comparisons} comparisons, build ${r.buildSeconds.toFixed(1)} s\n`);
      }
      process.stdout.write(`${count - failed} passed, ${failed} failed\n`);
      if (failed) throw new UserError(`${failed} of ${count} random circuits differ between the IR simulator and Verilator`);
    });
}
