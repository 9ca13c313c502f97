/** Host-side nearest-neighbour distances (float64), for classification and tests. */

/** For each of n rows of a [n, d], the two smallest Euclidean distances to rows of b [m, d] and the index of the nearest. */
export function twoNearest(a: Float32Array, n: number, b: Float32Array, m: number, d: number, excludeSelf = false): { d1: Float64Array; d2: Float64Array; idx: Int32Array } {
  const d1 = new Float64Array(n).fill(Infinity);
  const d2 = new Float64Array(n).fill(Infinity);
  const idx = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const ao = i * d;
    for (let j = 0; j < m; j++) {
      if (excludeSelf && i === j) continue;
      const bo = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = a[ao + k]! - b[bo + k]!;
        s += t * t;
      }
      const dist = Math.sqrt(s);
      if (dist < d1[i]!) {
        d2[i] = d1[i]!;
        d1[i] = dist;
        idx[i] = j;
      } else if (dist < d2[i]!) d2[i] = dist;
    }
  }
  return { d1, d2, idx };
}
