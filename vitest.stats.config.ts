import { defineConfig } from 'vitest/config';

// Statistical calibration and power on real data (`npm run test:stats`): hundreds of seeded splits per test, so
// minutes rather than seconds. Kept out of `npm test`; CI (.ci/run) runs both.
export default defineConfig({
  test: {
    include: ['test/stats/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 900_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
