/**
 * An unterminated quote is reported where it opens (row and line), not at the end of the file where the parser
 * notices it: multi-line quoted fields before it, "" escapes, CRLF line ends and TSV are all counted right.
 */
import { describe, expect, it } from 'vitest';
import { readDelimited } from '../../src/ingest/delimited.js';
import { tempFolder } from './tempFiles.js';

const write = tempFolder();

async function read(file: string, delimiter: ',' | '\t' = ','): Promise<string[][]> {
  const rows: string[][] = [];
  await readDelimited(file, { delimiter, encoding: 'utf8' }, { header: () => {}, row: (f) => rows.push(f) });
  return rows;
}

describe('unterminated quote', () => {
  it.each([
    ['plain', 'text,label\n"ok",1\n"never closed,1\nmore,0\nlast,1\n', 'row 2 (line 3)'],
    [
      'after a multi-line field and "" escapes',
      'text,label\n"two\nlines ""quoted""",1\nplain "inner" quote,0\n"opens, here\nand\nruns on,1\n',
      'row 3 (line 5)',
    ],
    ['with CRLF line ends', 'text,label\r\nok,1\r\nfine,0\r\n"open,1\r\nx,0\r\n', 'row 3 (line 4)'],
    ['ending in an escaped quote', 'text,label\nok,1\n"open ""', 'row 2 (line 3)'],
  ])('%s', async (_, content, where) => {
    const file = write('bad.csv', content);
    await expect(read(file)).rejects.toThrow(
      `${file} ${where}: malformed CSV: a quoted field opens here and is never closed`,
    );
  });

  it('in a TSV', async () => {
    const file = write('bad.tsv', 'text\tlabel\nok\t1\nalso ok\t0\n"open\t1\n');
    await expect(read(file, '\t')).rejects.toThrow(`${file} row 3 (line 4): malformed TSV`);
  });

  it('a well-formed file with "" escapes and quoted newlines still reads', async () => {
    const file = write('good.csv', 'text,label\n"a ""b"" c",1\n"x\ny",0\n');
    expect(await read(file)).toEqual([
      ['a "b" c', '1'],
      ['x\ny', '0'],
    ]);
  });
});
