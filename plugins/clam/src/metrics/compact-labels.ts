/** Cluster labels renumbered 0..c-1 in order of first appearance, with c. */
export function compactLabels(labels: ArrayLike<number>): { ids: Int32Array; count: number } {
  const map = new Map<number, number>();
  const ids = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    let id = map.get(v);
    if (id === undefined) {
      id = map.size;
      map.set(v, id);
    }
    ids[i] = id;
  }
  return { ids, count: map.size };
}
