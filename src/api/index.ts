/** The library API without files: in-memory texts or vectors in, the compare result out. */
export { compare, compareInputSchema, type CompareInput, type CompareOutput } from './compare.js';
export type { RowValues, SideInput } from './sideInput.js';
