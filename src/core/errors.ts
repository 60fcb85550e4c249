/**
 * Errors the user can act on. The CLI prints `message` on one line and exits with `exitCode` (2 for bad input).
 * Messages name the file, row or column at fault and say what to do.
 */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}

/** What each file-system error means, and what the user can do about it. */
const FS_ERRORS: Record<string, { meaning: string; advice: string }> = {
  ENOSPC: { meaning: 'no space left on the device', advice: 'free some disk space or choose a folder on another disk' },
  EDQUOT: { meaning: 'disk quota exceeded', advice: 'free some space or choose a folder on another disk' },
  EFBIG: { meaning: 'file too large for this file system', advice: 'choose a folder on another disk' },
  EACCES: { meaning: 'permission denied', advice: 'check the permissions of the file and its folders' },
  EPERM: { meaning: 'operation not permitted', advice: 'check the permissions of the file and its folders' },
  EROFS: { meaning: 'the file system is read-only', advice: 'choose a folder on a writable disk' },
  ENOTDIR: { meaning: 'a part of the path is a file, not a folder', advice: 'choose a path whose folders are folders' },
  EISDIR: { meaning: 'it is a folder, not a file', advice: 'give a file path' },
  EEXIST: { meaning: 'it already exists and is in the way', advice: 'remove it or choose another path' },
  ENOTEMPTY: { meaning: 'a folder in the way is not empty', advice: 'remove it or choose another path' },
  ENOENT: { meaning: 'no such file or folder', advice: 'check the path' },
  ENAMETOOLONG: { meaning: 'the path is too long', advice: 'choose a shorter path' },
  ELOOP: { meaning: 'too many symbolic links in the path', advice: 'check the links in the path' },
  EBUSY: { meaning: 'it is busy (in use or a mount point)', advice: 'choose another path' },
  EXDEV: { meaning: 'it crosses file systems', advice: 'choose a path on one disk' },
  EMFILE: { meaning: 'too many open files', advice: 'raise the limit (ulimit -n) or close other programs' },
  ENFILE: { meaning: 'too many open files in the system', advice: 'close other programs and retry' },
  EIO: { meaning: 'input/output error', advice: 'check the disk' },
};

export interface FsErrorContext {
  /** The file or folder the operation was on, when the error itself does not carry it (e.g. ENOSPC on write). */
  path?: string;
  /** "write", "read", "create the folder" — what was being done. */
  action?: string;
  /** Replaces the generic advice, e.g. "choose another --out". */
  advice?: string;
}

/** The errno code of a Node.js file-system error, or null for anything else. */
export function fsErrorCode(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in FS_ERRORS ? code : null;
}

/**
 * A file-system error as one line the user can act on — the path, what went wrong, what to do — or null when
 * `error` is no file-system error. InputErrors pass through unchanged.
 */
export function fsErrorToInputError(error: unknown, context: FsErrorContext = {}): InputError | null {
  if (isInputError(error)) return error;
  const code = fsErrorCode(error);
  if (!code) return null;
  const e = error as NodeJS.ErrnoException & { dest?: string };
  const where = context.path ?? e.path ?? null;
  const action = context.action ?? actionOf(e.syscall);
  const target = where ? `${action} ${where}` : action;
  const dest = e.dest && e.dest !== where ? ` (to ${e.dest})` : '';
  const { meaning, advice } = FS_ERRORS[code];
  return new InputError(`cannot ${target}${dest}: ${meaning} (${code}); ${context.advice ?? advice}`);
}

function actionOf(syscall: string | undefined): string {
  switch (syscall) {
    case 'open':
    case 'write':
    case 'copyfile':
    case 'link':
    case 'symlink':
      return 'write';
    case 'read':
    case 'scandir':
    case 'stat':
    case 'lstat':
      return 'read';
    case 'mkdir':
      return 'create the folder';
    case 'rename':
      return 'rename';
    case 'rmdir':
    case 'unlink':
    case 'rm':
      return 'remove';
    default:
      return syscall ? `${syscall}` : 'access the file system';
  }
}
