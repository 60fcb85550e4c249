/** Real corpora for the statistical benchmarks: texts, word counts and wordvec:sg100d embeddings (cached). */
import fs from 'node:fs';
import path from 'node:path';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { createEmbedder } from '../../src/embed/registry.js';
import type { Matrix } from '../../src/core/matrix.js';
import { wordCount } from '../../src/pipeline/wordCount.js';

export interface EmbeddedCorpus {
  spec: string;
  vectors: Matrix;
  words: Int32Array;
  /** Where each row came from, e.g. "sotu:1861 Abraham Lincoln passage 3" (the loader's origins). */
  origins: string[];
}

export async function embedCorpus(spec: string, model = 'wordvec:sg100d'): Promise<EmbeddedCorpus> {
  const dataset = await loadDataset(spec, { seed: 0 });
  const texts = dataset.texts as string[];
  const embedder = await createEmbedder(model, {});
  try {
    const { vectors } = await embedder.embed(texts);
    return { spec, vectors, words: Int32Array.from(texts, wordCount), origins: dataset.origins };
  } finally {
    await embedder.dispose();
  }
}

/** Every non-empty UCI sentence (amazon, imdb, yelp, in that order) from the sentiment package's fixtures under `root`. */
export function uciSentences(root: string): string[] {
  const out: string[] = [];
  for (const site of ['amazon', 'imdb', 'yelp']) {
    const file = path.join(root, 'node_modules', 'sentiment', 'test', 'fixtures', `${site}.json`);
    const records = JSON.parse(fs.readFileSync(file, 'utf8')) as { text: string }[];
    for (const r of records) if (r.text.trim() !== '') out.push(r.text);
  }
  return out;
}
