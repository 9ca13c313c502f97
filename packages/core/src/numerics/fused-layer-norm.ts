/**
 * Layer normalisation over the last axis, (x - mean) / sqrt(var + eps) with the
 * biased variance, as ONE kernel where a backend has it (the native path
 * registers it on wasm), with a registered gradient exact at every order:
 *
 *   dx = rstd (dy - mean(dy) - y mean(dy y))      (per row, rstd = 1/sqrt(var + eps))
 *
 * At first order the gradient reads the kernel's saved outputs y and rstd (one
 * kernel too where the backend has it, EngramLayerNormGrad); when
 * it is itself differentiated it rebuilds them from x with differentiable ops
 * (y through this same kernel), as engram's other gradient fixes do.
 *
 * Why: the composed form is 7 kernels forward and about 30 on the tape
 * backward (measured in the ET train step: one layer norm per descent step).
 */
import * as tf from '@tensorflow/tfjs';
import { runFusedKernel } from './fused-kernel.js';
import { differentiated } from './gradient-fixes.js';

/** The kernel's name in tfjs' registry; outputs [y, rstd] (rstd one value per row). */
export const LAYER_NORM_KERNEL = 'EngramLayerNorm';

/** Its first-order gradient kernel: inputs dy, y (the forward's output, one shape) and rstd (one per row); dx = rstd ((dy - mean dy) - y mean(dy y)). */
export const LAYER_NORM_GRAD_KERNEL = 'EngramLayerNormGrad';

/** The kernel's attributes. */
export interface LayerNormAttrs {
  eps: number;
}

/** 1/sqrt(var + eps) per row, keeping the last axis as 1, from differentiable ops. */
function composedRstd(x: tf.Tensor, eps: number): tf.Tensor {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  return tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), eps));
}

/** The kernel's gradient, registered with the kernel (backend/native/native-fused.ts) (see the module comment). */
export const layerNormGradConfig: tf.GradConfig = {
  kernelName: LAYER_NORM_KERNEL,
  inputsToSave: ['x'],
  outputsToSave: [true, true],
  gradFunc: (dy, saved, attrs) => {
    const [x, ySaved, rstdSaved] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
    const { eps } = attrs as unknown as LayerNormAttrs;
    const d = Array.isArray(dy) ? dy[0]! : dy;
    return {
      x: () => {
        const rowShape = [...x.shape.slice(0, -1), 1];
        const nested = differentiated();
        // First order: one kernel from the saved outputs where the backend has it (seven composed).
        const fused = !nested && d.dtype === 'float32' && tf.util.arraysEqual(d.shape, ySaved.shape) ? runFusedKernel(LAYER_NORM_GRAD_KERNEL, { dy: d, y: ySaved, rstd: rstdSaved }) : undefined;
        if (fused) return fused;
        const y = nested ? fusedLayerNorm(x, eps)! : ySaved;
        const rstd = nested ? composedRstd(x, eps) : tf.reshape(rstdSaved, rowShape);
        const inner = tf.sub(tf.sub(d, tf.mean(d, -1, true)), tf.mul(y, tf.mean(tf.mul(d, y), -1, true)));
        return tf.mul(inner, rstd);
      },
    };
  },
};

/** (x - mean) / sqrt(var + eps) over the last axis through the fused kernel; undefined when the active backend has none. */
export function fusedLayerNorm(x: tf.Tensor, eps: number): tf.Tensor | undefined {
  if (x.dtype !== 'float32' || x.rank < 1 || x.size === 0 || !(eps >= 0)) return undefined;
  const attrs: LayerNormAttrs = { eps };
  const out = runFusedKernel<tf.Tensor[]>(LAYER_NORM_KERNEL, { x }, attrs);
  if (!out) return undefined;
  out[1]!.dispose();
  return out[0]!;
}
