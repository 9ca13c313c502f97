/**
 * Random feature maps for DrDAM (Hoover et al. 2024): phi(x) . phi(y)
 * approximates the Gaussian kernel exp(-beta/2 ||x - y||^2), with random
 * projections w_j ~ N(0, beta I) (stored as sqrt(beta) S, S ~ N(0, I)).
 *
 * - 'sincos': phi = 1/sqrt(Y) [cos(h), sin(h)], h = sqrt(beta) x S^T (length 2Y);
 * - 'cos':    phi = sqrt(2/Y) cos(h + b), b ~ U[0, 2 pi) (length Y);
 * - 'positive': phi = 1/sqrt(Y) exp(h - beta ||x||^2) (length Y, every entry > 0,
 *   the Performer-style map).
 */
import * as tf from '@tensorflow/tfjs';
import { hostSinCos } from './internal/sincos.js';

/** The feature maps DrDAM offers. */
export type FeatureMapKind = 'sincos' | 'cos' | 'positive';

/** All kinds, for validation and listings. */
export const FEATURE_MAP_KINDS: readonly FeatureMapKind[] = ['sincos', 'cos', 'positive'];

/** Length of the feature vector T for Y random projections. */
export function featureLength(kind: FeatureMapKind, projections: number): number {
  return kind === 'sincos' ? 2 * projections : projections;
}

/** The random parameters of a feature map: ST [D, Y] (= S^T), S [Y, D] and b [Y]. */
export interface FeatureParams {
  kind: FeatureMapKind;
  beta: number;
  /** S^T, [D, Y]: right operand of x @ S^T (no transposed product on the hot path). */
  st: tf.Tensor2D;
  /** S, [Y, D]: right operand of the gradient's G @ S. */
  s: tf.Tensor2D;
  /** Phases b [Y] (used by 'cos'). */
  b: tf.Tensor1D;
}

/** Pre-activations h = sqrt(beta) x S^T (+ b for 'cos'), [B, Y]. */
function preact(p: FeatureParams, x: tf.Tensor2D): tf.Tensor2D {
  const h = tf.mul(tf.matMul(x, p.st), Math.sqrt(p.beta));
  return (p.kind === 'cos' ? tf.add(h, p.b) : h) as tf.Tensor2D;
}

/** cos and sin of h: tf ops when gradients are needed, the faster host path otherwise. */
function cosSin(h: tf.Tensor, differentiable: boolean): [tf.Tensor, tf.Tensor] {
  return differentiable ? [tf.cos(h), tf.sin(h)] : hostSinCos(h);
}

/**
 * phi(x), [B, featureLength] (new tensor). With `differentiable` (default
 * true) only tf ops are used, so tf.grad works through it; false takes the
 * faster host trigonometry.
 */
export function phi(p: FeatureParams, x: tf.Tensor2D, differentiable = true): tf.Tensor2D {
  return tf.tidy(() => {
    const y = p.st.shape[1];
    const h = preact(p, x);
    if (p.kind === 'sincos') return tf.mul(tf.concat(cosSin(h, differentiable), 1), 1 / Math.sqrt(y));
    if (p.kind === 'cos') return tf.mul(cosSin(h, differentiable)[0], Math.sqrt(2 / y));
    const sq = tf.sum(tf.square(x), 1, true);
    return tf.mul(tf.exp(tf.sub(h, tf.mul(sq, p.beta))), 1 / Math.sqrt(y));
  }) as tf.Tensor2D;
}

/**
 * u(x) = phi(x) . T and its gradient du/dx, computed in closed form so that
 * both products use the stored layouts (autodiff would multiply by S^T
 * transposed), with the host trigonometry (not differentiable).
 */
export function kernelSumAndGrad(p: FeatureParams, x: tf.Tensor2D, t: tf.Tensor1D): { u: tf.Tensor1D; du: tf.Tensor2D } {
  return tf.tidy(() => {
    const y = p.st.shape[1];
    const h = preact(p, x);
    const sb = Math.sqrt(p.beta);
    if (p.kind === 'sincos') {
      const [tc, ts] = tf.split(t, 2);
      const [c, s] = hostSinCos(h);
      const k = 1 / Math.sqrt(y);
      const u = tf.mul(tf.sum(tf.add(tf.mul(c, tc!), tf.mul(s, ts!)), 1), k);
      // d/dh [cos h . Tc + sin h . Ts] = -sin h * Tc + cos h * Ts
      const g = tf.mul(tf.sub(tf.mul(c, ts!), tf.mul(s, tc!)), k * sb);
      return { u: u as tf.Tensor1D, du: tf.matMul(g, p.s) as tf.Tensor2D };
    }
    if (p.kind === 'cos') {
      const k = Math.sqrt(2 / y);
      const [c, s] = hostSinCos(h);
      const u = tf.mul(tf.sum(tf.mul(c, t), 1), k);
      const g = tf.mul(tf.mul(s, t), -k * sb);
      return { u: u as tf.Tensor1D, du: tf.matMul(g, p.s) as tf.Tensor2D };
    }
    const sq = tf.sum(tf.square(x), 1, true);
    const f = tf.mul(tf.mul(tf.exp(tf.sub(h, tf.mul(sq, p.beta))), t), 1 / Math.sqrt(y)); // phi_j T_j
    const u = tf.sum(f, 1);
    // du/dx = sqrt(beta) (phi . T) S - 2 beta x u
    const du = tf.sub(tf.mul(tf.matMul(f, p.s), sb), tf.mul(tf.mul(x, u.reshape([-1, 1])), 2 * p.beta));
    return { u: u as tf.Tensor1D, du: du as tf.Tensor2D };
  });
}
