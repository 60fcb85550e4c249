import { defineConfig } from 'vitest/config';

// Statistical calibration and power on real data (`npm run test:stats`): hundreds of seeded splits per test, so
// minutes rather than seconds. Kept out of `npm test`; CI (.ci/run) runs both. One generous limit for every test
// and hook here (a file sets none of its own): on a loaded machine these runs take several times their idle time,
// and a timeout is not a statistical failure.
export default defineConfig({
  test: {
    include: ['test/stats/**/*.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
