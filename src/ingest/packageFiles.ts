/** Files shipped inside installed npm packages, found through Node's resolver (never a hard-coded node_modules path). */
import { createRequire } from 'node:module';
import path from 'node:path';
import { InputError } from '../core/errors.js';

const require = createRequire(import.meta.url);

/** Absolute path of `subpath` inside package `name`. */
export function packageFile(name: string, subpath: string): string {
  try {
    return require.resolve(`${name}/${subpath}`);
  } catch {
    try {
      return path.join(path.dirname(require.resolve(`${name}/package.json`)), subpath);
    } catch {
      throw new InputError(`package ${name} is not installed; run npm install in the shiftlens folder`);
    }
  }
}
