/**
 * Writes an output folder as one set: every file goes into a temporary sibling folder (`.<out>.shiftlens-tmp-…`),
 * which is renamed `…-ready-…` once complete; then the old folder is renamed aside (`…-old-…`), the new one renamed
 * in, and the old one removed. A kill at any point leaves the old set or the new set whole — never a mix: before
 * the swap the old folder stands untouched; in the instant between the two renames the old set waits whole
 * aside and the new set whole beside it, and the next run that names this folder finishes the swap
 * (`recoverOutputFolder`). Temporaries are removed on errors and on SIGINT/SIGTERM/SIGHUP; ones left by a killed
 * process (its PID no longer alive) are cleaned by the next run.
 *
 * The command owns some names in the folder (the files it writes, plus `replaces`): an old copy of those is
 * dropped (a rerun without --format leaves no stale charts/). Anything else in the folder is carried over
 * (hard-linked, or copied where links are not allowed), so a `probe` run does not delete a `compare` report.
 *
 * Test-only hooks (environment), used by test/faults to exercise the failure paths with real processes:
 *   SHIFTLENS_TEST_HOLD=<step>:<file>        at step `staged` (new set complete, nothing swapped) or `swapping`
 *                                            (old set renamed aside, new not yet in), write <file> and wait, so
 *                                            the test can kill the process right there.
 *   SHIFTLENS_TEST_WRITE_ERROR=<CODE>:<name> fail writing output <name> with errno <CODE> (e.g. ENOSPC), for
 *                                            machines where a small full disk cannot be mounted.
 */
import fs from 'node:fs';
import { copyFile, link, lstat, mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import crypto from 'node:crypto';
import path from 'node:path';
import { registerCleanup, isProcessAlive } from '../core/cleanup.js';
import { fsErrorToInputError, InputError } from '../core/errors.js';

export interface OutputFile {
  /** Path relative to the output folder (may contain subfolders, e.g. "charts/pca.svg"). */
  name: string;
  contents: string | Uint8Array;
}

export interface WriteSetOptions {
  /** Top-level names this command owns besides the ones it writes now: an old copy is not carried over. */
  replaces?: readonly string[];
  /** The flag that named the folder, for error messages (default "--out"). */
  flag?: string;
}

type Kind = 'tmp' | 'ready' | 'old';

function siblingPrefix(outDir: string): string {
  return `.${path.basename(outDir)}.shiftlens-`;
}

function siblingPath(outDir: string, kind: Kind, id: string): string {
  return path.join(path.dirname(outDir), `${siblingPrefix(outDir)}${kind}-${id}`);
}

/** Write `files` as the new content of `outDir`; returns the written paths (absolute). */
export async function writeOutputsAtomically(
  outDir: string,
  files: OutputFile[],
  options: WriteSetOptions = {},
): Promise<string[]> {
  const flag = options.flag ?? '--out';
  // A link to the output folder stays a link: the set is swapped where it points.
  const target = resolveLink(path.resolve(outDir));
  recoverOutputFolder(target);
  const parent = path.dirname(target);
  try {
    await mkdir(parent, { recursive: true });
  } catch (error) {
    throw toUserError(error, parent, flag);
  }
  const id = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const stage = siblingPath(target, 'tmp', id);
  const ready = siblingPath(target, 'ready', id);
  const aside = siblingPath(target, 'old', id);
  let state: 'staging' | 'ready' | 'aside' | 'done' = 'staging';
  let hadOld = false;
  // On a signal: never leave a mix. Before the swap, drop the new set; mid-swap, finish it; after, drop the old.
  const unregister = registerCleanup(() => {
    if (state === 'staging') fs.rmSync(stage, { recursive: true, force: true });
    else if (state === 'ready') fs.rmSync(ready, { recursive: true, force: true });
    else if (state === 'aside') {
      try {
        fs.renameSync(ready, target);
      } catch {
        fs.renameSync(aside, target);
        fs.rmSync(ready, { recursive: true, force: true });
        return;
      }
      fs.rmSync(aside, { recursive: true, force: true });
    } else fs.rmSync(aside, { recursive: true, force: true });
  });
  try {
    await mkdir(stage).catch((error) => {
      throw toUserError(error, stage, flag);
    });
    const owned = new Set(options.replaces ?? []);
    const written: string[] = [];
    for (const file of files) {
      const staged = path.join(stage, file.name);
      owned.add(file.name.split(/[\\/]/)[0]);
      try {
        await mkdir(path.dirname(staged), { recursive: true });
        injectedWriteError(file.name);
        await writeFile(staged, file.contents);
      } catch (error) {
        throw toUserError(error, path.join(target, file.name), flag);
      }
      written.push(path.join(target, file.name));
    }
    hadOld = isFolder(target, flag);
    if (hadOld) await carryOver(target, stage, owned, flag);
    await holdForTest('staged');
    await rename(stage, ready);
    state = 'ready';
    if (hadOld) {
      await rename(target, aside).catch((error) => {
        throw toUserError(error, target, flag);
      });
      state = 'aside';
    }
    await holdForTest('swapping');
    try {
      await rename(ready, target);
    } catch (error) {
      if (state === 'aside') await rename(aside, target);
      state = 'ready';
      throw toUserError(error, target, flag);
    }
    state = 'done';
    if (hadOld) await rm(aside, { recursive: true, force: true });
    return written;
  } catch (error) {
    if (state === 'staging') await rm(stage, { recursive: true, force: true });
    if (state === 'ready') await rm(ready, { recursive: true, force: true });
    throw toUserError(error, target, flag);
  } finally {
    unregister();
  }
}

/**
 * Finish or undo what a killed run left beside `outDir` (only siblings whose process is gone): a complete new set
 * whose swap was cut short is moved in (or dropped if the folder is back), an old set left aside is restored when
 * the folder is missing and otherwise removed, and half-written temporaries are removed. Synchronous and cheap.
 */
export function recoverOutputFolder(outDir: string): void {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const prefix = siblingPrefix(target);
  let names: string[];
  try {
    names = fs.readdirSync(parent).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  const leftovers = names
    .map((name) => {
      const m = /^(tmp|ready|old)-(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length));
      return m ? { kind: m[1] as Kind, pid: Number(m[2]), file: path.join(parent, name) } : null;
    })
    .filter((x): x is { kind: Kind; pid: number; file: string } => x !== null)
    .filter((x) => x.pid !== process.pid && !isProcessAlive(x.pid));
  const exists = () => fs.existsSync(target);
  for (const kind of ['ready', 'old', 'tmp'] as const) {
    for (const left of leftovers.filter((x) => x.kind === kind)) {
      if (kind !== 'tmp' && !exists()) fs.renameSync(left.file, target);
      else fs.rmSync(left.file, { recursive: true, force: true });
    }
  }
}

/** The folder a link points to (an output folder given as a link is replaced where it points). */
export function resolveLink(target: string): string {
  try {
    return fs.lstatSync(target).isSymbolicLink() ? fs.realpathSync(target) : target;
  } catch {
    return target; // Absent, or a dangling link: stat below names the problem.
  }
}

/** Whether the output folder exists (a file in its place is an error naming it). */
function isFolder(target: string, flag: string): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw toUserError(error, target, flag);
  }
  if (!stat.isDirectory()) throw new InputError(`${flag} ${target} is an existing file, not a folder: choose a folder`);
  return true;
}

/** Link (or copy) every entry of `from` not owned by this command into `to`. */
async function carryOver(from: string, to: string, owned: Set<string>, flag: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(from);
  } catch (error) {
    throw toUserError(error, from, flag);
  }
  for (const name of entries) {
    if (owned.has(name) || isLegacyTemporary(name)) continue;
    try {
      await linkTree(path.join(from, name), path.join(to, name));
    } catch (error) {
      throw toUserError(error, path.join(from, name), flag);
    }
  }
}

/** `report.html.tmp-<pid>-<ms>`: a half-written file of the earlier per-file writer, left by a killed run. */
function isLegacyTemporary(name: string): boolean {
  const m = /\.tmp-(\d+)-\d+$/.exec(name);
  return m !== null && !isProcessAlive(Number(m[1]));
}

async function linkTree(from: string, to: string): Promise<void> {
  const stat = await lstat(from);
  if (stat.isDirectory()) {
    await mkdir(to);
    for (const name of await readdir(from)) await linkTree(path.join(from, name), path.join(to, name));
  } else if (stat.isSymbolicLink()) {
    await symlink(await readlink(from), to);
  } else {
    await link(from, to).catch(() => copyFile(from, to));
  }
}

function toUserError(error: unknown, where: string, flag: string): Error {
  return (
    fsErrorToInputError(error, {
      path: (error as NodeJS.ErrnoException)?.path ?? where,
      advice: adviceFor(error, flag),
    }) ?? (error instanceof Error ? error : new Error(String(error)))
  );
}

function adviceFor(error: unknown, flag: string): string | undefined {
  switch ((error as NodeJS.ErrnoException)?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `free some disk space or choose another ${flag}; nothing was changed in the output folder`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `choose a writable ${flag} folder`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `choose another ${flag}`;
    default:
      return undefined;
  }
}

function injectedWriteError(name: string): void {
  const spec = process.env.SHIFTLENS_TEST_WRITE_ERROR;
  if (!spec) return;
  const colon = spec.indexOf(':');
  if (spec.slice(colon + 1) !== name) return;
  const code = spec.slice(0, colon);
  throw Object.assign(new Error(`${code}: injected for a test, write`), { code, syscall: 'write' });
}

async function holdForTest(step: 'staged' | 'swapping'): Promise<void> {
  const spec = process.env.SHIFTLENS_TEST_HOLD;
  if (!spec) return;
  const colon = spec.indexOf(':');
  if (spec.slice(0, colon) !== step) return;
  fs.writeFileSync(spec.slice(colon + 1), step);
  await new Promise((resolve) => setTimeout(resolve, 600_000));
}
