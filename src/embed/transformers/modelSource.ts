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

/** Identity of the weights for the embedding cache: a local folder is identified by its files' sizes and times. */
export function sourceIdentity(source: ModelSource): string {
  if (source.kind === 'hub') return `hub:${source.id}@main`;
  const hash = crypto.createHash('sha256');
  for (const f of [source.onnxFile, path.join(source.dir, 'config.json'), path.join(source.dir, 'tokenizer.json')]) {
    const st = fs.statSync(f);
    hash.update(`${path.basename(f)}:${st.size}:${st.mtimeMs}\n`);
  }
  return `local:${source.dir}#${hash.digest('hex').slice(0, 16)}`;
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
