import { configDefaults, defineConfig } from 'vitest/config';

// Unit and integration tests (`npm test`). The heavy statistical calibration lives in test/stats/ and runs with
// `npm run test:stats` (vitest.stats.config.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/stats/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
