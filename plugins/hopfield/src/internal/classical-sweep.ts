/**
 * The classical network's sign updates on the host, with exact tie decisions.
 * Neuron i takes sign(sum_j W_ij s_j - b_i) and keeps its value when the field
 * is exactly zero. float32 weights k/N would turn an exact zero field into a
 * tiny ±value whenever N is not a power of two, so when every weight is the
 * float32 nearest to some integer k over N (what the Hebbian rule stores), the
 * fields are computed on the integers k and compared with N b_i: integer sums in
 * float64 are exact, and so is N times a float32 threshold. Other weights (the
 * pseudo-inverse rule, weights set by hand) are summed in float64. Thresholds
 * that are float32 m/N likewise become the integers m.
 */

/** A network's weights as the sweeps read them. */
export interface HostNetwork {
  readonly n: number;
  /** Column j of W, contiguous (W^T row-major), on the scale below. */
  readonly columns: Float64Array;
  /** Thresholds b on the same scale. */
  readonly thresholds: Float64Array;
  /** True when `columns` holds the integers k of W = k / N (scale N), false for float weights (scale 1). */
  readonly exact: boolean;
}

/** The sweeps' view of float32 weights W [N, N] and thresholds b [N]. */
export function hostNetwork(w: Float32Array, b: Float32Array, n: number): HostNetwork {
  const columns = new Float64Array(n * n);
  let exact = true;
  for (let i = 0; i < n && exact; i++) {
    for (let j = 0; j < n; j++) {
      const v = w[i * n + j]!;
      const k = Math.round(v * n);
      if (Math.fround(k / n) !== v) {
        exact = false;
        break;
      }
      columns[j * n + i] = k;
    }
  }
  if (!exact) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) columns[j * n + i] = w[i * n + j]!;
  // Thresholds on the same scale; those that are float32 m/N too become the integers m.
  const thresholds = Float64Array.from(b, (v) => {
    if (!exact) return v;
    const m = Math.round(v * n);
    return Math.fround(m / n) === v ? m : v * n;
  });
  return { n, columns, thresholds, exact };
}

/**
 * One update of every free neuron of a batch of ±1 states, in place. With an
 * `order` it is asynchronous (neurons in that order, fields updated after each
 * flip, so every flip lowers E = -1/2 s^T W s + b^T s for symmetric W with a zero
 * diagonal); without one, synchronous (every neuron sees the old state).
 * `clamp[r * N + i] = 1` holds neuron i of sample r.
 */
export function classicalSweep(s: Float32Array, batch: number, net: HostNetwork, order: Int32Array | null, clamp?: Uint8Array): void {
  const { n, columns, thresholds } = net;
  const h = new Float64Array(n);
  for (let r = 0; r < batch; r++) {
    const off = r * n;
    h.fill(0);
    for (let j = 0; j < n; j++) {
      const sj = s[off + j]!;
      const col = j * n;
      for (let i = 0; i < n; i++) h[i]! += columns[col + i]! * sj;
    }
    if (!order) {
      for (let i = 0; i < n; i++) {
        if (clamp && clamp[off + i]) continue;
        const field = h[i]! - thresholds[i]!;
        if (field > 0) s[off + i] = 1;
        else if (field < 0) s[off + i] = -1;
      }
      continue;
    }
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      if (clamp && clamp[off + i]) continue;
      const field = h[i]! - thresholds[i]!;
      const old = s[off + i]!;
      const next = field > 0 ? 1 : field < 0 ? -1 : old;
      if (next === old) continue;
      s[off + i] = next;
      const d = next - old;
      const col = i * n;
      for (let j = 0; j < n; j++) h[j]! += columns[col + j]! * d;
    }
  }
}
