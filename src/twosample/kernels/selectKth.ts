/** The k-th smallest value (0-based) of `values`, reordering them in place (Hoare quickselect, expected O(n)). */
export function selectKth(values: Float32Array | Float64Array, k: number): number {
  if (k < 0 || k >= values.length) throw new RangeError(`selectKth: k=${k} outside 0..${values.length - 1}`);
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    // Median of three as pivot avoids the quadratic case on sorted input.
    const mid = (lo + hi) >>> 1;
    const pivot = median3(values[lo], values[mid], values[hi]);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

function median3(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : Math.max(a, c);
  return a < c ? a : Math.max(b, c);
}
