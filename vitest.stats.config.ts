import { defineConfig } from 'vitest/config';

// Statistical calibration and power on real data (`npm run test:stats`): hundreds of seeded splits per test, so
// minutes rather than seconds. Kept out of `npm test`; CI (.ci/run) runs both. No time limit on tests or hooks
// (0 = none; a file sets none of its own): on a loaded machine these runs take many times their idle time (a 30-
// minute limit was hit at load 25 on 2 cores), and a timeout is not a statistical failure. CI's job limit stops a hang.
export default defineConfig({
  test: {
    include: ['test/stats/**/*.test.ts'],
    testTimeout: 0,
    hookTimeout: 0,
    pool: 'forks',
    maxWorkers: 2,
  },
});
