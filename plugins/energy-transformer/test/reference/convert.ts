/** The new layout of a block's weights in the reference's old layout ([D, H*Y] and [D, M]). */
import * as tf from '@tensorflow/tfjs';
import type { EnergyTransformerBlock } from '../../src/index.js';
import type { ReferenceConfig, ReferenceWeights } from './et-reference.js';

export function referenceOf(block: EnergyTransformerBlock): { weights: ReferenceWeights; config: ReferenceConfig; dispose(): void } {
  const v = block.variables();
  const c = block.config;
  const HY = c.heads * c.headSize;
  const weights: ReferenceWeights = {
    wk: tf.transpose(tf.reshape(v['attention/keys']!, [HY, c.size])),
    wq: tf.transpose(tf.reshape(v['attention/queries']!, [HY, c.size])),
    xi: tf.transpose(v['hopfield/patterns']!),
    gamma: v['tokens/gamma']!,
    delta: v['tokens/delta']!,
  };
  const sep = c.separation;
  if (!(sep.kind === 'lse' || (sep.kind === 'rectified-power' && sep.n === 2))) throw new Error('the reference has the ReLU (n = 2) and softmax forms only');
  const config: ReferenceConfig = {
    heads: c.heads,
    headDim: c.headSize,
    attentionBeta: c.beta,
    hopfield: sep.kind === 'lse' ? 'softmax' : 'relu',
    hopfieldBeta: sep.beta,
    eps: c.eps,
  };
  return { weights, config, dispose: () => tf.dispose([weights.wk, weights.wq, weights.xi]) };
}
