/**
 * `loadDataset(spec, options)`: the one entry point the pipeline calls. A spec is either a corpus
 * (`spam-assassin:<groups>`, `sotu:<from>-<to>`, `uci-sentiment:<sites>`, `sentiment140:<path>`) or a file whose
 * extension (or options.format) picks the reader.
 */
import type { Progress } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import { InputError } from '../core/errors.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { loadSpamAssassin } from './corpora/spamAssassin.js';

export const CORPUS_PREFIXES = ['spam-assassin', 'sotu', 'uci-sentiment', 'sentiment140'] as const;

export async function loadDataset(spec: string, options: LoadOptions, progress: Progress = silentProgress): Promise<Dataset> {
  const corpus = /^([a-z0-9-]+):(.*)$/.exec(spec);
  if (corpus) {
    const [, prefix, rest] = corpus;
    if (prefix === 'spam-assassin') return loadSpamAssassin(spec, rest, options, progress);
  }
  throw new InputError(`${spec}: unsupported source; known corpora: ${CORPUS_PREFIXES.map((p) => p + ':').join(', ')}`);
}
