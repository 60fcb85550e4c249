/**
 * Opening a user's file: existence and emptiness checks with actionable messages, and a decoded text stream
 * that notices bytes invalid in the chosen encoding (so a reader can name the row that holds them).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { InputError } from '../core/errors.js';
import type { ProgressTask } from '../core/progress.js';

export type TextEncodingName = 'utf8' | 'latin1';

/** Size in bytes of an existing, non-empty regular file; InputError otherwise. */
export async function requireNonEmptyFile(file: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch {
    throw new InputError(`${file}: file not found (check the path; corpora are written like spam-assassin:spam-2)`);
  }
  if (info.isDirectory()) throw new InputError(`${file}: is a directory, expected a data file`);
  if (info.size === 0) throw new InputError(`${file}: file is empty`);
  return info.size;
}

/** The name used in per-sample origins ("train.csv row 17"). */
export function displayName(file: string): string {
  return path.basename(file);
}

/**
 * Decodes bytes to text. "latin1" uses the WHATWG windows-1252 table (Latin-1 plus the curly quotes and dashes
 * Windows puts in 0x80–0x9F), so every byte decodes. "utf8" replaces invalid sequences with U+FFFD and sets
 * `sawInvalidBytes`, which tells a reader that a U+FFFD in a record came from bad bytes, not from the data.
 */
export class DecodingStream extends Transform {
  sawInvalidBytes = false;
  private readonly decoder: TextDecoder;
  private carry: Buffer = Buffer.alloc(0);

  constructor(
    private readonly encoding: TextEncodingName,
    private readonly task?: ProgressTask,
  ) {
    super({ readableObjectMode: false, decodeStrings: true, encoding: 'utf8' });
    this.decoder = new TextDecoder(encoding === 'utf8' ? 'utf-8' : 'windows-1252');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.task?.increment(chunk.length);
    if (this.encoding === 'utf8' && !this.sawInvalidBytes) {
      const joined = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
      const complete = completeUtf8Length(joined);
      if (!isUtf8(joined.subarray(0, complete))) this.sawInvalidBytes = true;
      this.carry = Buffer.from(joined.subarray(complete));
    }
    callback(null, this.decoder.decode(chunk, { stream: true }));
  }

  override _flush(callback: TransformCallback): void {
    if (this.encoding === 'utf8' && this.carry.length > 0 && !isUtf8(this.carry)) this.sawInvalidBytes = true;
    callback(null, this.decoder.decode());
  }
}

/** Length of the prefix that ends on a character boundary (a trailing, possibly incomplete sequence is held back). */
function completeUtf8Length(bytes: Buffer): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

export function openDecoded(file: string, encoding: TextEncodingName, task?: ProgressTask): DecodingStream {
  const decoding = new DecodingStream(encoding, task);
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  input.on('error', (error) => decoding.destroy(error));
  return input.pipe(decoding);
}

/** Throws the "not valid UTF-8" InputError if `text` shows bytes the decoder had to replace. */
export function checkDecoded(stream: DecodingStream, text: string, where: string): void {
  if (stream.sawInvalidBytes && text.includes('\uFFFD')) {
    throw new InputError(
      `${where}: bytes are not valid UTF-8; if the file is Latin-1/Windows-1252, pass --encoding latin1`,
    );
  }
}
