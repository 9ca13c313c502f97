/** matmul-peak: the backend's large square matMul, the yardstick of the other cases' GFLOP/s. */
import * as tf from '@tensorflow/tfjs';
import type { BenchCase } from '../harness.js';

/** Side of the square product (1024: large enough to reach the kernel's plateau, ~2.1 GFLOP). */
export const PEAK_N = 1024;

/** matmul-peak: C = A B, A and B [n, n], operands in the layout the product wants. */
export const matmulPeak: BenchCase = {
  name: 'matmul-peak',
  description: `matMul ${PEAK_N}x${PEAK_N} by ${PEAK_N}x${PEAK_N}, float32`,
  flops: 2 * PEAK_N ** 3,
  warmup: 2,
  reps: 15,
  torch: 'matmul-peak',
  setup() {
    const a = tf.randomNormal([PEAK_N, PEAK_N], 0, 1, 'float32', 1);
    const b = tf.randomNormal([PEAK_N, PEAK_N], 0, 1, 'float32', 2);
    // wasm, cpu and tfjs-node run a kernel before it returns: the product is done when matMul is,
    // as torch's is when mm returns (its twin reads nothing back). Elsewhere (webgl, webgpu) one
    // element to the host waits for it, without timing a 4 MB copy.
    const synchronous = ['wasm', 'cpu', 'tensorflow'].includes(tf.getBackend());
    return {
      run() {
        const c = tf.matMul(a, b);
        if (!synchronous) tf.tidy(() => tf.slice(c, [PEAK_N - 1, PEAK_N - 1], [1, 1]).dataSync());
        c.dispose();
      },
      dispose: () => tf.dispose([a, b]),
    };
  },
};
