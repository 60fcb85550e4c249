/**
 * Where `shiftlens embed --out` can write, chosen by the file's extension: .parquet (ids, vectors, labels in one
 * file) or .npy (the matrix, with ids — and labels — in sidecar text files). Checked before any embedding.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { type StagedFile, writeFilesAtomically } from './atomicFiles.js';
import { npyFiles, requireSingleLines, sidecarPath } from './vectorsNpy.js';
import { parquetFiles, type VectorsTable } from './vectorsParquet.js';
import type { VectorExportExtension } from './vectorExportFormats.js';

interface VectorExport {
  /** What is written beside the main file, for messages and docs. */
  describe(file: string, hasLabels: boolean): string;
  /** Checks that need only the ids and labels (before embedding). */
  check(file: string, ids: readonly string[], labels: readonly string[] | null): void;
  files(file: string, table: VectorsTable): StagedFile[];
}

/** One writer per extension of VECTOR_EXPORT_EXTENSIONS (the type keeps the two lists the same). */
export const VECTOR_EXPORTS: Record<VectorExportExtension, VectorExport> = {
  '.parquet': {
    describe: (file, hasLabels) => `${file} (columns id, embedding${hasLabels ? ', label' : ''})`,
    check: () => {},
    files: parquetFiles,
  },
  '.npy': {
    describe: (file, hasLabels) =>
      `${file} with ids in ${sidecarPath(file, 'ids')}${hasLabels ? ` and labels in ${sidecarPath(file, 'labels')}` : ''}`,
    check: (file, ids, labels) => {
      requireSingleLines(ids, 'the id', sidecarPath(file, 'ids'));
      if (labels) requireSingleLines(labels, 'the label', sidecarPath(file, 'labels'));
    },
    files: (file, table) => npyFiles(file, table.vectors, table.ids, table.labels),
  },
};

export function vectorExportFor(file: string): VectorExport {
  const ext = path.extname(file).toLowerCase();
  const format = (VECTOR_EXPORTS as Record<string, VectorExport | undefined>)[ext];
  if (!format) {
    throw new InputError(
      `--out ${file}: write embeddings to a ${Object.keys(VECTOR_EXPORTS).join(' or ')} file (got "${ext || 'no extension'}")`,
    );
  }
  let folder: ReturnType<typeof statSync> | undefined;
  try {
    folder = statSync(path.dirname(path.resolve(file)));
  } catch {
    throw new InputError(`--out ${file}: the folder ${path.dirname(file)} does not exist; create it first`);
  }
  if (!folder.isDirectory()) throw new InputError(`--out ${file}: ${path.dirname(file)} is not a folder`);
  try {
    if (statSync(file).isDirectory()) throw new InputError(`--out ${file}: is a folder; give a file name`);
  } catch (error) {
    if (error instanceof InputError) throw error;
  }
  return format;
}

export async function exportVectors(
  file: string,
  table: {
    vectors: Matrix;
    ids: readonly string[];
    labels: readonly string[] | null;
    metadata: Record<string, string>;
  },
): Promise<string[]> {
  return writeFilesAtomically(vectorExportFor(file).files(file, table));
}
