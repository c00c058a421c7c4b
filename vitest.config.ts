import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Vitest's default is one worker fewer than the cores (a single worker on a 2-core CI machine);
    // the tests wait on Verilator, g++ and Yosys child processes, so every core gets a worker.
    maxWorkers: os.availableParallelism(),
    // Generous: with every core busy, a long Verilator test takes about twice its time alone.
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
