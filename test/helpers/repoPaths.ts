/** Paths tests share: the repo root, the repository's own fixtures, and a git-ignored cache. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Fixtures committed with the repository (test/fixtures/): a fresh clone needs nothing beside it. */
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
/** A 2-layer BERT with random weights in Hugging Face layout (ONNX + the all-MiniLM-L6-v2 tokenizer). */
export const tinyBertDir = path.join(fixturesDir, 'tiny-bert');
/** Git-ignored; survives between test runs on one machine, absent on a fresh clone. */
export const testCacheDir = path.join(repoRoot, '.cache', 'test');
