/**
 * `.shiftlens` files: writeBundle (all-or-nothing through src/export/atomicFiles.ts: a kill or a full disk leaves
 * no partial bundle) and readBundle (signature, checksum, format version and layout checked, then the model the
 * caller asks for): every refusal is one InputError line naming the file and what to do (exit 2), before any work.
 */
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, fsErrorToInputError } from '../core/errors.js';
import { writeFilesAtomically } from '../export/atomicFiles.js';
import { BUNDLE_FORMAT_VERSION, packBundle, unpackBundle } from './bundleContainer.js';
import { BundleFormatError, decodeStorable, encodeStorable, type Section } from './storableCodec.js';
import { fromTree, toTree, type LoadedBundle, type ReferenceBundle } from './referenceBundle.js';
import { assertModelMatches, type ModelExpectation } from './modelCompatibility.js';

export const BUNDLE_EXTENSION = '.shiftlens';

/** Writes `bundle` to `file`; returns the file's SHA-256 (hex). */
export async function writeBundle(file: string, bundle: ReferenceBundle): Promise<{ checksum: string; bytes: number }> {
  const sections: Section[] = [];
  const tree = encodeStorable(toTree(bundle), sections);
  const { chunks, checksum } = packBundle(tree, sections);
  const bytes = chunks.reduce((sum, c) => sum + c.length, 0);
  await writeFilesAtomically([
    {
      file,
      async write(temp) {
        const handle = await open(temp, 'w');
        try {
          for (const chunk of chunks) await handle.write(chunk);
          await handle.sync();
        } finally {
          await handle.close();
        }
      },
    },
  ]);
  return { checksum, bytes };
}

/** Reads and checks a bundle; `expect`: the model options the caller named (a mismatch is refused). */
export async function readBundle(file: string, expect?: ModelExpectation): Promise<LoadedBundle> {
  const shown = file;
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      throw new InputError(
        `--bundle ${shown} is a folder: give the .shiftlens file that \`shiftlens reference build\` wrote`,
      );
    }
    bytes = await readFile(file);
  } catch (error) {
    throw (
      fsErrorToInputError(error, { path: file, action: 'read the bundle', advice: 'check the --bundle path' }) ?? error
    );
  }
  let bundle: ReferenceBundle;
  let checksum: string;
  try {
    const unpacked = unpackBundle(bytes);
    checksum = unpacked.checksum;
    bundle = fromTree(decodeStorable(unpacked.tree, unpacked.sections));
  } catch (error) {
    if (error instanceof BundleFormatError) {
      throw new InputError(`bundle ${shown} is ${phrase(error.message)}: ${adviceFor(error.message)}`);
    }
    throw error;
  }
  if (expect) assertModelMatches(shown, bundle.model, expect);
  return {
    ...bundle,
    file: { path: path.resolve(file), checksum, formatVersion: BUNDLE_FORMAT_VERSION, bytes: bytes.length },
  };
}

/** "corrupt or truncated: …" reads after "bundle x is"; a layout problem reads as "unreadable (…)". */
function phrase(reason: string): string {
  return /^(not |corrupt|truncated|written in)/.test(reason) ? reason : `unreadable (${reason})`;
}

function adviceFor(reason: string): string {
  if (reason.startsWith('not ')) return 'give the .shiftlens file that `shiftlens reference build` wrote';
  if (reason.startsWith('written in')) {
    return 'rebuild it with this shiftlens (`shiftlens reference build`), or use the shiftlens release that wrote it';
  }
  return 'copy it again or rebuild it with `shiftlens reference build`';
}
