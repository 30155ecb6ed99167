import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser tests share the built app and one Chromium binary; keep load within two cores.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
    benchmark: { include: ['test/bench/**/*.bench.ts'] },
  },
});
