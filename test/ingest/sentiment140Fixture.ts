/**
 * Writes files shaped like the Sentiment140 training CSV (headerless, six quoted columns, Latin-1 bytes, HTML
 * entities in tweets) so tests and the ingestion benchmark can exercise the preset without the 240 MB original.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRng } from '../../src/core/random.js';

const WORDS = (
  'good bad day love hate work sleep tired happy sad movie music friends lol omg today tomorrow ' +
  'school rain sun coffee lunch game win lose miss home night morning great awful twitter phone'
).split(' ');
/** Fragments with entities and Latin-1 characters, as found in the real file. */
const EXTRAS = ['&quot;quoted&quot;', 'fish &amp; chips', '&lt;3', 'caf\u00e9', 'na\u00efve', '\u00bfqu\u00e9?', ''];

/** One row: polarity cycles 0,4,4,0,2 so all three classes appear. Text decoded = `expectedText(i)`. */
function row(i: number, words: string[]): string {
  const polarity = [0, 4, 4, 0, 2][i % 5];
  const text = words.join(' ');
  return `"${polarity}","${1467810369 + i}","Mon Apr 06 22:19:45 PDT 2009","NO_QUERY","user_${i % 997}","${text}"\n`;
}

export async function writeSentiment140Like(file: string, rows: number, seed = 1): Promise<void> {
  const rng = createRng(seed);
  const out = createWriteStream(file);
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    const n = 4 + rng.int(14);
    const words: string[] = [];
    for (let k = 0; k < n; k++) words.push(WORDS[rng.int(WORDS.length)]);
    words.push(EXTRAS[i % EXTRAS.length]);
    buffer += row(i, words);
    if (buffer.length > 1 << 20) {
      if (!out.write(Buffer.from(buffer, 'latin1'))) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(Buffer.from(buffer, 'latin1'));
  await once(out, 'finish');
}
