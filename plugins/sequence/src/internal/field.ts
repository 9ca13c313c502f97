/**
 * The local field of the sequence memories,
 *
 *   h_i = sum_mu T_i^mu f(x_i^mu),   x_i^mu = (sum_{j != i} K_j^mu s_j) / (N - 1),
 *
 * with targets T (the next pattern for the asymmetric term, the pattern itself
 * for the symmetric one), keys K (the patterns, or PI * patterns for the
 * pseudoinverse rule) and f the separation function. Excluding neuron i from
 * its own overlap naively needs a [S, B, P, N] tensor. Because the excluded
 * term is K_i^mu s_i / (N - 1), f(u - K s / (N - 1)) separates exactly into a
 * few matrix products of [S, B, P] by [S, P, N]:
 *  - both K and s in {-1, +1}: K s = +-1, so f(u -+ 1/(N-1)) picks one of two values;
 *  - polynomial f, any K and s: the binomial expansion of (u - K s / (N-1))^d;
 *  - exponential f: exp(-K s) = cosh(s) - K sinh(s) for K = +-1,
 *    or cosh(K) - s sinh(K) for s = +-1.
 * Everything is stored in the layout the hot products need (pre-transposed keys).
 */
import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';
import type { Separation } from '../separation.js';

/** x^d for a positive integer d by repeated squaring (exact for negative x, unlike a float pow). */
export function intPow(x: tf.Tensor, d: number): tf.Tensor {
  let result: tf.Tensor | null = null;
  let base = x;
  let e = d;
  while (e > 0) {
    if (e & 1) result = result ? tf.mul(result, base) : base;
    e >>= 1;
    if (e > 0) base = tf.mul(base, base);
  }
  return result ?? tf.onesLike(x);
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** What a {@link TransitionField} needs. */
export interface FieldSpec {
  /** Keys K [S, P, N] (copied). */
  keys: tf.Tensor3D;
  /** Targets T [S, P, N] (copied). */
  targets: tf.Tensor3D;
  separation: Separation;
  /** Exclude neuron i from its own overlap (divide by N - 1) or not (divide by N). */
  excludeSelf: boolean;
  /** True when every key entry is +-1 (plain patterns). */
  binaryKeys: boolean;
  /** True when the states this field sees are always +-1 (false for the MixedNet's averaged state). */
  binaryStates: boolean;
}

type Mode = 'plain' | 'two-point' | 'binomial' | 'exp-binary-keys' | 'exp-binary-states';

/** A precomputed field h(s) for one (keys, targets, f) triple. Owns its tensors. */
export class TransitionField {
  readonly neurons: number;
  private readonly keysT: tf.Tensor3D;
  private readonly weights: tf.Tensor3D[];
  private readonly mode: Mode;
  private readonly norm: number;
  private readonly separation: Separation;

  constructor(spec: FieldSpec) {
    const [, , n] = spec.keys.shape;
    this.neurons = n;
    this.separation = spec.separation;
    this.norm = spec.excludeSelf ? n - 1 : n;
    const { keys: k, targets: t } = spec;
    this.keysT = tf.tidy(() => tf.transpose(k, [0, 2, 1]));
    if (!spec.excludeSelf) {
      this.mode = 'plain';
      this.weights = [t.clone()];
    } else if (spec.binaryKeys && spec.binaryStates) {
      this.mode = 'two-point';
      this.weights = [t.clone(), tf.tidy(() => tf.mul(t, k))];
    } else if (spec.separation.kind === 'polynomial') {
      this.mode = 'binomial';
      const d = spec.separation.degree;
      // W_k = T * K^k; with binary keys K^k is 1 or K, so two matrices serve every k.
      const count = spec.binaryKeys ? Math.min(2, d + 1) : d + 1;
      this.weights = tf.tidy(() => {
        const out: tf.Tensor3D[] = [t.clone()];
        let kp: tf.Tensor = k;
        for (let i = 1; i < count; i++) {
          out.push(tf.mul(t, kp) as tf.Tensor3D);
          kp = tf.mul(kp, k);
        }
        return out;
      });
    } else if (spec.binaryKeys) {
      this.mode = 'exp-binary-keys';
      this.weights = [t.clone(), tf.tidy(() => tf.mul(t, k))];
    } else if (spec.binaryStates) {
      this.mode = 'exp-binary-states';
      this.weights = tf.tidy(() => [tf.mul(t, tf.cosh(k)), tf.mul(t, tf.sinh(k))]);
    } else {
      this.keysT.dispose();
      throw errors.invalidArgument('field', 'binary keys or binary states for the exponential separation', 'neither');
    }
  }

  private f(x: tf.Tensor): tf.Tensor {
    const s = this.separation;
    return s.kind === 'polynomial' ? intPow(x, s.degree) : tf.exp(tf.mul(x.sub(1), this.neurons - 1));
  }

  /** h for states s [S, B, N] (S = 1 shares the keys across the batch). Call inside tf.tidy. */
  field(s: tf.Tensor3D): tf.Tensor3D {
    const w = this.weights;
    const u = tf.div(tf.matMul(s, this.keysT), this.norm); // [S, B, P]
    const delta = 1 / this.norm;
    switch (this.mode) {
      case 'plain':
        return tf.matMul(this.f(u), w[0]!);
      case 'two-point': {
        const a = this.f(tf.sub(u, delta));
        const b = this.f(tf.add(u, delta));
        const even = tf.matMul(tf.add(a, b), w[0]!);
        const odd = tf.matMul(tf.sub(a, b), w[1]!);
        return tf.mul(tf.add(even, tf.mul(s, odd)), 0.5) as tf.Tensor3D;
      }
      case 'binomial': {
        const d = (this.separation as { degree: number }).degree;
        const negS = tf.mul(s, -delta);
        // powers u^0..u^d
        const up: tf.Tensor[] = [tf.onesLike(u)];
        for (let i = 1; i <= d; i++) up.push(i === 1 ? u : tf.mul(up[i - 1]!, u));
        let h: tf.Tensor = tf.matMul(up[d]!, w[0]!);
        let sp: tf.Tensor = tf.onesLike(s);
        for (let k = 1; k <= d; k++) {
          sp = tf.mul(sp, negS);
          const wk = (w.length === d + 1 ? w[k] : w[k % 2])!;
          h = tf.add(h, tf.mul(tf.mul(sp, binomial(d, k)), tf.matMul(up[d - k]!, wk)));
        }
        return h as tf.Tensor3D;
      }
      case 'exp-binary-keys': {
        // exp(-K s) = cosh(s) - K sinh(s) for K = +-1
        const e = this.f(u);
        return tf.sub(tf.mul(tf.cosh(s), tf.matMul(e, w[0]!)), tf.mul(tf.sinh(s), tf.matMul(e, w[1]!))) as tf.Tensor3D;
      }
      case 'exp-binary-states': {
        // exp(-K s) = cosh(K) - s sinh(K) for s = +-1
        const e = this.f(u);
        return tf.sub(tf.matMul(e, w[0]!), tf.mul(s, tf.matMul(e, w[1]!))) as tf.Tensor3D;
      }
    }
  }

  /** Frees the field's tensors. */
  dispose(): void {
    this.keysT.dispose();
    for (const w of this.weights) w.dispose();
  }
}

/** sgn with sgn(0) = +1, so states stay in {-1, +1}. */
export function binarySign(h: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.mul(tf.cast(tf.greaterEqual(h, 0), 'float32'), 2), 1));
}

/** Reference field with the explicit [S, B, P, N] tensor (for tests of the factorised one). */
export function naiveField(keys: tf.Tensor3D, targets: tf.Tensor3D, s: tf.Tensor3D, separation: Separation, excludeSelf: boolean): tf.Tensor3D {
  return tf.tidy(() => {
    const n = keys.shape[2];
    const norm = excludeSelf ? n - 1 : n;
    const full = tf.matMul(s, keys, false, true); // [S, B, P]
    let x: tf.Tensor = full.expandDims(3); // [S, B, P, 1]
    if (excludeSelf) x = tf.sub(x, tf.mul(keys.expandDims(1), s.expandDims(2))); // [S, B, P, N]
    x = tf.div(x, norm);
    const fx = separation.kind === 'polynomial' ? intPow(x, separation.degree) : tf.exp(tf.mul(tf.sub(x, 1), n - 1));
    return tf.sum(tf.mul(fx, targets.expandDims(1)), 2) as tf.Tensor3D;
  });
}
