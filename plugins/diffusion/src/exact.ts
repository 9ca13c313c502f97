/**
 * The exact (optimal) denoiser of a finite training set {xi_mu}, mu = 1..K: the
 * posterior mean under p_sigma = (1/K) sum_mu N(xi_mu, sigma^2 I),
 *
 *   D(x, sigma) = sum_mu softmax_mu(-||x - xi_mu||^2 / (2 sigma^2)) xi_mu,
 *
 * which is one modern-Hopfield update with beta = 1/sigma^2 (the -||x||^2 term is
 * the same for every mu and drops out of the softmax, leaving
 * beta (xi_mu . x - ||xi_mu||^2 / 2)). Its energy -log p_sigma(x) is a dense
 * associative-memory energy: sigma^2 (-log p_sigma) = ||x||^2/2 - sigma^2 lse_mu(...) + const.
 */
import * as tf from '@tensorflow/tfjs';
import { EnergyModel, errors, lagrangians, memorySynapse, type EngramModel, type JsonObject, type TensorInput } from '@engram/core';
import type { Denoiser } from './denoiser.js';
import { matrixInput, posNum } from './internal/validate.js';

/** Registered id of {@link ExactDenoiser}. */
export const EXACT_KIND = 'diffusion/exact';

/** Config of {@link ExactDenoiser}. */
export interface ExactDenoiserConfig {
  /** Stored patterns [K, dim] (the training set). When absent, `count` and `dim` give zero patterns to be filled by setWeights. */
  patterns?: TensorInput;
  /** K when `patterns` is absent. */
  count?: number;
  /** dim when `patterns` is absent. */
  dim?: number;
}

/** The optimal denoiser of a finite set: a modern Hopfield network with beta = 1/sigma^2. */
export class ExactDenoiser implements Denoiser, EngramModel {
  readonly kind = EXACT_KIND;
  readonly dim: number;
  readonly count: number;
  private xi: tf.Variable; // [K, D]
  private xiT: tf.Tensor2D; // [D, K]: the layout the hot product x Xi^T needs (no transposed matMul)
  private halfSq: tf.Tensor1D; // ||xi||^2 / 2, [K]
  private disposed = false;

  constructor(config: ExactDenoiserConfig) {
    let init: tf.Tensor2D;
    if (config.patterns !== undefined) init = matrixInput('patterns', config.patterns);
    else {
      const k = config.count;
      const d = config.dim;
      if (!Number.isInteger(k) || (k as number) < 1 || !Number.isInteger(d) || (d as number) < 1) {
        throw errors.invalidArgument('config', "{ patterns: [K, dim] } or { count: K, dim }", { count: k, dim: d });
      }
      init = tf.zeros([k as number, d as number]);
    }
    if (init.shape[0] < 1) {
      init.dispose();
      throw errors.invalidArgument('patterns', 'at least one pattern', 0);
    }
    this.count = init.shape[0];
    this.dim = init.shape[1];
    this.xi = tf.variable(init, false, undefined, 'float32');
    init.dispose();
    this.xiT = tf.transpose(this.xi as tf.Tensor2D);
    this.halfSq = tf.tidy(() => tf.mul(tf.sum(tf.square(this.xi), 1), 0.5));
  }

  /** The stored patterns [K, dim] (a live tensor; do not dispose). */
  get patterns(): tf.Tensor2D {
    return this.xi as tf.Tensor2D;
  }

  private check(x: tf.Tensor2D): void {
    if (this.disposed) throw errors.disposed('diffusion/exact denoiser');
    if (x.rank !== 2 || x.shape[1] !== this.dim) throw errors.shapeMismatch('denoiser input x', ['batch', this.dim], x.shape);
  }

  /** Hopfield logits beta (x . xi_mu - ||xi_mu||^2 / 2), [B, K]; sigma is a number or [B]. */
  private logits(x: tf.Tensor2D, sigma: number | tf.Tensor1D): tf.Tensor2D {
    const beta = typeof sigma === 'number' ? 1 / (posNum('sigma', sigma) ** 2) : tf.reshape(tf.reciprocal(tf.square(sigma)), [-1, 1]);
    return tf.mul(tf.sub(tf.matMul(x, this.xiT), this.halfSq), beta) as tf.Tensor2D;
  }

  /** D(x, sigma) = softmax(beta (x Xi^T - ||xi||^2/2)) Xi with beta = 1/sigma^2. */
  denoise(x: tf.Tensor2D, sigma: number | tf.Tensor1D): tf.Tensor2D {
    this.check(x);
    return tf.tidy(() => tf.matMul(tf.softmax(this.logits(x, sigma)), this.xi as tf.Tensor2D));
  }

  /** Posterior weights softmax_mu(-||x - xi_mu||^2 / 2 sigma^2), [B, K]. */
  posterior(x: tf.Tensor2D, sigma: number): tf.Tensor2D {
    this.check(x);
    return tf.tidy(() => tf.softmax(this.logits(x, sigma)));
  }

  /**
   * -log p_sigma(x) per sample, exactly (constants included):
   * -lse_mu(-||x - xi_mu||^2 / 2 sigma^2) + log K + (D/2) log(2 pi sigma^2).
   */
  energy(x: tf.Tensor2D, sigma: number): tf.Tensor1D {
    this.check(x);
    const s2 = posNum('sigma', sigma) ** 2;
    return tf.tidy(() => {
      const l = tf.sub(this.logits(x, sigma), tf.reshape(tf.mul(tf.sum(tf.square(x), 1), 0.5 / s2), [-1, 1]));
      const c = Math.log(this.count) + 0.5 * this.dim * Math.log(2 * Math.PI * s2);
      return tf.add(tf.neg(tf.logSumExp(l, 1)), c) as tf.Tensor1D;
    });
  }

  /**
   * The same memory as a core energy graph: one layer 'x' of size dim + 1 (identity
   * Lagrangian) and an lse memory synapse with beta = 1/sigma^2 on the augmented
   * patterns [xi_mu, -||xi_mu||^2 / 2], the extra unit held at 1. One descent step of
   * dt = 1 (tau = 1) maps x to -dE_mem/dg = D(x, sigma) in its first dim entries. The
   * caller owns (and disposes) the returned model.
   */
  toEnergyModel(sigma: number): EnergyModel {
    if (this.disposed) throw errors.disposed('diffusion/exact denoiser');
    const beta = 1 / posNum('sigma', sigma) ** 2;
    const aug = tf.tidy(() => tf.concat([this.xi, tf.reshape(tf.neg(this.halfSq), [-1, 1])], 1));
    try {
      const syn = memorySynapse({ memories: this.count, features: this.dim + 1, separation: 'lse', beta, patterns: aug });
      return new EnergyModel().addLayer('x', { shape: [this.dim + 1], lagrangian: lagrangians.identity() }).addSynapse('memory', syn, ['x']);
    } finally {
      aug.dispose();
    }
  }

  getConfig(): JsonObject {
    return { count: this.count, dim: this.dim };
  }

  getWeights(): Record<string, tf.Tensor> {
    return { patterns: this.xi };
  }

  setWeights(weights: Record<string, tf.Tensor>): void {
    const p = weights['patterns'];
    if (!p) throw errors.invalidArgument('weights', "an object with 'patterns'", Object.keys(weights));
    if (!tf.util.arraysEqual(p.shape, this.xi.shape)) throw errors.shapeMismatch('patterns', this.xi.shape, p.shape);
    const f = p.dtype === 'float32' ? p : p.toFloat();
    this.xi.assign(f);
    if (f !== p) f.dispose();
    this.xiT.dispose();
    this.halfSq.dispose();
    this.xiT = tf.transpose(this.xi as tf.Tensor2D);
    this.halfSq = tf.tidy(() => tf.mul(tf.sum(tf.square(this.xi), 1), 0.5));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.xi.dispose();
    this.xiT.dispose();
    this.halfSq.dispose();
  }
}
