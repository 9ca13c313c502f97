/**
 * Small numerical ops that engram uses everywhere, written so that they are
 * numerically stable and correct at first AND second order (they are
 * differentiated twice when training through unrolled dynamics). They rely on
 * {@link installGradientFixes} (installed by `initBackend`, and on import of this
 * module) and avoid tfjs ops whose second-order gradient cannot be fixed
 * (`tf.logSoftmax`, `tf.losses.softmaxCrossEntropy`).
 */
import * as tf from '@tensorflow/tfjs';
import { invalidArgument } from '../errors/factories.js';
import { fusedLayerNorm } from './fused-layer-norm.js';
import { fusedAxpby } from './fused-axpby.js';
import { fusedLogSumExp } from './fused-log-sum-exp.js';
import { fusedSoftmaxAndLogSumExp } from './fused-softmax-lse.js';
import { installGradientFixes } from './gradient-fixes.js';

installGradientFixes();

export { headAttention, type HeadAttentionOptions, type HeadAttentionResult } from './head-attention.js';

/** Normalises `axis` (one or several, negative counting from the end) against `rank`, sorted, unique. */
export function normalizeAxes(axis: number | readonly number[], rank: number): number[] {
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw invalidArgument('axis', `an integer in [${-rank}, ${rank - 1}] for a tensor of rank ${rank}`, a);
    }
    return a < 0 ? a + rank : a;
  });
  return [...new Set(out)].sort((p, q) => p - q);
}

/** The axes of a rank-`rank` batched tensor other than the batch axis 0: [1, ..., rank-1]. */
export function sampleAxes(rank: number): number[] {
  return Array.from({ length: Math.max(rank - 1, 0) }, (_, i) => i + 1);
}

/**
 * A tensor with x's values that autodiff treats as a constant (no tape node
 * links it to x): x's data shared by reference count (as Reshape does; the
 * Identity kernel, a copy on wasm, where the backend has no incRef), wrapped
 * as a new tensor. Undefined when that is not possible (x on another backend
 * than the active one): the caller then keeps the plain path.
 */
function constantCopy(x: tf.Tensor): tf.Tensor | undefined {
  const engine = tf.engine() as unknown as {
    backend: tf.KernelBackend & { incRef?(dataId: tf.DataId): void };
    backendName: string;
    state: { tensorInfo: { get(id: tf.DataId): { backend: tf.KernelBackend } | undefined } };
    makeTensorFromTensorInfo(info: tf.TensorInfo, backend?: tf.KernelBackend): tf.Tensor;
  };
  const backend = engine.backend;
  if (engine.state?.tensorInfo?.get(x.dataId)?.backend !== backend) return undefined;
  if (typeof backend.incRef === 'function') {
    backend.incRef(x.dataId);
    return engine.makeTensorFromTensorInfo({ dataId: x.dataId, shape: [...x.shape], dtype: x.dtype });
  }
  const kernel = tf.getKernel('Identity', engine.backendName);
  if (!kernel) return undefined;
  const info = kernel.kernelFunc({ inputs: { x } as unknown as tf.NamedTensorInfoMap, backend, attrs: {} }) as tf.TensorInfo;
  return engine.makeTensorFromTensorInfo(info);
}

/**
 * Stable log(sum(exp(x))) along `axis` (default: last): m + log(sum(exp(x - m)))
 * with m = max(x). Exact at every order of differentiation.
 *
 * The shift m is a constant for autodiff: lse does not depend on it (its
 * derivatives through the two places m appears cancel exactly), so
 * differentiating through tf.max only cost time: its gradient builds an
 * Equal mask with broadcasting, measured at 29% of an autodiff descent. The
 * gradient is softmax(x), read only from x, so second order stays right.
 * Over trailing axes on the native path it is one fused kernel (see
 * fused-log-sum-exp.ts) with the same gradient.
 */
export function logSumExp(x: tf.Tensor, axis: number | readonly number[] = -1, keepDims = false): tf.Tensor {
  return tf.tidy(() => {
    const axes = normalizeAxes(axis, x.rank);
    // Trailing axes: one kernel where the backend has it (the native path), same values and gradients.
    const trailing = axes.every((a, i) => a === x.rank - axes.length + i);
    const fused = trailing ? fusedLogSumExp(x, axes.length) : undefined;
    if (fused) return keepDims ? tf.reshape(fused, x.shape.map((s, i) => (axes.includes(i) ? 1 : s))) : fused;
    const m = tf.max(constantCopy(x) ?? x, axes, true);
    const lse = tf.add(tf.log(tf.sum(tf.exp(tf.sub(x, m)), axes, true)), m);
    return keepDims ? lse : tf.squeeze(lse, axes);
  });
}

/**
 * The statistics of a layer norm over the last axis: x - mean(x) and
 * sqrt(var(x) + eps) with the biased variance (torch's nn.LayerNorm). The one
 * formula behind {@link layerNorm} and core's layernorm Lagrangian.
 */
export function layerNormStats(x: tf.Tensor, eps = 1e-5): { centered: tf.Tensor; std: tf.Tensor } {
  const centered = tf.sub(x, tf.mean(x, -1, true));
  const std = tf.sqrt(tf.add(tf.mean(tf.square(centered), -1, true), eps));
  return { centered, std };
}

/**
 * Layer normalisation over the last axis, (x - mean) / sqrt(var + eps), then
 * `* gamma + beta` when given (per entry of the last axis, or scalars): what
 * torch's nn.LayerNorm computes. Differentiable at any order.
 */
export function layerNorm(x: tf.Tensor, gamma?: tf.Tensor | number, beta?: tf.Tensor | number, eps = 1e-5): tf.Tensor {
  // A negative eps makes sqrt(var + eps) NaN for near-constant rows: refuse it rather than return NaN.
  if (!(Number.isFinite(eps) && eps >= 0)) throw invalidArgument('layerNorm eps', "a finite number >= 0 (torch's default is 1e-5)", eps);
  return tf.tidy(() => {
    // One kernel where the backend has it (the native path), same values and gradients.
    let y = fusedLayerNorm(x, eps);
    if (!y) {
      const { centered, std } = layerNormStats(x, eps);
      y = tf.div(centered, std);
    }
    if (gamma !== undefined) y = tf.mul(y, gamma);
    if (beta !== undefined) y = tf.add(y, beta);
    return y;
  });
}

/** Softmax along `axis` (default: last); any axis, correct at second order. */
export function softmax(x: tf.Tensor, axis = -1): tf.Tensor {
  const [a] = normalizeAxes(axis, x.rank) as [number];
  // tf.softmax (the Softmax kernel) only works on the last axis.
  if (a === x.rank - 1) return tf.softmax(x, a);
  return tf.tidy(() => tf.exp(tf.sub(x, logSumExp(x, a, true))));
}

/**
 * softmax(x) and logSumExp(x) over the last axis together: the update
 * direction and the energy of a modern Hopfield state. One kernel on the
 * native path (one pass over x fewer than computing them apart); the two ops
 * elsewhere. Exact at every order of differentiation.
 */
export function softmaxAndLogSumExp(x: tf.Tensor): { softmax: tf.Tensor; lse: tf.Tensor } {
  const fused = fusedSoftmaxAndLogSumExp(x);
  if (fused) return { softmax: fused[0], lse: fused[1] };
  return { softmax: softmax(x), lse: logSumExp(x) };
}

/**
 * a x + b y for x, y of one shape (BLAS's axpby): one kernel on the native path
 * for float32 operands, the composed mul/add elsewhere (a = 1 skips its multiply).
 * Exact at every order of differentiation.
 */
export function axpby(a: number, x: tf.Tensor, b: number, y: tf.Tensor): tf.Tensor {
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw invalidArgument('axpby coefficients', 'finite numbers', [a, b]);
  if (!tf.util.arraysEqual(x.shape, y.shape)) throw invalidArgument('axpby operands', `two tensors of one shape (x is [${x.shape.join(', ')}])`, y.shape);
  const fused = fusedAxpby(a, x, b, y);
  if (fused) return fused;
  return tf.tidy(() => tf.add(a === 1 ? x : tf.mul(x, a), tf.mul(y, b)));
}

/** log(softmax(x)) along `axis` (default: last). Use instead of tf.logSoftmax, which is wrong at second order. */
export function logSoftmax(x: tf.Tensor, axis = -1): tf.Tensor {
  return tf.tidy(() => tf.sub(x, logSumExp(x, axis, true)));
}

/**
 * Stable log(cosh(x)) elementwise: |x| + softplus(-2|x|) - log 2. Its derivative is
 * tanh(x); it never overflows (cosh does for |x| > ~89 in float32).
 */
export function logCosh(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const a = tf.abs(x);
    return tf.sub(tf.add(a, tf.softplus(tf.mul(a, -2))), Math.LN2);
  });
}

/** Sum over every axis but the first: [batch, ...] -> [batch]. A rank-1 input is returned reshaped (a new tensor). */
export function sumPerSample(x: tf.Tensor): tf.Tensor1D {
  if (x.rank === 0) throw invalidArgument('x.rank', 'at least 1 (a batched tensor [batch, ...])', x.rank);
  if (x.rank === 1) return tf.reshape(x, [x.shape[0] as number]);
  return tf.sum(x, sampleAxes(x.rank));
}

/** Mean over every axis but the first: [batch, ...] -> [batch]. */
export function meanPerSample(x: tf.Tensor): tf.Tensor1D {
  if (x.rank === 0) throw invalidArgument('x.rank', 'at least 1 (a batched tensor [batch, ...])', x.rank);
  if (x.rank === 1) return tf.reshape(x, [x.shape[0] as number]);
  return tf.mean(x, sampleAxes(x.rank));
}

/** Per-sample inner product <a, b> over every axis but the first: [batch, ...] x [batch, ...] -> [batch]. */
export function dotPerSample(a: tf.Tensor, b: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => sumPerSample(tf.mul(a, b)));
}

/**
 * The vector-Jacobian product of f at `inputs` with `dy`, by running f again
 * under a gradient tape, from inside another gradient's backward pass.
 *
 * tfjs 4.22 keeps ONE tape: a gradient started while no other is being
 * recorded (the outer backward pass of first-order training) replaces the
 * tape and sets it to null when done, which breaks the outer gradient's
 * clean-up ("activeTape is null"). The outer tape is put back afterwards. When
 * the outer backward pass is itself recorded (second order), the inner
 * gradient records into that same tape, which is what lets it be
 * differentiated again; putting it back is then a no-op.
 */
function recomputeGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], dy: tf.Tensor): tf.Tensor[] {
  const state = (tf.engine() as unknown as { state: { activeTape: unknown } }).state;
  const outer = state.activeTape;
  try {
    return tf.grads((...zs: tf.Tensor[]) => f(...zs))(inputs, dy);
  } finally {
    state.activeTape = outer;
  }
}

/**
 * Gradient checkpointing: `checkpoint(f)` computes the same values as `f`, but
 * the backward pass keeps only f's inputs and recomputes f's intermediates
 * (one more forward of f) instead of holding them from the forward pass.
 *
 * Trade-off: through an unrolled descent of T steps, `x => checkpoint(step)(x,
 * ...weights)` holds T step inputs plus ONE step's intermediates at a time,
 * instead of T steps' intermediates, for about one extra forward pass of time
 * (measured on the bench's ET train step: see bench/README.md).
 *
 * Gradients flow to the tensors passed as arguments ONLY: pass every tensor f
 * reads that needs a gradient (weights included), not through a closure.
 * Second order works (the recomputation is itself recorded when a gradient of
 * the gradient is taken; finite-difference tests in test/numerics).
 */
export function checkpoint<T extends tf.Tensor>(f: (...xs: tf.Tensor[]) => T): (...xs: tf.Tensor[]) => T {
  return (...xs: tf.Tensor[]): T => {
    if (xs.length === 0) throw invalidArgument('checkpoint inputs', 'at least one tensor', 0);
    const run = tf.customGrad((...args: unknown[]) => {
      const inputs = args.slice(0, xs.length) as tf.Tensor[];
      const save = args[xs.length] as (tensors: tf.Tensor[]) => void;
      // Kept for the backward pass (the caller may dispose its own handles, e.g. a tidy around a loop).
      save(inputs);
      return {
        // customGrad's forward runs with the tape off: nothing inside f is kept for the backward pass.
        value: tf.tidy(() => f(...inputs)),
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => recomputeGrads(f, saved, Array.isArray(dy) ? dy[0]! : dy),
      };
    });
    return run(...xs) as T;
  };
}
