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
