/** Paths tests share: the repo root, ../shared beside it (as CI lays it out), and a git-ignored cache. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const tinyBertDir = path.join(sharedDir, 'fixtures', 'tiny-bert');
/** Git-ignored; survives between test runs on one machine, absent on a fresh clone. */
export const testCacheDir = path.join(repoRoot, '.cache', 'test');
