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
