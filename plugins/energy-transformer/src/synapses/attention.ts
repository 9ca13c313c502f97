import type * as tf from '@tensorflow/tfjs';
import { parseConfig, type Hypersynapse, type TensorInput, type z } from '@engram/core';
import { attentionSynapseOn, type AttentionSettings } from '../internal/attention.js';
import { diagonalLogMask } from '../internal/attention-mask.js';
import { json } from '../internal/json.js';
import { normalVariableDrawnTransposed } from '../internal/variables.js';
import { attentionSynapseSchema } from './schemas.js';

/** The registered id. */
export const ATTENTION_KIND = 'energy-transformer/attention';

/** An attention config with every default resolved (what `synapse.config` holds). */
export type AttentionConfig = AttentionSettings & {
  readonly excludeDiagonal: boolean;
  readonly std: number;
  readonly seed: number;
};

/** Options of {@link attentionSynapse}: its config and, optionally, initial weights. */
export type AttentionSynapseOptions = z.input<typeof attentionSynapseSchema> & {
  /** Initial key weights [heads, headSize, size]; seeded N(0, std^2) when absent. */
  keys?: TensorInput;
  /** Initial query weights [heads, headSize, size]; seeded N(0, std^2) when absent. */
  queries?: TensorInput;
};

/** Fills the dependent defaults of a parsed attention config. */
export function resolveAttentionConfig(c: z.output<typeof attentionSynapseSchema>): AttentionConfig {
  const headSize = c.headSize ?? Math.max(1, Math.floor(c.size / c.heads));
  return { size: c.size, heads: c.heads, headSize, beta: c.beta ?? 1 / Math.sqrt(headSize), excludeDiagonal: c.excludeDiagonal, std: c.std, seed: c.seed };
}

/** The key and query variables of an attention config (seeded; the same seed gives the same weights as before the layout change). */
export function attentionVariables(c: AttentionConfig, values: { keys?: TensorInput; queries?: TensorInput } = {}): { keys: tf.Variable; queries: tf.Variable } {
  const shape = [c.heads, c.headSize, c.size];
  const keys = normalVariableDrawnTransposed('attention keys', shape, c.std, c.seed * 7 + 1, values.keys);
  try {
    return { keys, queries: normalVariableDrawnTransposed('attention queries', shape, c.std, c.seed * 7 + 2, values.queries) };
  } catch (err) {
    keys.dispose();
    throw err;
  }
}

/**
 * The Energy Transformer's energy attention as a core hypersynapse
 * ('energy-transformer/attention') on one token layer [tokens, size]:
 * E = -(1/beta) sum_h sum_C log sum_B exp(beta K_hB . Q_hC), with a closed-form
 * dE/dg. Put it in any core `EnergyModel` next to other synapses, e.g. on a
 * layer with core's `layernorm` Lagrangian.
 *
 * @example
 * const model = new EnergyModel()
 *   .addLayer('tokens', { shape: [16, 32], lagrangian: lagrangians.layernorm({ size: 32, trainable: true }) })
 *   .addSynapse('attention', attentionSynapse({ size: 32, heads: 4 }), ['tokens']);
 */
export function attentionSynapse(options: AttentionSynapseOptions): Hypersynapse {
  const { keys, queries, ...rest } = options;
  const config = resolveAttentionConfig(parseConfig(attentionSynapseSchema, rest, ATTENTION_KIND));
  const variables = attentionVariables(config, { ...(keys !== undefined ? { keys } : {}), ...(queries !== undefined ? { queries } : {}) });
  return attentionSynapseOn(ATTENTION_KIND, json(config), config, variables, (tokens) => (config.excludeDiagonal ? diagonalLogMask(tokens) : null));
}
