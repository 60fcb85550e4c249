import { mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm test`'s suite with the CPU of each test file logged (test/helpers/cpuPerFile.ts):
//   SHIFTLENS_TEST_CPU_LOG=/tmp/cpu.jsonl npx vitest run --config vitest.cpu.config.ts
export default mergeConfig(base, { test: { setupFiles: ['test/helpers/cpuPerFile.ts'] } });
