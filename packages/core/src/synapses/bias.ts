import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import { errors } from '../errors/index.js';
import type { TensorInput } from '../numerics/tensor-input.js';
import { parseConfig } from '../schema/parse-config.js';
import { defineSynapse, type Hypersynapse } from './hypersynapse.js';
import { flattenBatch, initVariable } from './initializers.js';
import { biasSynapseSchema } from './schemas.js';

/** Options of {@link biasSynapse}: its config, and optionally the initial bias. */
export type BiasSynapseOptions = z.input<typeof biasSynapseSchema> & {
  /** Initial bias [size]; zeros when absent. */
  bias?: TensorInput;
};

/** Bias on one layer: E = -b . g per sample. */
export function biasSynapse(options: BiasSynapseOptions): Hypersynapse {
  const { bias, ...rest } = options;
  const { size: n } = parseConfig(biasSynapseSchema, rest, 'core/bias');
  const b = initVariable('bias', [n], { values: bias ?? new Float32Array(n), std: 0, seed: 0 });
  return defineSynapse({
    kind: 'core/bias',
    arity: 1,
    config: { size: n },
    variables: { b },
    energy: ([g], v) => tf.tidy(() => tf.neg(tf.sum(tf.mul(flattenBatch(g!), v['b']!), 1)) as tf.Tensor1D),
    energyAndGradient: ([g], v) =>
      tf.tidy(() => {
        const x = flattenBatch(g!);
        const b = v['b']!;
        return { energy: tf.neg(tf.sum(tf.mul(x, b), 1)) as tf.Tensor1D, gradients: [tf.neg(tf.mul(tf.onesLike(x), b)).reshape(g!.shape)] };
      }),
    validate: (shapes) => {
      const s = shapes[0]!.reduce((x, y) => x * y, 1);
      if (s !== n) throw errors.shapeMismatch('bias synapse layer (flattened size)', [n], [s]);
    },
  });
}
