/** Line-by-line reading of a decoded file (LF or CRLF), each line checked for bytes invalid in the encoding. */
import { createInterface } from 'node:readline';
import type { ProgressTask } from '../core/progress.js';
import type { TextEncodingName } from './sourceFile.js';
import { checkDecoded, openDecoded } from './sourceFile.js';

export interface NumberedLine {
  text: string;
  /** 1-based line number. */
  line: number;
}

/** Yields every line, blank ones included; a final newline does not make an extra empty line. */
export async function* readLines(
  file: string,
  encoding: TextEncodingName,
  task?: ProgressTask,
): AsyncGenerator<NumberedLine> {
  const decoded = openDecoded(file, encoding, task);
  const reader = createInterface({ input: decoded, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of reader) {
      line++;
      checkDecoded(decoded, text, `${file} line ${line}`);
      yield { text, line };
    }
  } finally {
    reader.close();
    decoded.destroy();
  }
}
