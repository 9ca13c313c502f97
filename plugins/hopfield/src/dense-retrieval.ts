/**
 * The hot path of softmax dense-AM retrieval, X <- softmax(beta X M^T) M,
 * with the memory matrix kept in BOTH layouts the two products need, because
 * tfjs-wasm's matMul with a transposed operand is ~10x slower than with a
 * pre-transposed one (see ARCHITECTURE.md, "Backends and performance").
 */
import * as tf from '@tensorflow/tfjs';
import { errors, type TensorInput } from '@engram/core';
import { checkAlive, checkPositive, checkNonNegativeInt, toMatrix } from './internal/validate.js';

/** Options of {@link denseRetrieval} and {@link DenseRetriever}. */
export interface DenseRetrievalOptions {
  /** Inverse temperature beta (default 1). */
  beta?: number;
  /** Number of updates (default 1). */
  steps?: number;
}

/**
 * Memories prepared for fast retrieval: `memories` [K, D] (right operand of
 * p @ M) and `memoriesT` [D, K] (right operand of x @ M^T), so no product
 * transposes on the fly.
 *
 * @example
 * const r = new DenseRetriever(memories, { beta: 1 });    // [K, D]
 * const out = r.retrieve(queries, 5);                     // [B, D], caller disposes
 * r.dispose();
 */
export class DenseRetriever {
  /** Memories [K, D]. */
  readonly memories: tf.Tensor2D;
  /** Memories transposed [D, K]. */
  readonly memoriesT: tf.Tensor2D;
  /** Inverse temperature. */
  readonly beta: number;
  private disposed = false;

  constructor(memories: TensorInput, options: { beta?: number } = {}) {
    this.beta = checkPositive('beta', options.beta ?? 1);
    this.memories = toMatrix('memories', memories);
    this.memoriesT = tf.tidy(() => tf.transpose(this.memories).clone()) as tf.Tensor2D;
  }

  /** Number of memories K. */
  get count(): number {
    return this.memories.shape[0];
  }

  /** Dimension D. */
  get dim(): number {
    return this.memories.shape[1];
  }

  /** Softmax association weights p = softmax(beta x M^T), [B, K] (new tensor). */
  association(x: tf.Tensor2D): tf.Tensor2D {
    checkAlive(this.disposed, 'DenseRetriever');
    return tf.tidy(() => tf.softmax(tf.mul(tf.matMul(x, this.memoriesT), this.beta))) as tf.Tensor2D;
  }

  /** One update x <- softmax(beta x M^T) M (new tensor). */
  update(x: tf.Tensor2D): tf.Tensor2D {
    checkAlive(this.disposed, 'DenseRetriever');
    return tf.tidy(() => tf.matMul(this.association(x), this.memories)) as tf.Tensor2D;
  }

  /** `steps` updates from `queries` [B, D]; returns the final state [B, D] (caller owns it). */
  retrieve(queries: TensorInput, steps = 1): tf.Tensor2D {
    checkAlive(this.disposed, 'DenseRetriever');
    checkNonNegativeInt('steps', steps);
    const q = toMatrix('queries', queries);
    if (q.shape[1] !== this.dim) {
      q.dispose();
      throw errors.shapeMismatch('queries', ['B', this.dim], q.shape);
    }
    let x = q;
    for (let i = 0; i < steps; i++) {
      const next = this.update(x);
      x.dispose();
      x = next;
    }
    return x;
  }

  /** Frees both layouts. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.memories.dispose();
    this.memoriesT.dispose();
  }
}

/**
 * One-shot dense-AM retrieval: `steps` updates X <- softmax(beta X M^T) M of
 * `queries` [B, D] against `memories` [K, D]. Returns [B, D] (caller owns it).
 * For repeated calls on the same memories keep a {@link DenseRetriever}.
 */
export function denseRetrieval(memories: TensorInput, queries: TensorInput, options: DenseRetrievalOptions = {}): tf.Tensor2D {
  const r = new DenseRetriever(memories, { beta: options.beta ?? 1 });
  try {
    return r.retrieve(queries, options.steps ?? 1);
  } finally {
    r.dispose();
  }
}

/** Floating-point operations of {@link denseRetrieval}: two products of 2*B*K*D per update (softmax not counted). */
export function denseRetrievalFlops(count: number, dim: number, batch: number, steps: number): number {
  return 4 * batch * count * dim * steps;
}
