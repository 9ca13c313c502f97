/**
 * Which keys each query may attend to. Users give allowed pairs (1 = query C
 * may attend to key B; rows are queries, columns keys), [N, N] or one per
 * sample [B, N, N]; the energy adds a large negative logit where a pair is not
 * allowed. The diagonal (B = C) is removed when the attention excludes it;
 * every query must keep at least one key, else its log-sum-exp is log 0.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, toTensor, type TensorInput } from '@engram/core';

/** The logit of a pair that is not allowed (exp of it is 0 in float32). */
export const MASKED_LOGIT = -1e9;

/** An additive attention log-mask kept on the host: [Bm, 1, N, N] with Bm = 1 or the batch. */
export interface HostLogMask {
  readonly data: Float32Array;
  readonly shape: [number, 1, number, number];
}

/** The log-mask removing each token's attention to itself: [1, 1, N, N] (new tensor). */
export function diagonalLogMask(tokens: number): tf.Tensor4D {
  return tf.tidy(() => tf.reshape(tf.mul(tf.eye(tokens), MASKED_LOGIT), [1, 1, tokens, tokens]) as tf.Tensor4D);
}

/**
 * Reads and checks allowed pairs (0/1 entries, [N, N] or [B, N, N]) into a host
 * log-mask, with the diagonal removed when `excludeDiagonal`. Throws coded
 * errors: shape, values other than 0 and 1, a query left with no key.
 */
export function readAllowed(input: TensorInput, tokens: number, excludeDiagonal: boolean, what: string): HostLogMask {
  const t = toTensor(input, what, { finite: true });
  let data: Float32Array;
  let batch: number;
  try {
    if ((t.rank !== 2 && t.rank !== 3) || t.shape[t.rank - 1] !== tokens || t.shape[t.rank - 2] !== tokens) {
      throw errors.shapeMismatch(`${what} (allowed attention pairs)`, ['batch or none', tokens, tokens], t.shape);
    }
    batch = t.rank === 3 ? t.shape[0]! : 1;
    data = Float32Array.from(t.dataSync() as Float32Array);
  } finally {
    t.dispose();
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v !== 0 && v !== 1) throw errors.invalidArgument(what, 'allowed attention pairs of 0 (not allowed) and 1 (allowed)', v);
  }
  const log = new Float32Array(data.length);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < tokens; c++) {
      let keys = 0;
      for (let k = 0; k < tokens; k++) {
        const at = (b * tokens + c) * tokens + k;
        const ok = data[at] === 1 && !(excludeDiagonal && k === c);
        if (ok) keys++;
        log[at] = ok ? 0 : MASKED_LOGIT;
      }
      if (keys === 0) {
        throw errors.invalidArgument(
          what,
          `at least one allowed key per query${excludeDiagonal ? ' besides itself (the diagonal is excluded)' : ''}; add an edge for isolated graph nodes`,
          `query ${c}${batch > 1 ? ` of sample ${b}` : ''} with no allowed key`,
        );
      }
    }
  }
  return { data: log, shape: [batch, 1, tokens, tokens] };
}

/** The host log-mask as a tensor (new tensor). */
export function logMaskTensor(mask: HostLogMask): tf.Tensor4D {
  return tf.tensor4d(mask.data, mask.shape);
}
