/**
 * Creating model parameters: from given values, or from a seeded random
 * initialisation — except while a saved model is being loaded, when every
 * parameter is about to be overwritten by its saved value: then it starts as
 * zeros, which costs no host-side random generation, so a config inconsistent
 * with its weights is caught by the allocation limit before any work is done.
 */
import * as tf from '@tensorflow/tfjs';
import { randomNormal } from './random.js';
import { errors } from '../errors/index.js';
import { toTensor, type TensorInput } from './tensor-input.js';

let loads = 0;

/** True while {@link whileLoading} runs (a saved model's weights will overwrite every parameter). */
export function isLoading(): boolean {
  return loads > 0;
}

/** Runs `fn` (typically a model factory) knowing that its parameters will be overwritten by loaded weights. */
export async function whileLoading<T>(fn: () => Promise<T>): Promise<T> {
  loads++;
  try {
    return await fn();
  } finally {
    loads--;
  }
}

/** How {@link initVariable} initialises a parameter without given values. */
export interface InitOptions {
  /** Given values (any shape with the right number of entries; reshaped). */
  values?: TensorInput | undefined;
  /** Standard deviation of the seeded normal initialisation (0: zeros). */
  std?: number;
  /** Seed of the initialisation. */
  seed?: number;
  /** Whether optimizers train it (default true). */
  trainable?: boolean;
}

/**
 * A parameter as a tf.Variable: from `values` (checked against `shape`), or a
 * seeded normal(0, std) initialisation — or zeros while a saved model is
 * loading (see {@link isLoading}). Plugins create their parameters through it
 * so that loading a model never does initialisation work it would throw away.
 */
export function initVariable(what: string, shape: readonly number[], opts: InitOptions = {}): tf.Variable {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw errors.invalidArgument(`shape of ${what}`, 'non-negative integers', shape);
  return tf.tidy(() => {
    let init: tf.Tensor;
    if (opts.values !== undefined) {
      init = toTensor(opts.values, what);
      const n = shape.reduce((a, b) => a * b, 1);
      if (init.size !== n) throw errors.shapeMismatch(what, shape, init.shape);
      init = init.reshape([...shape]);
    } else if (isLoading() || !opts.std) {
      init = tf.zeros([...shape]);
    } else {
      init = randomNormal(shape, 0, opts.std, opts.seed ?? 0);
    }
    return tf.variable(init, opts.trainable ?? true);
  });
}
