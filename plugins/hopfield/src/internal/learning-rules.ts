/** Storage rules of the classical Hopfield network (host arrays, exact or float64 accumulation). */
import { EngramError, ErrorCodes, isEngramError, linalg } from '@engram/core';

/** Weight rules: Hebb's outer-product rule or the (projection) pseudo-inverse rule. */
export type ClassicalRule = 'hebbian' | 'pseudo-inverse';

/**
 * W for P patterns of length N (row-major [P, N]), with a zero diagonal, as float32.
 * Hebbian: W = C / N with the integer counts C = sum_mu xi_mu xi_mu^T, so every
 * weight is exactly the float32 nearest to k/N (the network recovers k from it,
 * see hostNetwork). Pseudo-inverse: W = Xi^T (Xi Xi^T)^-1 Xi, the projection onto
 * the span of the patterns (every pattern is a fixed point up to P ~ N).
 */
export function learnWeights(patterns: Float32Array, p: number, n: number, rule: ClassicalRule): Float32Array {
  const out = new Float32Array(n * n);
  if (rule === 'hebbian') {
    const c = new Int32Array(n * n);
    for (let mu = 0; mu < p; mu++) {
      const off = mu * n;
      for (let i = 0; i < n; i++) {
        const xi = patterns[off + i]!;
        for (let j = i + 1; j < n; j++) c[i * n + j]! += xi * patterns[off + j]!;
      }
    }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const v = c[i * n + j]! / n;
        out[i * n + j] = v;
        out[j * n + i] = v;
      }
    }
    return out;
  }
  const w = new Float64Array(n * n);
  const c = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += patterns[a * n + i]! * patterns[b * n + i]!;
      c[a * p + b] = s;
      c[b * p + a] = s;
    }
  }
  const ci = invertOverlap(c, p);
  // tmp = C^-1 Xi  [P, N]
  const tmp = new Float64Array(p * n);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      const f = ci[a * p + b]!;
      for (let j = 0; j < n; j++) tmp[a * n + j]! += f * patterns[b * n + j]!;
    }
  }
  for (let a = 0; a < p; a++) {
    for (let i = 0; i < n; i++) {
      const xi = patterns[a * n + i]!;
      if (xi === 0) continue;
      for (let j = 0; j < n; j++) w[i * n + j]! += xi * tmp[a * n + j]!;
    }
  }
  // Zero diagonal; symmetrise exactly: float error must not break the energy-descent guarantee.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = (w[i * n + j]! + w[j * n + i]!) / 2;
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}

/**
 * (Xi Xi^T)^-1 by core's LU inverse, re-reporting a singular matrix in terms of the
 * patterns (what the user controls) and keeping core's error as the cause.
 */
function invertOverlap(c: Float64Array, p: number): Float64Array {
  try {
    // 1e-10 * max|C|: C holds integer dot products of +-1 patterns, so a true pivot is O(1) or more.
    return linalg.inverse(c, p, { tolerance: 1e-10 }).data;
  } catch (err) {
    if (!isEngramError(err, ErrorCodes.INVALID_ARGUMENT)) throw err;
    throw new EngramError(
      ErrorCodes.INVALID_ARGUMENT,
      "patterns must be linearly independent for rule 'pseudo-inverse' (it inverts their overlap matrix, which is singular here): drop repeated or dependent patterns, or use rule 'hebbian'",
      { name: 'patterns', expected: 'linearly independent patterns', actual: 'a singular overlap matrix' },
      { cause: err },
    );
  }
}
