/** The library API without files: in-memory texts or vectors in, compare's result out; reference bundles too. */
export { compare, compareInputSchema, type CompareInput, type CompareOutput } from './compare.js';
export { buildReference, type BuildReferenceInput, type BuildReferenceOutput } from './buildReference.js';
export { check, type CheckInput } from './check.js';
export type { RowValues, SideInput } from './sideInput.js';
