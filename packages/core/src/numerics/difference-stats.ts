/**
 * [max |a - b|, sum (a - b)] of two float32 tensors of one shape as ONE kernel
 * where a backend has it (the native path registers it on wasm): what the
 * dynamics engine reads after every step, the update size and a finiteness
 * check (the sum is NaN or inf exactly when some difference is). The composed
 * form is Sub, Reshape, Abs, Max, Reshape, Sum, Reshape: seven kernels a step,
 * on a stream whose step is otherwise about as many.
 *
 * A read-out, not a differentiable op: the kernel has no gradient, and the
 * engine calls it outside any tape.
 */
import * as tf from '@tensorflow/tfjs';
import { runFusedKernel } from './fused-kernel.js';

/** The kernel's name in tfjs' registry: inputs a, b (float32, one shape); output [2]. */
export const DIFFERENCE_STATS_KERNEL = 'EngramDifferenceStats';

/** [max |a - b|, sum (a - b)] through the fused kernel; undefined when the backend has none or the operands do not fit it (the caller composes). */
export function fusedDifferenceStats(a: tf.Tensor, b: tf.Tensor): tf.Tensor1D | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || !tf.util.arraysEqual(a.shape, b.shape) || a.size === 0) return undefined;
  return runFusedKernel<tf.Tensor1D>(DIFFERENCE_STATS_KERNEL, { a, b });
}
