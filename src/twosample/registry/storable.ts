/**
 * What a fitted detector state may hold, so a reference bundle (src/bundle/) can save and load it without knowing
 * the detector: plain JSON values, typed arrays, matrices, and arrays/records of these. No functions, classes,
 * Maps or undefined.
 *
 * Declare a state with `type` (not `interface`): TypeScript gives object type aliases an implicit index signature,
 * so `type FooState = { mean: Float64Array; basis: Matrix }` is assignable to Storable; an interface is not.
 */
import type { Matrix } from '../../core/matrix.js';

export type StorableArray = Float32Array | Float64Array | Int32Array | Uint32Array;

export type Storable =
  | null
  | boolean
  | number
  | string
  | StorableArray
  | Matrix
  | Storable[]
  | { [key: string]: Storable };

/** A state with nothing fitted on the reference (the test is computed on the pooled sample only). */
export type EmptyState = { [key: string]: never };

/** Type-level check that a state type is Storable (compile-time only; use as `const _: IsStorable<S> = true`). */
export type IsStorable<S> = S extends Storable ? true : false;

/**
 * Whether a value is Storable at run time (null, booleans, numbers, strings, the four typed arrays, arrays and
 * plain objects of these; a Matrix is a plain object). On failure `path` says where, e.g. "$.states.mmd.fn".
 */
export function storableProblem(value: unknown, path = '$'): string | null {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string')
    return null;
  if (
    value instanceof Float32Array ||
    value instanceof Float64Array ||
    value instanceof Int32Array ||
    value instanceof Uint32Array
  )
    return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = storableProblem(value[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      return `${path} is a ${proto?.constructor?.name ?? 'class instance'}`;
    for (const [key, v] of Object.entries(value)) {
      const problem = storableProblem(v, `${path}.${key}`);
      if (problem) return problem;
    }
    return null;
  }
  return `${path} is ${typeof value}`;
}
