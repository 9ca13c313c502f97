/**
 * How core's fused ops reach their kernels: run the kernel when the active
 * backend registers it (the native path does, on wasm), else hand back
 * undefined and let the caller compose the op from stock kernels. One place
 * for the registry lookup and tfjs' untyped runKernel, which every fused op
 * (log-sum-exp, softmax with log-sum-exp, layer norm, axpby, the backward
 * kernels, the step read-out) would otherwise write out again.
 */
import * as tf from '@tensorflow/tfjs';

/** `kernel`'s outputs on `inputs` when the active backend has it; undefined otherwise (the caller composes). */
export function runFusedKernel<T extends tf.Tensor | tf.Tensor[] = tf.Tensor>(kernel: string, inputs: Record<string, tf.Tensor>, attrs: object = {}): T | undefined {
  if (!tf.getKernel(kernel, tf.getBackend())) return undefined;
  return tf.engine().runKernel(kernel, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as unknown as T;
}
