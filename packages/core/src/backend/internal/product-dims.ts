/**
 * The dimensions of a (batched) matrix product a x b as tfjs' BatchMatMul
 * attributes describe it: rows m, inner k (as a and as b see it: equal unless
 * the call is malformed), columns n. Shared by every BatchMatMul layer (the
 * wasm fast path, the native BLAS path) so they read the attributes alike.
 */
export interface ProductDims {
  m: number;
  k: number;
  kb: number;
  n: number;
}

export function productDims(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean): ProductDims {
  const ar = aShape.length;
  const br = bShape.length;
  return {
    m: transposeA ? aShape[ar - 1]! : aShape[ar - 2]!,
    k: transposeA ? aShape[ar - 2]! : aShape[ar - 1]!,
    kb: transposeB ? bShape[br - 1]! : bShape[br - 2]!,
    n: transposeB ? bShape[br - 2]! : bShape[br - 1]!,
  };
}
