/**
 * Errors from an embedding server. ServiceError is something the user acts on (wrong URL, key, model, or a
 * server that answers nonsense): one line, exit 2, nothing written. RejectedInputsError is a 400/413/422 for a
 * request, which the backend answers by splitting the request to find the inputs at fault.
 */
import { InputError } from '../../core/errors.js';

export class ServiceError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceError';
  }
}

export class RejectedInputsError extends Error {
  constructor(
    readonly status: number,
    /** The server's own message, e.g. "This model's maximum context length is 8192 tokens…". */
    readonly serverMessage: string,
  ) {
    super(`HTTP ${status}: ${serverMessage}`);
    this.name = 'RejectedInputsError';
  }
}
