/** File-system errors become one actionable line naming the path; anything else is left alone. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsErrorToInputError, InputError } from '../../src/core/errors.js';
import { tempDirSync } from './faultHelpers.js';

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('fsErrorToInputError', () => {
  it('real errors: the path from the error, what went wrong, what to do — one line', () => {
    const dir = tempDirSync();
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, 'x');
    const below = fsErrorToInputError(thrown(() => fs.writeFileSync(path.join(file, 'out.json'), 'y')));
    expect(below).toBeInstanceOf(InputError);
    expect(below?.message).toBe(
      `cannot write ${path.join(file, 'out.json')}: a part of the path is a file, not a folder (ENOTDIR); choose a path whose folders are folders`,
    );
    const folder = fsErrorToInputError(thrown(() => fs.readFileSync(dir)));
    expect(folder?.message).toMatch(/: it is a folder, not a file \(EISDIR\); give a file path$/);
    const exists = fsErrorToInputError(thrown(() => fs.mkdirSync(file)));
    expect(exists?.message).toBe(
      `cannot create the folder ${file}: it already exists and is in the way (EEXIST); remove it or choose another path`,
    );
  });

  it('an error without a path (ENOSPC on write) takes the path and advice it is given', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      syscall: 'write',
    });
    expect(
      fsErrorToInputError(enospc, { path: '/data/out/report.html', advice: 'choose another --out' })?.message,
    ).toBe('cannot write /data/out/report.html: no space left on the device (ENOSPC); choose another --out');
    expect(fsErrorToInputError(enospc)?.message).toBe(
      'cannot write: no space left on the device (ENOSPC); free some disk space or choose a folder on another disk',
    );
  });

  it('leaves other errors alone and passes InputErrors through', () => {
    expect(fsErrorToInputError(new Error('boom'))).toBeNull();
    expect(fsErrorToInputError(Object.assign(new Error('x'), { code: 'ERR_SOMETHING' }))).toBeNull();
    const input = new InputError('bad row');
    expect(fsErrorToInputError(input)).toBe(input);
  });
});
