/**
 * Ingestion throughput: shiftlens's streaming CSV and Sentiment140 readers (decoding, validation, counting,
 * entity decoding) side by side with bare csv-parse over the same generated files, the cost of --max-rows
 * reservoir sampling, and load times of the bundled real corpora.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parse } from 'csv-parse';
import { createRng } from '../src/core/random.js';
import { loadDataset } from '../src/ingest/loadDataset.js';
import { writeSentiment140Like } from '../test/ingest/sentiment140Fixture.js';

interface Timing {
  seconds: number;
  rows: number;
  /** Heap still held after a full GC while the loaded result is alive. */
  retainedMiB: number;
}

/** A full garbage collection, made available without starting Node with --expose-gc. */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

/** The value being measured, held here so the GC cannot free it before the retained heap is read. */
const held: { value: unknown } = { value: null };

/** Times `load`, which returns the row count and the value to keep alive while retained heap is measured. */
async function timed(load: () => Promise<{ rows: number; keep: unknown }>): Promise<Timing> {
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  const { rows, keep } = await load();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  held.value = keep;
  collectGarbage();
  const retainedMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  held.value = null;
  return { seconds, rows, retainedMiB };
}

/** Bare csv-parse: decode + parse + count, nothing kept. The floor any CSV reader built on it can reach. */
async function bareCsvParse(file: string, encoding: 'utf8' | 'latin1'): Promise<number> {
  let n = 0;
  const parser = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parse({ encoding, relax_quotes: true }));
  for await (const _record of parser) n++;
  return n;
}

async function writeTextCsv(file: string, rows: number): Promise<void> {
  const rng = createRng('bench-ingest-csv');
  const words = 'the a shift model text data embedding drift sample reference target probe test'.split(' ');
  const lines = ['id,text,label'];
  for (let i = 0; i < rows; i++) {
    const n = 5 + rng.int(30);
    const text: string[] = [];
    for (let k = 0; k < n; k++) text.push(words[rng.int(words.length)]);
    // Every 10th text is quoted with a comma inside, as real exports have.
    lines.push(i % 10 === 0 ? `${i},"${text.join(' ')}, again",${i % 2}` : `${i},${text.join(' ')},${i % 2}`);
  }
  await writeFile(file, lines.join('\n') + '\n');
}

function rate(t: Timing): string {
  return Math.round(t.rows / t.seconds).toLocaleString('en-US');
}

export async function runBench(options: { quick: boolean }): Promise<string> {
  const csvRows = options.quick ? 50_000 : 400_000;
  const s140Rows = options.quick ? 50_000 : 400_000;
  const dir = await mkdtemp(path.join(tmpdir(), 'shiftlens-bench-ingest-'));
  const out: string[] = ['## Ingestion', ''];
  try {
    const csvFile = path.join(dir, 'texts.csv');
    const s140File = path.join(dir, 'sentiment140.csv');
    await writeTextCsv(csvFile, csvRows);
    await writeSentiment140Like(s140File, s140Rows, 5);

    const bareCsv = await timed(async () => ({ rows: (await bareCsvParse(csvFile, 'utf8')) - 1, keep: null }));
    const oursCsv = await timed(async () => {
      const d = await loadDataset(csvFile, { seed: 1, labelColumn: 'label' });
      return { rows: d.texts!.length, keep: d };
    });
    const sampledCsv = await timed(async () => {
      const d = await loadDataset(csvFile, { seed: 1, labelColumn: 'label', maxRows: 5000 });
      return { rows: d.counts.nRead, keep: d };
    });
    const bare140 = await timed(async () => ({ rows: await bareCsvParse(s140File, 'latin1'), keep: null }));
    const ours140 = await timed(async () => {
      const d = await loadDataset(`sentiment140:${s140File}`, { seed: 1 });
      return { rows: d.texts!.length, keep: d };
    });

    out.push(
      `Generated files: ${csvRows.toLocaleString('en-US')}-row CSV (3 columns, 5–34 words per text) and a ${s140Rows.toLocaleString('en-US')}-row ` +
        'Sentiment140-shaped file (headerless, Latin-1, HTML entities). "bare csv-parse" decodes and parses only (no ' +
        'validation, nothing kept); shiftlens adds invalid-byte checks, field-count checks, empty/duplicate counting, ' +
        'origins, and for Sentiment140 HTML-entity decoding. Retained heap is measured after a full GC with the loaded dataset alive (texts, labels, origins).',
      '',
      '| reader | rows | seconds | rows/s | vs bare csv-parse | retained heap MiB |',
      '|---|---:|---:|---:|---:|---:|',
      `| bare csv-parse (CSV) | ${bareCsv.rows} | ${bareCsv.seconds.toFixed(2)} | ${rate(bareCsv)} | 1.00 | ${bareCsv.retainedMiB.toFixed(0)} |`,
      `| shiftlens CSV | ${oursCsv.rows} | ${oursCsv.seconds.toFixed(2)} | ${rate(oursCsv)} | ${(bareCsv.seconds / oursCsv.seconds).toFixed(2)} | ${oursCsv.retainedMiB.toFixed(0)} |`,
      `| shiftlens CSV, --max-rows 5000 | ${sampledCsv.rows} | ${sampledCsv.seconds.toFixed(2)} | ${rate(sampledCsv)} | ${(bareCsv.seconds / sampledCsv.seconds).toFixed(2)} | ${sampledCsv.retainedMiB.toFixed(0)} |`,
      `| bare csv-parse (Sentiment140) | ${bare140.rows} | ${bare140.seconds.toFixed(2)} | ${rate(bare140)} | 1.00 | ${bare140.retainedMiB.toFixed(0)} |`,
      `| shiftlens sentiment140: | ${ours140.rows} | ${ours140.seconds.toFixed(2)} | ${rate(ours140)} | ${(bare140.seconds / ours140.seconds).toFixed(2)} | ${ours140.retainedMiB.toFixed(0)} |`,
      '',
      `At the measured rate the full 1.6M-row Sentiment140 file takes about ${((1.6e6 * ours140.seconds) / ours140.rows).toFixed(0)} s to load.`,
      '',
    );

    const corpora = options.quick
      ? ['spam-assassin:easy-ham-1', 'spam-assassin:spam-2', 'sotu:1790-2021', 'uci-sentiment:amazon+imdb+yelp']
      : [
          'spam-assassin:easy-ham-1',
          'spam-assassin:easy-ham-2',
          'spam-assassin:hard-ham-1',
          'spam-assassin:spam-1',
          'spam-assassin:spam-2',
          'sotu:1790-2021',
          'uci-sentiment:amazon+imdb+yelp',
        ];
    out.push(
      '| corpus | samples | skipped (charset) | empty | duplicates | seconds | samples/s |',
      '|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const spec of corpora) {
      let skipped = 0;
      let empty = 0;
      let duplicates = 0;
      const t = await timed(async () => {
        const d = await loadDataset(spec, { seed: 1 });
        skipped = d.counts.skipped.reduce((s, x) => s + x.count, 0);
        empty = d.counts.nEmpty;
        duplicates = d.counts.nDuplicate;
        return { rows: d.texts!.length, keep: d };
      });
      out.push(
        `| ${spec} | ${t.rows} | ${skipped} | ${empty} | ${duplicates} | ${t.seconds.toFixed(2)} | ${rate(t)} |`,
      );
    }
    out.push('');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out.join('\n');
}
