/**
 * The dense associative memory's sign updates on the host (float64), with exact
 * tie decisions. Neuron i compares the energies of its two values:
 *   diff_i = sum_mu F(a_mu + x_mu,i) - F(a_mu - x_mu,i),   a_mu = h_mu - x_mu,i s_i,
 * with h_mu = xi_mu . s the overlaps, and takes sign(diff_i), keeping its value
 * when diff_i = 0 exactly. On ±1 states and patterns every argument is an
 * integer and the two differ by 2, so each term is x_mu,i D(a_mu - 1) with the
 * table D(m) = F(m + 2) - F(m). Summing the integer multiplicities of each m
 * first (a histogram) and only then multiplying by D(m) makes terms that cancel
 * in the reals cancel exactly, whatever F is (an exp table is not integral).
 */
import type { Separation } from '@engram/core';

/** The stored patterns as the sweeps read them. */
export interface HostMemory {
  readonly n: number;
  readonly k: number;
  /** ±1 patterns, row-major [K, N]. */
  readonly patterns: Float32Array;
  /** D(m) = F(m + 2 - shift) - F(m - shift) at index m + N, for m = -N..N-2. */
  readonly table: Float64Array;
}

/** The sweeps' view of ±1 patterns [K, N] under separation F (evaluated at h - shift). */
export function hostMemory(patterns: Float32Array, k: number, n: number, F: Separation, shift: number): HostMemory {
  const table = new Float64Array(2 * n + 1);
  for (let m = -n; m <= n - 2; m++) table[m + n] = F.host(m + 2, shift) - F.host(m, shift);
  return { n, k, patterns, table };
}

/**
 * One update of every free neuron of a batch of ±1 states, in place:
 * asynchronous in `order` (overlaps follow each flip; the energy never rises),
 * or synchronous without one. `clamp[r * N + i] = 1` holds neuron i of sample r.
 */
export function denseSweep(s: Float32Array, batch: number, mem: HostMemory, order: Int32Array | null, clamp?: Uint8Array): void {
  const { n, k, patterns: xs, table } = mem;
  const h = new Int32Array(k);
  const old = new Float32Array(n);
  const count = new Int32Array(2 * n + 1);
  const touched = new Int32Array(2 * k);
  for (let r = 0; r < batch; r++) {
    const off = r * n;
    for (let mu = 0; mu < k; mu++) {
      let o = 0;
      const row = mu * n;
      for (let i = 0; i < n; i++) o += xs[row + i]! * s[off + i]!;
      h[mu] = o;
    }
    for (let i = 0; i < n; i++) old[i] = s[off + i]!;
    for (let step = 0; step < n; step++) {
      const i = order ? order[step]! : step;
      if (clamp && clamp[off + i]) continue;
      const si = order ? s[off + i]! : old[i]!;
      let nt = 0;
      for (let mu = 0; mu < k; mu++) {
        const x = xs[mu * n + i]!;
        const idx = h[mu]! - x * si - 1 + n;
        if (count[idx] === 0) touched[nt++] = idx;
        count[idx]! += x;
      }
      let diff = 0;
      for (let t = 0; t < nt; t++) {
        const idx = touched[t]!;
        const c = count[idx]!;
        if (c !== 0) diff += c * table[idx]!;
        count[idx] = 0;
      }
      const next = diff > 0 ? 1 : diff < 0 ? -1 : si;
      s[off + i] = next;
      if (order && next !== si) {
        const d = next - si;
        for (let mu = 0; mu < k; mu++) h[mu]! += xs[mu * n + i]! * d;
      }
    }
  }
}
