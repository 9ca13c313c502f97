/**
 * Laplacian-eigenvector positional encodings: the k eigenvectors of the
 * normalised Laplacian I - D^-1/2 A D^-1/2 with the smallest eigenvalues after
 * the trivial first one (eigenvalue 0, vector proportional to D^1/2 1).
 */
import { errors, linalg } from '@engram/core';

/** Normalised Laplacian I - D^-1/2 A D^-1/2 of a symmetric 0/1 adjacency (no self-loops counted), float64 row-major. */
export function normalizedLaplacian(adjacency: ArrayLike<number>, n: number): Float64Array {
  if (adjacency.length !== n * n) throw errors.invalidArgument('adjacency', `${n * n} entries (n x n)`, adjacency.length);
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) deg[i]! += adjacency[i * n + j]!;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    L[i * n + i] = deg[i]! > 0 ? 1 : 0;
    for (let j = 0; j < n; j++) {
      if (i === j || adjacency[i * n + j] === 0) continue;
      L[i * n + j] = -adjacency[i * n + j]! / Math.sqrt(deg[i]! * deg[j]!);
    }
  }
  return L;
}

/**
 * Positional encodings [n, k] (row-major float32): the k smallest non-trivial
 * eigenvectors of the normalised Laplacian, zero-padded when n - 1 < k. Each
 * vector's sign is fixed so that its largest-magnitude entry is positive
 * (training adds random sign flips).
 */
export function laplacianPositionalEncoding(adjacency: ArrayLike<number>, n: number, k: number): Float32Array {
  if (!Number.isInteger(k) || k < 1) throw errors.invalidArgument('k', 'a positive integer', k);
  const { vectors } = linalg.symmetricEigen(normalizedLaplacian(adjacency, n), n);
  const out = new Float32Array(n * k);
  for (let j = 0; j < k && j + 1 < n; j++) {
    const col = j + 1;
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(vectors[i * n + col]!) > Math.abs(big)) big = vectors[i * n + col]!;
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) out[i * k + j] = sign * vectors[i * n + col]!;
  }
  return out;
}
