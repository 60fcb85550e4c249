/**
 * Setup file of vitest.cpu.config.ts: appends one JSON line per test file to $SHIFTLENS_TEST_CPU_LOG with the CPU
 * (user + sys, seconds) its worker and the child processes it waited for (CLI runs) spent from this setup to the
 * file's last hook: the file's imports, hooks and tests, without the worker's own start.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';

const TICKS_PER_SECOND = 100;

/** utime + stime + cutime + cstime of this process, from /proc/self/stat (Linux), in seconds. */
function cpuSeconds(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14–17 of proc(5), counted from 1 with pid and comm first: here indices 11–14.
  const ticks = fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0);
  return ticks / TICKS_PER_SECOND;
}

const start = cpuSeconds();
const wallStart = performance.now();
let file = '';

beforeAll(() => {
  file = expect.getState().testPath ?? '';
});

afterAll(() => {
  const log = process.env.SHIFTLENS_TEST_CPU_LOG;
  if (!log) return;
  const cpu = cpuSeconds() - start;
  const wall = (performance.now() - wallStart) / 1000;
  fs.appendFileSync(log, `${JSON.stringify({ file, cpu: Number(cpu.toFixed(2)), wall: Number(wall.toFixed(2)) })}\n`);
});
