/**
 * Where shiftlens keeps derived files (the word-vector table, the embedding cache, downloaded models):
 * $SHIFTLENS_CACHE_DIR, else $XDG_CACHE_HOME/shiftlens, else ~/.cache/shiftlens.
 */
import os from 'node:os';
import path from 'node:path';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.SHIFTLENS_CACHE_DIR;
  if (explicit && explicit.trim() !== '') return path.resolve(explicit);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && xdg.trim() !== '') return path.resolve(xdg, 'shiftlens');
  return path.join(os.homedir(), '.cache', 'shiftlens');
}
