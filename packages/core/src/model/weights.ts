import * as tf from '@tensorflow/tfjs';
import { EngramError, ErrorCodes } from '../errors/index.js';

/**
 * Assigns `weights` into `variables` by name after checking every name and
 * shape (nothing changes on a mismatch). Every variable must be given.
 */
export function assignWeights(owner: string, variables: Readonly<Record<string, tf.Variable>>, weights: Readonly<Record<string, tf.Tensor>>): void {
  const names = Object.keys(weights);
  const missing = Object.keys(variables).filter((k) => !(k in weights));
  const extra = names.filter((k) => !(k in variables));
  if (missing.length || extra.length) {
    throw new EngramError(
      ErrorCodes.WEIGHTS_MISMATCH,
      `the weights do not match ${owner} (missing: ${missing.join(', ') || 'none'}; unexpected: ${extra.join(', ') || 'none'})`,
      { owner, missing, extra },
    );
  }
  for (const k of names) {
    const v = variables[k]!;
    const w = weights[k]!;
    if (!tf.util.arraysEqual(v.shape, w.shape)) {
      throw new EngramError(ErrorCodes.WEIGHTS_MISMATCH, `weight '${k}' of ${owner} has shape [${w.shape}] but [${v.shape}] was expected`, {
        owner,
        name: k,
        expected: v.shape,
        actual: w.shape,
      });
    }
  }
  for (const k of names) {
    const w = weights[k]!;
    if (w.dtype === 'float32') variables[k]!.assign(w);
    else tf.tidy(() => variables[k]!.assign(tf.cast(w, 'float32')));
  }
}
