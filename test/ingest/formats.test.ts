import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadDataset } from '../../src/ingest/loadDataset.js';
import { float32Npy, npyBytes, tempFolder } from './tempFiles.js';

const write = tempFolder();
const opts = { seed: 7 };

describe('CSV and TSV', () => {
  it('reads the text column, labels, quoted commas and newlines; counts empty and duplicate texts', async () => {
    const file = write(
      'train.csv',
      'id,text,label\n1,"hello, world",pos\n2,"two\nlines",neg\n3,   ,pos\n4,"hello, world",neg\n\n5,last,pos\n',
    );
    const d = await loadDataset(file, { ...opts, labelColumn: 'label' });
    expect(d.texts).toEqual(['hello, world', 'two\nlines', 'hello, world', 'last']);
    expect(d.labels).toEqual(['pos', 'neg', 'neg', 'pos']);
    expect(d.origins).toEqual(['train.csv row 1', 'train.csv row 2', 'train.csv row 4', 'train.csv row 5']);
    expect(d.counts).toEqual({ nRead: 5, nEmpty: 1, nDuplicate: 1, nSampledOut: 0, skipped: [] });
    expect(d.vectors).toBeNull();
  });

  it('uses --text-column and leaves labels null without --label-column', async () => {
    const file = write('body.csv', 'title,body\na,first body\nb,second body\n');
    const d = await loadDataset(file, { ...opts, textColumn: 'body' });
    expect(d.texts).toEqual(['first body', 'second body']);
    expect(d.labels).toBeNull();
  });

  it('reads TSV by extension and by --format', async () => {
    const tsv = write('a.tsv', 'text\tlabel\nalpha, with comma\tx\nbeta\ty\n');
    expect((await loadDataset(tsv, { ...opts, labelColumn: 'label' })).texts).toEqual(['alpha, with comma', 'beta']);
    const data = write('a.data', 'text\tlabel\nalpha\tx\nbeta\ty\n');
    expect((await loadDataset(data, { ...opts, format: 'tsv' })).texts).toEqual(['alpha', 'beta']);
  });

  it('without a "text" column, lists the columns found', async () => {
    const file = write('nocol.csv', 'title,body\na,b\nc,d\n');
    await expect(loadDataset(file, opts)).rejects.toThrow(InputError);
    await expect(loadDataset(file, opts)).rejects.toThrow(
      /nocol\.csv: no "text" column; pass --text-column with one of the columns found: "title", "body"/,
    );
    await expect(loadDataset(file, { ...opts, textColumn: 'content' })).rejects.toThrow(
      /no column "content" \(--text-column\); columns found: "title", "body"/,
    );
    await expect(loadDataset(file, { ...opts, textColumn: 'body', labelColumn: 'sentiment' })).rejects.toThrow(
      /no column "sentiment" \(--label-column\); columns found: "title", "body"/,
    );
  });

  it('names the row whose bytes are invalid UTF-8 and suggests --encoding latin1; latin1 reads them', async () => {
    const bytes = Buffer.concat([Buffer.from('text\nfine\ncaf'), Buffer.from([0xe9]), Buffer.from(' au lait\nok\n')]);
    const file = write('latin.csv', bytes);
    await expect(loadDataset(file, opts)).rejects.toThrow(
      /latin\.csv row 2 \(line 3\): bytes are not valid UTF-8; .*--encoding latin1/,
    );
    const d = await loadDataset(file, { ...opts, encoding: 'latin1' });
    expect(d.texts).toEqual(['fine', 'café au lait', 'ok']);
  });

  it('keeps a genuine U+FFFD in valid UTF-8 and strips a UTF-8 byte order mark', async () => {
    const file = write('bom.csv', '\uFEFFtext\nreplacement \uFFFD char\nnext\n');
    const d = await loadDataset(file, opts);
    expect(d.texts).toEqual(['replacement \uFFFD char', 'next']);
  });

  it('names the row with a wrong number of fields', async () => {
    const file = write('ragged.csv', 'text,label\na,1\nb\nc,3\n');
    await expect(loadDataset(file, opts)).rejects.toThrow(/ragged\.csv row 2 \(line 3\): 1 fields, expected 2/);
  });

  it('loads a single 10 MB text unchanged', async () => {
    const big = 'word '.repeat(2 * 1024 * 1024).trim();
    const file = write('big.csv', `text\n"${big}"\nsmall\n`);
    const d = await loadDataset(file, opts);
    expect(d.texts![0].length).toBe(big.length);
    expect(d.texts![1]).toBe('small');
  });
});

describe('JSONL and plain text', () => {
  it('reads objects line by line, skipping blank lines; origins are line numbers', async () => {
    const file = write(
      'd.jsonl',
      '{"text":"one","y":1}\n\n{"text":"two","y":0}\r\n{"text":null,"y":1}\n{"text":"one","y":true}\n',
    );
    const d = await loadDataset(file, { ...opts, labelColumn: 'y' });
    expect(d.texts).toEqual(['one', 'two', 'one']);
    expect(d.labels).toEqual(['1', '0', 'true']);
    expect(d.origins).toEqual(['d.jsonl line 1', 'd.jsonl line 3', 'd.jsonl line 5']);
    expect(d.counts.nEmpty).toBe(1);
    expect(d.counts.nDuplicate).toBe(1);
  });

  it('names the malformed line', async () => {
    const file = write('bad.ndjson', '{"text":"a"}\n{"text":"b"}\n{"text": "c",\n');
    await expect(loadDataset(file, opts)).rejects.toThrow(/bad\.ndjson line 3: malformed JSON/);
    const arr = write('arr.jsonl', '{"text":"a"}\n["b"]\n');
    await expect(loadDataset(arr, opts)).rejects.toThrow(/arr\.jsonl line 2: expected a JSON object/);
  });

  it('lists the fields of the first record when the text field is missing', async () => {
    const file = write('f.jsonl', '{"body":"a","label":1}\n{"body":"b","label":0}\n');
    await expect(loadDataset(file, opts)).rejects.toThrow(/f\.jsonl line 1: no "text" column; .*"body", "label"/);
    expect((await loadDataset(file, { ...opts, textColumn: 'body' })).texts).toEqual(['a', 'b']);
  });

  it('names the JSONL or text line with bytes invalid in UTF-8; latin1 reads them', async () => {
    const jsonl = write(
      'latin.jsonl',
      Buffer.concat([Buffer.from('{"text":"ok"}\n{"text":"na'), Buffer.from([0xef]), Buffer.from('ve"}\n')]),
    );
    await expect(loadDataset(jsonl, opts)).rejects.toThrow(
      /latin\.jsonl line 2: bytes are not valid UTF-8; .*--encoding latin1/,
    );
    expect((await loadDataset(jsonl, { ...opts, encoding: 'latin1' })).texts).toEqual(['ok', 'naïve']);
    const txt = write(
      'latin.txt',
      Buffer.concat([
        Buffer.from('one\ntwo\nthree '),
        Buffer.from([0x93]),
        Buffer.from('quoted'),
        Buffer.from([0x94]),
        Buffer.from('\n'),
      ]),
    );
    await expect(loadDataset(txt, opts)).rejects.toThrow(/latin\.txt line 3: bytes are not valid UTF-8/);
    // latin1 means Windows-1252 here: 0x93/0x94 are curly quotes.
    expect((await loadDataset(txt, { ...opts, encoding: 'latin1' })).texts![2]).toBe('three \u201cquoted\u201d');
  });

  it('reads .txt one text per line, counting blank lines as empty', async () => {
    const file = write('notes.txt', 'first line\r\n\r\nsecond line\n   \nthird\n');
    const d = await loadDataset(file, opts);
    expect(d.texts).toEqual(['first line', 'second line', 'third']);
    expect(d.origins).toEqual(['notes.txt line 1', 'notes.txt line 3', 'notes.txt line 5']);
    expect(d.counts.nEmpty).toBe(2);
    expect(d.labels).toBeNull();
  });
});

describe('precomputed embeddings', () => {
  it('reads float32 2-D .npy in C order', async () => {
    const d = await loadDataset(
      write(
        'e.npy',
        float32Npy([
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9.5],
        ]),
      ),
      opts,
    );
    expect(d.texts).toBeNull();
    expect(d.vectors!.rows).toBe(3);
    expect(d.vectors!.cols).toBe(3);
    expect(Array.from(d.vectors!.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9.5]);
    expect(d.origins).toEqual(['e.npy row 1', 'e.npy row 2', 'e.npy row 3']);
  });

  it('rejects .npy of the wrong dtype or rank with the NumPy fix', async () => {
    const f64 = write('f64.npy', npyBytes('<f8', [2, 2], new Uint8Array(new Float64Array([1, 2, 3, 4]).buffer)));
    await expect(loadDataset(f64, opts)).rejects.toThrow(
      /f64\.npy: dtype <f8 \(float64\), expected float32; save with array\.astype\('float32'\)/,
    );
    const oneD = write('one.npy', npyBytes('<f4', [4], new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer)));
    await expect(loadDataset(oneD, opts)).rejects.toThrow(/one\.npy: array has 1 dimension .*expected 2 .*reshape/);
    const threeD = write(
      'three.npy',
      npyBytes('<f4', [2, 1, 2], new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer)),
    );
    await expect(loadDataset(threeD, opts)).rejects.toThrow(/three\.npy: array has 3 dimensions/);
    const fortran = write(
      'fortran.npy',
      npyBytes('<f4', [2, 2], new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer), true),
    );
    await expect(loadDataset(fortran, opts)).rejects.toThrow(/ascontiguousarray/);
    await expect(loadDataset(write('junk.npy', 'not numpy at all'), opts)).rejects.toThrow(/not a NumPy \.npy file/);
  });

  it('names the .npy row holding NaN or Infinity', async () => {
    await expect(
      loadDataset(
        write(
          'nan.npy',
          float32Npy([
            [1, 2],
            [3, NaN],
          ]),
        ),
        opts,
      ),
    ).rejects.toThrow(/nan\.npy row 2: value 1 is NaN/);
    await expect(
      loadDataset(
        write(
          'inf.npy',
          float32Npy([
            [Infinity, 2],
            [3, 4],
          ]),
        ),
        opts,
      ),
    ).rejects.toThrow(/inf\.npy row 1: value 0 is Infinity/);
  });

  it('detects embeddings JSONL by the vector field and reads labels', async () => {
    const file = write('emb.jsonl', '{"embedding":[1,2],"y":"a"}\n{"embedding":[3,4.5],"y":"b"}\n');
    const d = await loadDataset(file, { ...opts, labelColumn: 'y' });
    expect(d.texts).toBeNull();
    expect(Array.from(d.vectors!.data)).toEqual([1, 2, 3, 4.5]);
    expect(d.labels).toEqual(['a', 'b']);
    const custom = write('vec.jsonl', '{"v":[1,2]}\n{"v":[3,4]}\n');
    expect((await loadDataset(custom, { ...opts, vectorField: 'v' })).vectors!.rows).toBe(2);
    await expect(loadDataset(custom, { ...opts, format: 'embeddings-jsonl' })).rejects.toThrow(
      /vec\.jsonl line 1: no vector field "embedding" \(--vector-field\); fields found: "v"/,
    );
  });

  it('names the row whose vector has a different dimension', async () => {
    const file = write('dims.jsonl', '{"embedding":[1,2,3]}\n{"embedding":[1,2,3]}\n{"embedding":[1,2]}\n');
    await expect(loadDataset(file, opts)).rejects.toThrow(
      /dims\.jsonl line 3: vector has 2 values but .*line 1 has 3; all vectors in a file must have the same dimension/,
    );
  });

  it('names the row holding NaN, Infinity or null', async () => {
    const nan = write('nan.jsonl', '{"embedding":[1,2]}\n{"embedding":[NaN,2]}\n');
    await expect(loadDataset(nan, { ...opts, format: 'embeddings-jsonl' })).rejects.toThrow(
      /nan\.jsonl line 2: contains NaN or Infinity/,
    );
    const inf = write('inf.jsonl', '{"embedding":[1,2]}\n{"embedding":[1, -Infinity]}\n');
    await expect(loadDataset(inf, { ...opts, format: 'embeddings-jsonl' })).rejects.toThrow(
      /inf\.jsonl line 2: contains NaN or Infinity/,
    );
    const nul = write('null.jsonl', '{"embedding":[1,2]}\n{"embedding":[1,null]}\n');
    await expect(loadDataset(nul, opts)).rejects.toThrow(
      /null\.jsonl line 2: "embedding"\[1\] is null; vectors must hold finite numbers/,
    );
  });
});

describe('bad sources', () => {
  it('missing file, empty file, unknown type', async () => {
    await expect(loadDataset('/nonexistent/dir/data.csv', opts)).rejects.toThrow(
      /\/nonexistent\/dir\/data\.csv: file not found/,
    );
    await expect(loadDataset(write('empty.csv', ''), opts)).rejects.toThrow(/empty\.csv: file is empty/);
    await expect(loadDataset(write('x.xlsx', 'PK'), opts)).rejects.toThrow(
      /x\.xlsx: unknown file type "\.xlsx"; use \.csv, .*\.parquet.*--input-format \(csv, .*parquet\)/,
    );
  });

  it('fewer than 2 samples names the file and what was dropped', async () => {
    await expect(loadDataset(write('one.csv', 'text\nonly row\n'), opts)).rejects.toThrow(
      /one\.csv: only 1 usable sample \(1 read\); need at least 2/,
    );
    await expect(loadDataset(write('blank.csv', 'text\n" "\n""\nreal\n'), opts)).rejects.toThrow(
      /blank\.csv: only 1 usable sample \(3 read; dropped 2 empty\)/,
    );
    await expect(loadDataset(write('header.csv', 'text\n'), opts)).rejects.toThrow(
      /header\.csv: only 0 usable samples/,
    );
    await expect(loadDataset(write('single.npy', float32Npy([[1, 2]])), opts)).rejects.toThrow(
      /single\.npy: only 1 usable sample/,
    );
  });

  it('rejects a corpus spec with nothing after the colon', async () => {
    await expect(loadDataset('sotu:', opts)).rejects.toThrow(
      /sotu:: missing the part after "sotu:" \(e\.g\. sotu:1990-2021\)/,
    );
  });
});
