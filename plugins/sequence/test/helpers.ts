import * as tf from '@tensorflow/tfjs';
import { binaryPatterns } from '@engram/data';

/** S random +-1 sequences of P patterns of N neurons, [S, P, N], from one seed (P(+1) = bias). */
export function randomSequences(s: number, p: number, n: number, seed: number, bias = 0.5): tf.Tensor3D {
  return tf.tensor3d(binaryPatterns({ count: s * p, dim: n, seed, bias }).data, [s, p, n]);
}
