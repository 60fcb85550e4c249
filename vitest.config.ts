import { configDefaults, defineConfig } from 'vitest/config';

// Unit and integration tests (`npm test`). The heavy statistical calibration lives in test/stats/ and runs with
// `npm run test:stats` (vitest.stats.config.ts).
//
// Two projects in one pool of 2 workers (the machine's 2 cores; the CLI tests' child processes use them too):
// - unit: in-process tests of the library's modules. They share a worker process file after file (isolate:
//   false), which saves a process start and the import of src/ for each file (measured back to back on these 67
//   files: 141 s -> 104.5 s CPU; api, bundle and monitor, 12 files, 48.5 s -> 33.1 s CPU). Add a folder here only
//   when its tests leave no global state behind.
// - integration: everything else (real CLI processes, faults, browsers, and any new folder) keeps one fresh
//   process per file.
const UNIT_DIRS = [
  'api',
  'bundle',
  'core',
  'embed',
  'finetune',
  'ingest',
  'kernel',
  'learn',
  'monitor',
  'pipeline',
  'probe',
  'projection',
  'report',
  'result',
  'twosample',
  'verdict',
];
const UNIT = UNIT_DIRS.map((dir) => `test/${dir}/**/*.test.ts`);
const NOT_UNIT = ['test/finetune/finetuneCli.test.ts', 'test/report/**/*browser*.test.ts'];

export default defineConfig({
  test: {
    exclude: [...configDefaults.exclude, 'test/stats/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: UNIT, exclude: [...configDefaults.exclude, ...NOT_UNIT], isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [`test/!(${UNIT_DIRS.join('|')})/**/*.test.ts`, ...NOT_UNIT],
          exclude: [...configDefaults.exclude, 'test/stats/**'],
        },
      },
    ],
  },
});
