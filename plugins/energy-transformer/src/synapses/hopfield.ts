import type * as tf from '@tensorflow/tfjs';
import { parseConfig, type Hypersynapse, type SeparationConfig, type TensorInput, type z } from '@engram/core';
import { hopfieldForm, hopfieldSynapseOn } from '../internal/hopfield.js';
import { json } from '../internal/json.js';
import { normalVariableDrawnTransposed } from '../internal/variables.js';
import { hopfieldSynapseSchema } from './schemas.js';

/** The registered id. */
export const HOPFIELD_KIND = 'energy-transformer/hopfield';

/** A Hopfield config with every default resolved (what `synapse.config` holds). */
export type HopfieldConfig = {
  readonly size: number;
  readonly memories: number;
  readonly separation: SeparationConfig;
  readonly std: number;
  readonly seed: number;
};

/** Options of {@link hopfieldSynapse}: its config and, optionally, the initial patterns. */
export type HopfieldSynapseOptions = z.input<typeof hopfieldSynapseSchema> & {
  /** Initial stored patterns [memories, size]; seeded N(0, std^2) when absent. */
  patterns?: TensorInput;
};

/** Fills the dependent defaults of a parsed Hopfield config. */
export function resolveHopfieldConfig(c: z.output<typeof hopfieldSynapseSchema>): HopfieldConfig {
  return { size: c.size, memories: c.memories ?? 4 * c.size, separation: { ...c.separation }, std: c.std, seed: c.seed };
}

/** The patterns variable of a Hopfield config (seeded as before the layout change). */
export function hopfieldPatterns(c: HopfieldConfig, values?: TensorInput): tf.Variable {
  return normalVariableDrawnTransposed('hopfield patterns', [c.memories, c.size], c.std, c.seed * 7 + 3, values);
}

/**
 * The Energy Transformer's Hopfield module as a core hypersynapse
 * ('energy-transformer/hopfield') on one token layer [tokens, size]: each
 * token's overlaps with M stored patterns h = xi g, E = sum over tokens of
 * -(1/n) sum ReLU(h)^n ('rectified-power', the paper's ReLU form with n = 2)
 * or -(1/beta) log sum exp(beta h) ('lse', its softmax form), with a
 * closed-form dE/dg. Unlike core's memory synapse, which sees a whole layer as
 * one pattern, it acts on every token separately and sums.
 */
export function hopfieldSynapse(options: HopfieldSynapseOptions): Hypersynapse {
  const { patterns, ...rest } = options;
  const config = resolveHopfieldConfig(parseConfig(hopfieldSynapseSchema, rest, HOPFIELD_KIND));
  const form = hopfieldForm(config.separation, HOPFIELD_KIND);
  const stored = hopfieldPatterns(config, patterns);
  return hopfieldSynapseOn(HOPFIELD_KIND, json(config), config.size, form, stored);
}
