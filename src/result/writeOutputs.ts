/**
 * Writes the output folder all-or-nothing: every file is first written under a temporary name in the same
 * folder, and only renamed into place once all of them were written. A failure leaves no partial file.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface OutputFile {
  /** Path relative to the output folder (may contain one subfolder, e.g. "charts/pca.svg"). */
  name: string;
  contents: string | Uint8Array;
}

export async function writeOutputsAtomically(outDir: string, files: OutputFile[]): Promise<string[]> {
  const stamp = `.tmp-${process.pid}-${Date.now()}`;
  const staged: { temp: string; final: string }[] = [];
  try {
    for (const file of files) {
      const final = path.join(outDir, file.name);
      await mkdir(path.dirname(final), { recursive: true });
      const temp = `${final}${stamp}`;
      await writeFile(temp, file.contents);
      staged.push({ temp, final });
    }
  } catch (error) {
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true })));
    throw error;
  }
  for (const { temp, final } of staged) await rename(temp, final);
  return staged.map(({ final }) => final);
}
