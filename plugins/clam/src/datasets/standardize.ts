/**
 * Feature standardisation as scikit-learn's StandardScaler does it (the
 * paper standardises every data set before clustering and scores Silhouette
 * on the standardised data): subtract the column mean, divide by the
 * population standard deviation; a constant column is only centred.
 */
import type { HostMatrix } from '../internal/host-matrix.js';

/** Column means and scales of a standardisation. */
export interface Standardization {
  readonly mean: Float64Array;
  readonly scale: Float64Array;
}

/** The column means and scales of `x` (scale 1 for constant columns, as scikit-learn). */
export function fitStandardization(x: HostMatrix): Standardization {
  const mean = new Float64Array(x.d);
  const scale = new Float64Array(x.d);
  for (let i = 0; i < x.n; i++) for (let j = 0; j < x.d; j++) mean[j]! += x.data[i * x.d + j]!;
  for (let j = 0; j < x.d; j++) mean[j]! /= x.n;
  for (let i = 0; i < x.n; i++) {
    for (let j = 0; j < x.d; j++) {
      const u = x.data[i * x.d + j]! - mean[j]!;
      scale[j]! += u * u;
    }
  }
  for (let j = 0; j < x.d; j++) {
    const s = Math.sqrt(scale[j]! / x.n);
    // Below this the column is constant up to round-off; dividing would blow noise up.
    scale[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j]!)) ? s : 1;
  }
  return { mean, scale };
}

/** `(x - mean) / scale` column by column (a new matrix). */
export function applyStandardization(x: HostMatrix, s: Standardization): HostMatrix {
  const data = new Float64Array(x.n * x.d);
  for (let i = 0; i < x.n; i++) for (let j = 0; j < x.d; j++) data[i * x.d + j] = (x.data[i * x.d + j]! - s.mean[j]!) / s.scale[j]!;
  return { n: x.n, d: x.d, data };
}

/** Standardised copy of `x` (StandardScaler().fit_transform). */
export function standardize(x: HostMatrix): HostMatrix {
  return applyStandardization(x, fitStandardization(x));
}
