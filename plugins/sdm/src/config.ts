/** Configuration of the SDMLP and of the MLP baselines that share its class. */
import { errors, type JsonObject } from '@engram/core';

/** Hidden-layer non-linearity. */
export type HiddenActivation = 'gaba-topk' | 'topk' | 'relu';

/**
 * Hyper-parameters of an {@link Sdmlp}. The SDMLP of Bricken et al. is
 * `{ activation: 'gaba-topk', sdm: true }`; `sdm: false` gives a plain MLP
 * (biases, unconstrained weights, raw inputs) with ReLU or Top-K.
 */
export interface SdmlpConfig {
  /** Input features (784 for Fashion-MNIST). */
  inputSize: number;
  /** Hidden neurons N (the paper: 1,000 or 10,000). */
  hidden: number;
  /** Output classes (one shared head). */
  outputs: number;
  /** Hidden non-linearity. */
  activation: HiddenActivation;
  /** Active neurons per input for 'gaba-topk' and 'topk' (the paper: 10 for N = 1,000). */
  k: number;
  /**
   * GABA switch horizon: the number of times a neuron must have fired for its
   * inhibition coefficient to move from -1 (dense) to +1 (exact Top-K).
   */
  gabaHorizon: number;
  /**
   * SDM constraints: inputs ReLU'd and L2-normalised; first layer without bias,
   * non-negative, each neuron's address at unit L2 norm; readout non-negative
   * without bias. False: a standard MLP with biases.
   */
  sdm: boolean;
  /** Seed of the weight initialisation. */
  seed: number;
}

/** Defaults for the SDMLP on 28x28 images with 10 classes (N = 1,000, k = 10). */
export const DEFAULT_SDMLP_CONFIG: SdmlpConfig = {
  inputSize: 784,
  hidden: 1000,
  outputs: 10,
  activation: 'gaba-topk',
  k: 10,
  gabaHorizon: 60_000,
  sdm: true,
  seed: 0,
};

const int = (name: string, v: unknown, min: number): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw errors.invalidArgument(`sdmlp config '${name}'`, `an integer >= ${min}`, v);
  return v;
};

/** Fills defaults into a partial config (e.g. a JSON spec) and checks every field; throws INVALID_ARGUMENT on bad values. */
export function resolveSdmlpConfig(partial: Partial<SdmlpConfig> | JsonObject = {}): SdmlpConfig {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw errors.invalidArgument('sdmlp config', 'an object', partial);
  }
  const c = { ...DEFAULT_SDMLP_CONFIG, ...(partial as Partial<SdmlpConfig>) };
  const known = new Set(Object.keys(DEFAULT_SDMLP_CONFIG));
  for (const key of Object.keys(partial)) {
    if (!known.has(key)) throw errors.invalidArgument(`sdmlp config key '${key}'`, `one of ${[...known].join(', ')}`, key);
  }
  int('inputSize', c.inputSize, 1);
  int('hidden', c.hidden, 1);
  int('outputs', c.outputs, 2);
  int('k', c.k, 1);
  int('seed', c.seed, 0);
  if (!['gaba-topk', 'topk', 'relu'].includes(c.activation)) {
    throw errors.invalidArgument("sdmlp config 'activation'", "'gaba-topk', 'topk' or 'relu'", c.activation);
  }
  if (c.activation !== 'relu' && c.k >= c.hidden) throw errors.invalidArgument("sdmlp config 'k'", `less than hidden (${c.hidden})`, c.k);
  if (typeof c.gabaHorizon !== 'number' || !(c.gabaHorizon > 0) || !Number.isFinite(c.gabaHorizon)) {
    throw errors.invalidArgument("sdmlp config 'gabaHorizon'", 'a finite number > 0', c.gabaHorizon);
  }
  if (typeof c.sdm !== 'boolean') throw errors.invalidArgument("sdmlp config 'sdm'", 'true or false', c.sdm);
  return c;
}
