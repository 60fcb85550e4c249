/**
 * `uci-sentiment:<site>[+<site>]` (amazon, imdb, yelp): the UCI Sentiment Labelled Sentences (Kotzias et al.,
 * KDD 2015), 1000 sentences per site with 500/500 classes, shipped as test fixtures of npm sentiment@5.
 * The trailing empty record of each file is a packaging artefact and is left out (not counted).
 * Columns: text, class, site; labels default to class (0 negative, 1 positive).
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import { silentProgress } from '../../core/progress.js';
import { TextCollector } from '../collector.js';
import { corpusColumnIndices } from './corpusColumns.js';
import type { Dataset, LoadOptions } from '../dataset.js';
import { packageFile } from '../packageFiles.js';

export const UCI_SITES = ['amazon', 'imdb', 'yelp'] as const;
export type UciSite = (typeof UCI_SITES)[number];
export const UCI_COLUMNS = ['text', 'class', 'site'] as const;
export const UCI_LABEL_MAP: Record<string, string> = { '0': 'negative', '1': 'positive' };

interface UciRecord {
  text: string;
  class: number | null;
}

export function parseUciSites(siteList: string, spec: string): UciSite[] {
  const sites = siteList.split('+').map((s) => s.trim());
  const valid = new Set<string>(UCI_SITES);
  for (const s of sites) {
    if (!valid.has(s))
      throw new InputError(
        `${spec}: unknown uci-sentiment site "${s}"; valid sites: ${UCI_SITES.join(', ')} (join several with +)`,
      );
  }
  if (new Set(sites).size !== sites.length) throw new InputError(`${spec}: a uci-sentiment site is listed twice`);
  return sites as UciSite[];
}

export async function readUciSite(site: UciSite): Promise<UciRecord[]> {
  const records = JSON.parse(
    await readFile(packageFile('sentiment', `test/fixtures/${site}.json`), 'utf8'),
  ) as UciRecord[];
  const last = records[records.length - 1];
  if (last && last.text === '' && last.class === null) records.pop();
  return records;
}

/** The sites and the label and group columns a uci-sentiment spec asks for, checked before anything is read. */
export function checkUciSentimentSpec(
  spec: string,
  siteList: string,
  options: Pick<LoadOptions, 'textColumn' | 'labelColumn' | 'groupColumn'>,
): { sites: UciSite[]; labelIndex: number; groupIndex: number } {
  return { sites: parseUciSites(siteList, spec), ...corpusColumnIndices(spec, UCI_COLUMNS, options, 'class') };
}

export async function loadUciSentiment(
  spec: string,
  siteList: string,
  options: LoadOptions,
  progress: Progress = silentProgress,
): Promise<Dataset> {
  const { sites, labelIndex, groupIndex } = checkUciSentimentSpec(spec, siteList, options);
  const collector = new TextCollector(true, options);
  const refs: string[] = [];
  const task = progress.start(`reading ${spec}`, sites.length);
  for (const site of sites) {
    (await readUciSite(site)).forEach((record, i) => {
      const ref = refs.length;
      refs.push(`uci-sentiment:${site} #${i + 1}`);
      const values = [record.text, record.class === null ? '' : String(record.class), site];
      collector.add(record.text, values[labelIndex], ref, null, groupIndex >= 0 ? values[groupIndex] : null);
    });
    task.increment();
  }
  task.done();
  const extra = UCI_COLUMNS[labelIndex] === 'class' ? { defaultLabelMap: UCI_LABEL_MAP } : {};
  return collector.finish(spec, (ref) => refs[ref], extra);
}
