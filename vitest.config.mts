import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // dist/ built from the current sources first: the bin the CLI tests spawn runs dist/ only
    globalSetup: ['./scripts/vitest-build.mjs'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The CLI tests spawn processes; keep parallelism to the machine's 2 cores.
    maxWorkers: 2,
  },
});
