/**
 * p-values in result.json lie in (0, 1]. Some tests compute a tail probability in floating point (the
 * classifier test's normal tail, the random-feature MMD's F tail, KS asymptotics) that underflows to 0 — or to a
 * subnormal such as 4.9e-324 — when the shift is overwhelming at large N. Such a value carries no information
 * beyond "smaller than anything the test can resolve", so every p-value is floored at P_VALUE_FLOOR = 1e-300,
 * applied once where the result is assembled; text output shows a floored p-value as "< 1e-300".
 */

export const P_VALUE_FLOOR = 1e-300;

/** A p-value in (0, 1]: at least P_VALUE_FLOOR (non-finite values pass through for the finite check to catch). */
export function floorPValue(p: number): number {
  return Number.isFinite(p) && p < P_VALUE_FLOOR ? P_VALUE_FLOOR : p;
}

/** Whether a field holds p-values: `pValue`, `pValueAdjusted`, `knnPValue`, `pValues`, `…PValue`. */
function isPValueKey(key: string): boolean {
  return /^p[A-Z_]?[Vv]alues?(Adjusted)?$/.test(key) || /PValues?(Adjusted)?$/.test(key);
}

/** A deep copy of `value` with every p-value field (numbers, or arrays of numbers) floored. */
export function withPValueFloor<T>(value: T): T {
  return floorInside(value, false) as T;
}

function floorInside(value: unknown, isP: boolean): unknown {
  if (typeof value === 'number') return isP ? floorPValue(value) : value;
  if (Array.isArray(value)) return value.map((v) => floorInside(v, isP));
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = floorInside(v, isPValueKey(k));
    return out;
  }
  return value;
}
