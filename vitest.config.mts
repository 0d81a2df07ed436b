import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The CLI tests spawn processes; keep parallelism to the machine's 2 cores.
    maxWorkers: 2,
  },
});
