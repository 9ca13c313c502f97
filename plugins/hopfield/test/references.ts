/**
 * The plugin's previous hand-written energies and updates, kept ONLY here, as
 * references for the compositions of core parts that replaced them (each test
 * checks the new model against these to 1e-5 relative). Copied from the
 * pre-migration sources (classical.ts, dense.ts, separation.ts, modern.ts,
 * dense-retrieval.ts, feature-maps.ts, drdam.ts, layers/associate.ts).
 */
import * as tf from '@tensorflow/tfjs';

/** Classical: E = -1/2 s^T W s + b^T s. */
export function classicalEnergyRef(s: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.add(tf.mul(tf.sum(tf.mul(tf.matMul(s, w), s), 1), -0.5), tf.sum(tf.mul(s, b), 1)) as tf.Tensor1D);
}

/** Classical: dE/ds = -W s + b (W symmetric). */
export function classicalGradientRef(s: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.neg(tf.matMul(s, w)), b) as tf.Tensor2D);
}

/** The old separation function F of the dense memory (exp shifted by the size N). */
export function oldSeparation(kind: 'power' | 'rectified-power' | 'exp', n: number, beta: number, size: number): { tensor(x: tf.Tensor): tf.Tensor; derivative(x: tf.Tensor): tf.Tensor } {
  if (kind === 'exp') {
    return {
      tensor: (x) => tf.tidy(() => tf.exp(tf.mul(tf.sub(x, size), beta))),
      derivative: (x) => tf.tidy(() => tf.mul(tf.exp(tf.mul(tf.sub(x, size), beta)), beta)),
    };
  }
  if (kind === 'power') {
    return {
      tensor: (x) => tf.tidy(() => {
        let y = x;
        for (let k = 1; k < n; k++) y = tf.mul(y, x);
        return n === 1 ? x.clone() : y;
      }),
      derivative: (x) => tf.tidy(() => {
        let y: tf.Tensor = tf.onesLike(x);
        for (let k = 1; k < n; k++) y = tf.mul(y, x);
        return tf.mul(y, n);
      }),
    };
  }
  return {
    tensor: (x) => tf.tidy(() => tf.pow(tf.relu(x), n)),
    derivative: (x) => tf.tidy(() => tf.mul(tf.pow(tf.relu(x), n - 1), n)),
  };
}

/** Dense: E = -sum_mu F(xi_mu . s), with the memories transposed as the old model kept them. */
export function denseEnergyRef(s: tf.Tensor2D, patterns: tf.Tensor2D, F: ReturnType<typeof oldSeparation>): tf.Tensor1D {
  return tf.tidy(() => {
    const memT = tf.transpose(patterns);
    return tf.neg(tf.sum(F.tensor(tf.matMul(s, memT)), 1)) as tf.Tensor1D;
  });
}

/** Dense: dE/ds = -F'(s X^T) X. */
export function denseGradientRef(s: tf.Tensor2D, patterns: tf.Tensor2D, F: ReturnType<typeof oldSeparation>): tf.Tensor2D {
  return tf.tidy(() => tf.neg(tf.matMul(F.derivative(tf.matMul(s, tf.transpose(patterns))), patterns)) as tf.Tensor2D);
}

/** Modern: E = -1/beta (lse(beta X x) - log K) + 1/2 x^T x + 1/2 M^2 (the old, cancellation-free form). */
export function modernEnergyRef(x: tf.Tensor2D, patterns: tf.Tensor2D, beta: number): tf.Tensor1D {
  return tf.tidy(() => {
    const k = patterns.shape[0];
    const memT = tf.transpose(patterns);
    const maxNormSq = tf.max(tf.sum(tf.square(patterns), 1));
    const lse = tf.logSumExp(tf.sub(tf.mul(tf.matMul(x, memT), beta), Math.log(k)), 1);
    const half = tf.mul(tf.sum(tf.square(x), 1), 0.5);
    return tf.add(tf.add(tf.mul(lse, -1 / beta), half), tf.mul(maxNormSq, 0.5)) as tf.Tensor1D;
  });
}

/** Modern: the CCCP update x <- X^T softmax(beta X x) (old: with the pre-transposed memT). */
export function modernUpdateRef(x: tf.Tensor2D, patterns: tf.Tensor2D, beta: number): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(tf.softmax(tf.mul(tf.matMul(x, tf.transpose(patterns)), beta)), patterns) as tf.Tensor2D);
}

/** Modern: dE/dx = x - X^T softmax(beta X x). */
export function modernGradientRef(x: tf.Tensor2D, patterns: tf.Tensor2D, beta: number): tf.Tensor2D {
  return tf.tidy(() => tf.sub(x, modernUpdateRef(x, patterns, beta)) as tf.Tensor2D);
}

/** The old DenseRetriever's update: blocks in both layouts ([c, D] and the transposed [D, c]). */
export function blockedUpdateRef(x: tf.Tensor2D, patterns: tf.Tensor2D, beta: number, blockSize: number): tf.Tensor2D {
  return tf.tidy(() => {
    const k = patterns.shape[0];
    const blocks: tf.Tensor2D[] = [];
    for (let s = 0; s < k; s += blockSize) blocks.push(tf.slice(patterns, [s, 0], [Math.min(blockSize, k - s), patterns.shape[1]]) as tf.Tensor2D);
    const blocksT = blocks.map((b) => tf.transpose(b));
    const scores = blocksT.map((bt) => tf.matMul(x, bt));
    const p = tf.softmax(tf.mul(scores.length === 1 ? scores[0]! : tf.concat(scores, 1), beta));
    const parts = tf.split(p, blocks.map((b) => b.shape[0]), 1);
    return tf.addN(parts.map((pc, i) => tf.matMul(pc, blocks[i]!))) as tf.Tensor2D;
  });
}

/** The old DrDAM feature map phi (with the pre-transposed S^T). */
export function drdamPhiRef(kind: 'sincos' | 'cos' | 'positive', beta: number, s: tf.Tensor2D, b: tf.Tensor1D, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const y = s.shape[0];
    const st = tf.transpose(s);
    let h = tf.mul(tf.matMul(x, st), Math.sqrt(beta));
    if (kind === 'cos') h = tf.add(h, b);
    if (kind === 'sincos') return tf.mul(tf.concat([tf.cos(h), tf.sin(h)], 1), 1 / Math.sqrt(y));
    if (kind === 'cos') return tf.mul(tf.cos(h), Math.sqrt(2 / y));
    const sq = tf.sum(tf.square(x), 1, true);
    return tf.mul(tf.exp(tf.sub(h, tf.mul(sq, beta))), 1 / Math.sqrt(y));
  }) as tf.Tensor2D;
}

/** The old DrDAM energy -1/beta log(max(phi(x) . T, eps)). */
export function drdamEnergyRef(phiX: tf.Tensor2D, t: tf.Tensor1D, beta: number, eps: number): tf.Tensor1D {
  return tf.tidy(() => tf.mul(tf.log(tf.maximum(tf.sum(tf.mul(phiX, t), 1), eps)), -1 / beta) as tf.Tensor1D);
}

/** The old association energy per head and state pattern (layers/associate.ts). */
export function associationEnergyRef(xi: tf.Tensor4D, kh: tf.Tensor4D, beta: number): tf.Tensor3D {
  return tf.tidy(() => {
    const s = kh.shape[2];
    const lse = tf.logSumExp(tf.mul(tf.matMul(xi, kh, false, true), beta), -1);
    const half = tf.mul(tf.sum(tf.square(xi), -1), 0.5);
    const m2 = tf.max(tf.sum(tf.square(kh), -1), -1, true);
    return tf.add(tf.add(tf.mul(lse, -1 / beta), half), tf.add(tf.mul(m2, 0.5), Math.log(s) / beta)) as tf.Tensor3D;
  });
}

/** The old association update xi <- softmax(beta xi K^T) K per head. */
export function associationUpdateRef(xi: tf.Tensor4D, kh: tf.Tensor4D, beta: number): tf.Tensor4D {
  return tf.tidy(() => tf.matMul(tf.softmax(tf.mul(tf.matMul(xi, kh, false, true), beta)), kh) as tf.Tensor4D);
}
