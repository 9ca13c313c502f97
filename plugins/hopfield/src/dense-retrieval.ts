/**
 * The hot path of softmax dense-AM retrieval, X <- softmax(beta X M^T) M,
 * with the memory matrix kept in BOTH layouts the two products need, because
 * tfjs-wasm's matMul with a transposed operand is ~10x slower than with a
 * pre-transposed one (see ARCHITECTURE.md, "Backends and performance"), and
 * split into blocks of memories (faster on wasm than one K-wide product).
 */
import * as tf from '@tensorflow/tfjs';
import { errors, type TensorInput } from '@engram/core';
import { checkAlive, checkNonNegativeInt, checkPositive, checkPositiveInt, toMatrix } from './internal/validate.js';

/** Options of {@link denseRetrieval}. */
export interface DenseRetrievalOptions {
  /** Inverse temperature beta (default 1). */
  beta?: number;
  /** Number of updates (default 1). */
  steps?: number;
  /** Memories per block (see {@link DenseRetrieverOptions}; default 1024). */
  blockSize?: number;
}

/** Options of {@link DenseRetriever}. */
export interface DenseRetrieverOptions {
  /** Inverse temperature beta (default 1). */
  beta?: number;
  /**
   * Memories per block (default 1024). Both products run block by block:
   * measured on tfjs-wasm here, a product whose inner or outer dimension is
   * K = 10,000 runs at about half the speed of the same work in blocks of ~1,000.
   */
  blockSize?: number;
}

/**
 * Memories prepared for fast retrieval: stored in blocks of `blockSize`
 * rows, each block in both layouts the two products need, [c, D] (right
 * operand of p @ M) and [D, c] (right operand of x @ M^T), so no product
 * transposes on the fly.
 *
 * @example
 * const r = new DenseRetriever(memories, { beta: 1 });    // [K, D]
 * const out = r.retrieve(queries, 5);                     // [B, D], caller disposes
 * r.dispose();
 */
export class DenseRetriever {
  /** Inverse temperature. */
  readonly beta: number;
  /** Memories per block. */
  readonly blockSize: number;
  /** Number of memories K. */
  readonly count: number;
  /** Dimension D. */
  readonly dim: number;
  private readonly blocks: tf.Tensor2D[] = [];
  private readonly blocksT: tf.Tensor2D[] = [];
  private disposed = false;

  constructor(memories: TensorInput, options: DenseRetrieverOptions = {}) {
    this.beta = checkPositive('beta', options.beta ?? 1);
    this.blockSize = checkPositiveInt('blockSize', options.blockSize ?? 1024);
    const m = toMatrix('memories', memories);
    [this.count, this.dim] = m.shape;
    try {
      for (let start = 0; start < this.count; start += this.blockSize) {
        const size = Math.min(this.blockSize, this.count - start);
        const block = tf.slice(m, [start, 0], [size, this.dim]) as tf.Tensor2D;
        this.blocks.push(block);
        this.blocksT.push(tf.tidy(() => tf.transpose(block).clone()) as tf.Tensor2D);
      }
    } finally {
      m.dispose();
    }
  }

  /** Number of blocks. */
  get blockCount(): number {
    return this.blocks.length;
  }

  /** Softmax association weights p = softmax(beta x M^T), [B, K] (new tensor). */
  association(x: tf.Tensor2D): tf.Tensor2D {
    checkAlive(this.disposed, 'DenseRetriever');
    return tf.tidy(() => {
      const scores = this.blocksT.map((bt) => tf.matMul(x, bt));
      return tf.softmax(tf.mul(scores.length === 1 ? scores[0]! : tf.concat(scores, 1), this.beta));
    }) as tf.Tensor2D;
  }

  /** One update x <- softmax(beta x M^T) M (new tensor). */
  update(x: tf.Tensor2D): tf.Tensor2D {
    checkAlive(this.disposed, 'DenseRetriever');
    return tf.tidy(() => {
      const p = this.association(x);
      if (this.blocks.length === 1) return tf.matMul(p, this.blocks[0]!);
      const parts = tf.split(p, this.blocks.map((b) => b.shape[0]), 1);
      return tf.addN(parts.map((pc, i) => tf.matMul(pc, this.blocks[i]!)));
    }) as tf.Tensor2D;
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

  /** Frees every block. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([...this.blocks, ...this.blocksT]);
  }
}

/**
 * One-shot dense-AM retrieval: `steps` updates X <- softmax(beta X M^T) M of
 * `queries` [B, D] against `memories` [K, D]. Returns [B, D] (caller owns it).
 * For repeated calls on the same memories keep a {@link DenseRetriever}.
 */
export function denseRetrieval(memories: TensorInput, queries: TensorInput, options: DenseRetrievalOptions = {}): tf.Tensor2D {
  const r = new DenseRetriever(memories, { beta: options.beta ?? 1, blockSize: options.blockSize });
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
