/**
 * Where a transformers model comes from: an existing local folder (loaded offline) or a Hugging Face Hub id
 * (downloaded once into the library's file cache under our cache dir).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';

export type ModelSource = { kind: 'local'; dir: string; onnxFile: string } | { kind: 'hub'; id: string };

export const LOCAL_FOLDER_HINT =
  'to run offline, use a local folder: --model transformers:/path/to/folder with config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx';

const REQUIRED_FILES = ['config.json', 'tokenizer.json', path.join('onnx', 'model.onnx')];

export function resolveModelSource(name: string, cwd = process.cwd()): ModelSource {
  const expanded = name.startsWith('~/') ? path.join(process.env.HOME ?? '', name.slice(2)) : name;
  const candidate = path.resolve(cwd, expanded);
  if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) {
    const missing = REQUIRED_FILES.filter((f) => !fs.existsSync(path.join(candidate, f)));
    if (missing.length > 0) {
      throw new InputError(
        `model folder ${candidate} lacks ${missing.join(', ')}; a transformers model folder needs ${REQUIRED_FILES.join(', ')} (export with 🤗 Optimum to ONNX)`,
      );
    }
    return { kind: 'local', dir: candidate, onnxFile: path.join(candidate, 'onnx', 'model.onnx') };
  }
  if (looksLikePath(name)) {
    throw new InputError(`model folder ${candidate} does not exist; ${LOCAL_FOLDER_HINT}`);
  }
  if (!/^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/.test(name)) {
    throw new InputError(
      `"${name}" is neither an existing folder nor a Hugging Face model id (owner/name); ${LOCAL_FOLDER_HINT}`,
    );
  }
  return { kind: 'hub', id: name };
}

/** The one-line error of a hub id that cannot be loaded (a failed download, an unknown id). */
export function hubLoadMessage(id: string, error: unknown): string {
  return `cannot load "${id}" from the Hugging Face Hub (${firstLine(error)}); check the id and the network, or ${LOCAL_FOLDER_HINT}`;
}

/** The first line of an error's message (a library's load error can run to a stack of lines). */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

/** Computes a file's SHA-256 (hex), e.g. EmbeddingCache.fileDigest, which remembers it by the file's stamp. */
export type FileDigest = (file: string) => string;

/**
 * The files whose contents decide the vectors: the ONNX file (and its external-data files beside it, where the
 * weights of a large model live), config.json, tokenizer.json and tokenizer_config.json, as far as they exist. For a
 * hub id they are the copies in the library's download cache, the ones actually run.
 */
export function identityFiles(onnxFile: string): string[] {
  const onnxDir = path.dirname(onnxFile);
  const modelDir = path.dirname(onnxDir);
  const base = path.basename(onnxFile);
  const external = fs
    .readdirSync(onnxDir)
    .filter((f) => f.startsWith(`${base}_data`) || f === `${base}.data`)
    .sort()
    .map((f) => path.join(onnxDir, f));
  const beside = ['config.json', 'tokenizer.json', 'tokenizer_config.json'].map((f) => path.join(modelDir, f));
  return [onnxFile, ...external, ...beside].filter((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

/**
 * Identity of the weights for the embedding cache key. With `digest`, the SHA-256 of every identity file (so a model
 * file rewritten with the same size and time is a new identity); without one (no cache to key), sizes and times.
 * `onnxFile` is the file the session runs: a local folder's onnx/model.onnx, or for a hub id the library's cached
 * copy (null when the library runs a file we did not locate: then the id alone, as the library serves its cached
 * copy of that id until the cache is cleared).
 */
export function sourceIdentity(source: ModelSource, onnxFile: string | null, digest?: FileDigest): string {
  const where = source.kind === 'hub' ? `hub:${source.id}@main` : `local:${source.dir}`;
  const file = onnxFile ?? (source.kind === 'local' ? source.onnxFile : null);
  if (file === null) return where;
  const hash = crypto.createHash('sha256');
  for (const f of identityFiles(file)) {
    if (digest) {
      hash.update(`${path.basename(f)}:sha256:${digest(f)}\n`);
    } else {
      const st = fs.statSync(f);
      hash.update(`${path.basename(f)}:${st.size}:${st.mtimeMs}\n`);
    }
  }
  return `${where}#${digest ? 'sha256' : 'stat'}:${hash.digest('hex').slice(0, 32)}`;
}

function looksLikePath(name: string): boolean {
  return (
    name.startsWith('/') ||
    name.startsWith('.') ||
    name.startsWith('~') ||
    name.includes('\\') ||
    name.split('/').length > 2 ||
    /^[A-Za-z]:/.test(name)
  );
}
