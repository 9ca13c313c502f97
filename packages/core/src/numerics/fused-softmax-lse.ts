/**
 * softmax(x) and log(sum(exp(x))) over the last axis as ONE kernel where a
 * backend has it (the native path registers it on wasm): both come from the
 * same row max and sum of exponentials, so a modern Hopfield step that needs
 * the update direction (the softmax) and the energy (the lse) of one state
 * reads its scores once instead of twice.
 *
 * Its gradient is exact at every order: at first order it reads the saved
 * softmax (one fused softmax-gradient kernel); when it is itself
 * differentiated it recomputes the softmax from the saved input with stock
 * kernels (a saved output would drop its path back to x: see
 * gradient-fixes.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { runFusedKernel } from './fused-kernel.js';
import { softmaxBackward } from './fused-backward.js';
import { differentiated } from './gradient-fixes.js';

/** The kernel's name in tfjs' registry: input x (float32, rank >= 1), outputs [softmax, lse] over the last axis. */
export const SOFTMAX_LOG_SUM_EXP_KERNEL = 'EngramSoftmaxLogSumExp';

/** The kernel's gradient, registered with the kernel (backend/native/native-fused.ts): dx = softmax' dS + softmax dLse. */
export const softmaxLogSumExpGradConfig: tf.GradConfig = {
  kernelName: SOFTMAX_LOG_SUM_EXP_KERNEL,
  inputsToSave: ['x'],
  outputsToSave: [true, false],
  gradFunc: (dys, saved) => {
    const [dS, dLse] = dys as [tf.Tensor, tf.Tensor];
    const [x, s0] = saved as [tf.Tensor, tf.Tensor];
    return {
      x: () => {
        const twice = differentiated();
        const s = twice ? tf.softmax(x) : s0;
        const rows = [...x.shape.slice(0, -1), 1];
        // tfjs hands zeros for an output outside the gradient's graph; both terms are then still exact.
        return tf.add(softmaxBackward(dS, s, -1, twice), tf.mul(s, tf.reshape(dLse, rows)));
      },
    };
  },
};

/**
 * [softmax, lse] of a float32 x over its last axis through the fused kernel;
 * undefined when the active backend has none (the caller composes them).
 */
export function fusedSoftmaxAndLogSumExp(x: tf.Tensor): [tf.Tensor, tf.Tensor] | undefined {
  if (x.dtype !== 'float32' || x.rank < 1 || x.size === 0) return undefined;
  return runFusedKernel<[tf.Tensor, tf.Tensor]>(SOFTMAX_LOG_SUM_EXP_KERNEL, { x });
}
