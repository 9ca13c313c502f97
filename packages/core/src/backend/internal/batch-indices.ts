/**
 * Broadcasting of the batch dimensions of a batched matrix product, per
 * dimension (as tfjs' semantics say and its kernels do not: they index a
 * broadcast operand as p mod batch over the flattened batch, which is wrong
 * when an operand's batch is neither 1 nor the output's trailing batch dims,
 * e.g. [2,1] x [1,3]).
 */

/** Operand batch index (row-major over its own batch dims) for every entry of the broadcast batch `outer`. */
export function batchIndices(dims: readonly number[], outer: readonly number[]): Int32Array {
  const total = outer.reduce((p, x) => p * x, 1);
  const padded = [...new Array<number>(outer.length - dims.length).fill(1), ...dims];
  const out = new Int32Array(total);
  for (let p = 0; p < total; p++) {
    let rest = p;
    let idx = 0;
    let stride = 1;
    for (let i = outer.length - 1; i >= 0; i--) {
      const c = rest % outer[i]!;
      rest = Math.floor(rest / outer[i]!);
      if (padded[i] !== 1) idx += c * stride;
      stride *= padded[i]!;
    }
    out[p] = idx;
  }
  return out;
}

/**
 * True when the flattened-batch indexing p mod batch (what tfjs' kernels do)
 * gives the right operand entry for every output entry: the operand's batch is
 * all ones, or, after padding with leading ones, it is ones followed by exactly
 * the trailing dims of `outer`.
 */
export function modIndexingIsRight(dims: readonly number[], outer: readonly number[]): boolean {
  const padded = [...new Array<number>(outer.length - dims.length).fill(1), ...dims];
  let i = 0;
  while (i < padded.length && padded[i] === 1) i++;
  for (let j = i; j < padded.length; j++) if (padded[j] !== outer[j]) return false;
  return true;
}
