import * as tf from '@tensorflow/tfjs';
import { errors } from '../errors/index.js';
import type { TensorInput } from '../numerics/tensor-input.js';
import { defineSynapse, type Hypersynapse } from './hypersynapse.js';
import { flattenBatch, initVariable, requirePositiveInt } from './initializers.js';

/** Options of {@link biasSynapse}. */
export interface BiasSynapseOptions {
  /** Flattened size of the connected layer. */
  features: number;
  /** Initial bias; zeros when absent. */
  bias?: TensorInput;
}

/** Bias on one layer: E = -b . g per sample. */
export function biasSynapse(opts: BiasSynapseOptions): Hypersynapse {
  const n = requirePositiveInt('features', opts.features);
  const b = initVariable('bias', [n], { values: opts.bias ?? new Float32Array(n), std: 0, seed: 0 });
  return defineSynapse({
    kind: 'core/bias',
    arity: 1,
    config: { features: n },
    variables: { b },
    energy: ([g], v) => tf.tidy(() => tf.neg(tf.sum(tf.mul(flattenBatch(g!), v['b']!), 1)) as tf.Tensor1D),
    validate: (shapes) => {
      const s = shapes[0]!.reduce((x, y) => x * y, 1);
      if (s !== n) throw errors.shapeMismatch('bias synapse layer (flattened size)', [n], [s]);
    },
  });
}
