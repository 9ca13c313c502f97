/** k-means' objective: the sum of squared distances of each sample to its cluster's centre. */
import { errors } from '@engram/core';
import { readLabels, squaredDistance, type HostMatrix } from '../internal/host-matrix.js';

/** Sum over samples of ||x_i - centers[labels_i]||^2. */
export function inertiaOf(x: HostMatrix, labels: ArrayLike<number>, centers: HostMatrix): number {
  const ids = readLabels(labels, x.n);
  if (centers.d !== x.d) throw errors.shapeMismatch('centres (features)', [centers.n, x.d], [centers.n, centers.d]);
  let total = 0;
  for (let i = 0; i < x.n; i++) {
    if (ids[i]! >= centers.n) throw errors.invalidArgument(`labels[${i}]`, `a centre index below ${centers.n}`, ids[i]);
    total += squaredDistance(x, i, centers, ids[i]!);
  }
  return total;
}
