/**
 * SHA-256 of a model file (its weights), computed once and remembered in the embedding cache database by what the
 * file system says of it, so the cache key can name the weights themselves and a changed model file is noticed even
 * when its size and modification time were kept (a copy with `cp -p`, `rsync -a`, an unpacked archive, fine-tuned
 * weights of the same shape).
 *
 * The memo is keyed by path, size, modification time and change time (nanoseconds) and inode: the change time is set
 * by the kernel on every write or metadata change and cannot be set back by a user tool, so any rewrite of the file
 * makes the memo miss and the file is hashed again (a copied folder is hashed once, on first use).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';

export interface FileStamp {
  path: string;
  size: number;
  /** Nanosecond times and the inode as decimal strings (bigint stat). */
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
}

export function fileStamp(file: string): FileStamp {
  const st = fs.statSync(file, { bigint: true });
  return {
    path: file,
    size: Number(st.size),
    mtimeNs: st.mtimeNs.toString(),
    ctimeNs: st.ctimeNs.toString(),
    ino: st.ino.toString(),
  };
}

const CHUNK = 4 * 2 ** 20;

/** SHA-256 (hex) of a file, read in 4 MiB chunks. */
export function sha256File(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}
