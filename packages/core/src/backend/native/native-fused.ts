/**
 * The wasm implementations of core's fused kernels (numerics/fused-log-sum-exp.ts,
 * numerics/fused-softmax-lse.ts, numerics/fused-axpby.ts, numerics/difference-stats.ts, numerics/fused-layer-norm.ts, numerics/fused-backward.ts,
 * numerics/head-attention.ts) on the addon's vectorised row kernels and its
 * strided per-head products.
 * Registered while the native path is on; without them core composes the ops
 * from stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { RELU_GRAD_KERNEL, SOFTMAX_GRAD_KERNEL } from '../../numerics/fused-backward.js';
import { HEAD_ATTENTION_GRAD_KERNEL, HEAD_ATTENTION_KERNEL, headAttentionGradConfig, type HeadAttentionAttrs } from '../../numerics/head-attention.js';
import { LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL, layerNormGradConfig, type LayerNormAttrs } from '../../numerics/fused-layer-norm.js';
import { AXPBY_KERNEL, axpbyGradConfig, type AxpbyAttrs } from '../../numerics/fused-axpby.js';
import { DIFFERENCE_STATS_KERNEL } from '../../numerics/difference-stats.js';
import { LOG_SUM_EXP_GRAD_KERNEL, LOG_SUM_EXP_KERNEL, logSumExpGradConfig, type LogSumExpAttrs } from '../../numerics/fused-log-sum-exp.js';
import { SOFTMAX_LOG_SUM_EXP_KERNEL, softmaxLogSumExpGradConfig } from '../../numerics/fused-softmax-lse.js';
import type { NativeBinding } from './binding.js';
import { heap, isWasmBackendLike, offsetOf, sizeOf, withOutputs, type Info, type WasmBackendLike } from './heap.js';

function logSumExp(binding: NativeBinding): tf.KernelFunc {
  return (args) => {
    const backend = args.backend;
    const { x } = args.inputs as unknown as { x: Info };
    const { axes } = args.attrs as unknown as LogSumExpAttrs;
    if (!isWasmBackendLike(backend) || !binding.logSumExpRows) throw new Error(`${LOG_SUM_EXP_KERNEL} needs the native wasm path`);
    const kept = x.shape.slice(0, x.shape.length - axes);
    const rows = sizeOf(kept);
    return withOutputs(backend, [kept], ([out]) => binding.logSumExpRows!(heap(backend), offsetOf(backend, x), offsetOf(backend, out!), rows, rows === 0 ? 0 : sizeOf(x.shape) / rows))[0]!;
  };
}

/** A shape as the row kernels see it: rows of its last axis (0 rows for an empty last axis). */
function lastAxisRows(shape: readonly number[]): { rows: number; cols: number } {
  const cols = shape[shape.length - 1]!;
  return { rows: cols === 0 ? 0 : sizeOf(shape) / cols, cols };
}

/** dx = softmax(x) dy over the forward's rows (first order only: see fused-log-sum-exp.ts). */
function logSumExpGrad(binding: NativeBinding): tf.KernelFunc {
  return (args) => {
    const backend = args.backend;
    const { x, dy } = args.inputs as unknown as { x: Info; dy: Info };
    const { axes } = args.attrs as unknown as LogSumExpAttrs;
    if (!isWasmBackendLike(backend) || !binding.lseGradRows) throw new Error(`${LOG_SUM_EXP_GRAD_KERNEL} needs the native wasm path`);
    const rows = sizeOf(x.shape.slice(0, x.shape.length - axes));
    return withOutputs(backend, [x.shape], ([out]) =>
      binding.lseGradRows!(heap(backend), offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, out!), rows, rows === 0 ? 0 : sizeOf(x.shape) / rows),
    )[0]!;
  };
}

/** [softmax, lse] over the last axis from one max and sum per row. */
function softmaxLogSumExp(binding: NativeBinding): tf.KernelFunc {
  return (args) => {
    const backend = args.backend;
    const { x } = args.inputs as unknown as { x: Info };
    if (!isWasmBackendLike(backend) || !binding.softmaxLseRows) throw new Error(`${SOFTMAX_LOG_SUM_EXP_KERNEL} needs the native wasm path`);
    const { rows, cols } = lastAxisRows(x.shape);
    return withOutputs(backend, [x.shape, x.shape.slice(0, -1)], ([y, lse]) => binding.softmaxLseRows!(heap(backend), offsetOf(backend, x), offsetOf(backend, y!), offsetOf(backend, lse!), rows, cols));
  };
}

/** a x + b y elementwise (operands of one shape: fused-axpby.ts checks). */
function axpby(binding: NativeBinding): tf.KernelFunc {
  return (args) => {
    const backend = args.backend;
    const { x, y } = args.inputs as unknown as { x: Info; y: Info };
    const { a, b } = args.attrs as unknown as AxpbyAttrs;
    if (!isWasmBackendLike(backend) || !binding.axpby) throw new Error(`${AXPBY_KERNEL} needs the native wasm path`);
    return withOutputs(backend, [x.shape], ([out]) => binding.axpby!(heap(backend), a, offsetOf(backend, x), b, offsetOf(backend, y), offsetOf(backend, out!), sizeOf(x.shape)))[0]!;
  };
}

/** [max |a - b|, sum (a - b)] (operands of one shape: difference-stats.ts checks). */
function differenceStats(binding: NativeBinding): tf.KernelFunc {
  return (args) => {
    const backend = args.backend;
    const { a, b } = args.inputs as unknown as { a: Info; b: Info };
    if (!isWasmBackendLike(backend) || !binding.diffStats) throw new Error(`${DIFFERENCE_STATS_KERNEL} needs the native wasm path`);
    return withOutputs(backend, [[2]], ([out]) => binding.diffStats!(heap(backend), offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out!), sizeOf(a.shape)))[0]!;
  };
}

function layerNorm(binding: NativeBinding): tf.KernelFunc {
  return (args) => {
    const backend = args.backend;
    const { x } = args.inputs as unknown as { x: Info };
    const { eps } = args.attrs as unknown as LayerNormAttrs;
    if (!isWasmBackendLike(backend) || !binding.layerNormRows) throw new Error(`${LAYER_NORM_KERNEL} needs the native wasm path`);
    const { rows, cols } = lastAxisRows(x.shape);
    return withOutputs(backend, [x.shape, x.shape.slice(0, -1)], ([y, rstd]) =>
      binding.layerNormRows!(heap(backend), offsetOf(backend, x), offsetOf(backend, y!), offsetOf(backend, rstd!), rows, cols, eps),
    );
  };
}

/** Layer norm's first-order gradient from its saved y and rstd, one pass per row (see fused-layer-norm.ts). */
function layerNormGrad(binding: NativeBinding): tf.KernelFunc {
  return (args) => {
    const backend = args.backend;
    const { dy, y, rstd } = args.inputs as unknown as { dy: Info; y: Info; rstd: Info };
    if (!isWasmBackendLike(backend) || !binding.layerNormGradRows) throw new Error(`${LAYER_NORM_GRAD_KERNEL} needs the native wasm path`);
    const { rows, cols } = lastAxisRows(y.shape);
    return withOutputs(backend, [y.shape], ([out]) =>
      binding.layerNormGradRows!(heap(backend), offsetOf(backend, dy), offsetOf(backend, y), offsetOf(backend, rstd), offsetOf(backend, out!), rows, cols),
    )[0]!;
  };
}

/** dy * step(x) in one pass (addon binary op 4). */
function reluGrad(binding: NativeBinding): tf.KernelFunc {
  return (args) => {
    const backend = args.backend;
    const { dy, x } = args.inputs as unknown as { dy: Info; x: Info };
    if (!isWasmBackendLike(backend)) throw new Error(`${RELU_GRAD_KERNEL} needs the native wasm path`);
    const n = sizeOf(x.shape);
    return withOutputs(backend, [x.shape], ([out]) => binding.binary(4, heap(backend), offsetOf(backend, dy), n, offsetOf(backend, x), n, offsetOf(backend, out!), n))[0]!;
  };
}

/** Softmax's gradient over the last axis from its output, one pass per row. */
function softmaxGrad(binding: NativeBinding): tf.KernelFunc {
  return (args) => {
    const backend = args.backend;
    const { dy, y } = args.inputs as unknown as { dy: Info; y: Info };
    if (!isWasmBackendLike(backend) || !binding.softmaxGradRows) throw new Error(`${SOFTMAX_GRAD_KERNEL} needs the native wasm path`);
    const { rows, cols } = lastAxisRows(y.shape);
    return withOutputs(backend, [y.shape], ([out]) => binding.softmaxGradRows!(heap(backend), offsetOf(backend, dy), offsetOf(backend, y), offsetOf(backend, out!), rows, cols))[0]!;
  };
}

/** The mask's offset and batch (1 or B) for the attention kernels; -1 when unmasked. */
function maskArgs(backend: WasmBackendLike, logMask: Info, masked: boolean, N: number): [number, number] {
  return masked ? [offsetOf(backend, logMask), sizeOf(logMask.shape) / (N * N)] : [-1, 1];
}

/** The attention pulls of token-major q, k (numerics/head-attention.ts), every head's products in place. */
function headAttention(binding: NativeBinding): tf.KernelFunc {
  return (args) => {
    const backend = args.backend;
    const { q, k, logMask } = args.inputs as unknown as { q: Info; k: Info; logMask: Info };
    const { heads, scale, masked, withLse } = args.attrs as unknown as HeadAttentionAttrs;
    if (!isWasmBackendLike(backend) || !binding.headAttention) throw new Error(`${HEAD_ATTENTION_KERNEL} needs the native wasm path`);
    const [B, N, HY] = q.shape as [number, number, number];
    return withOutputs(backend, [q.shape, q.shape, [B, heads, N]], ([pullQ, pullK, lse]) => {
      const [maskOffset, maskBatch] = maskArgs(backend, logMask, masked, N);
      const lseOffset = offsetOf(backend, lse!);
      // Without lse its output is zeros (never read by the op, but a tensor never holds garbage).
      if (!withLse) new Float32Array(heap(backend), lseOffset, B * heads * N).fill(0);
      binding.headAttention!(heap(backend), offsetOf(backend, q), offsetOf(backend, k), maskOffset, maskBatch, offsetOf(backend, pullQ!), offsetOf(backend, pullK!), withLse ? lseOffset : -1, B, N, heads, HY / heads, scale, binding.getLanes());
    });
  };
}

/** dq, dk of the attention pulls (first order only: the scores are recomputed inside). */
function headAttentionGrad(binding: NativeBinding): tf.KernelFunc {
  return (args) => {
    const backend = args.backend;
    const { q, k, logMask, dPullQ, dPullK, dLse } = args.inputs as unknown as Record<'q' | 'k' | 'logMask' | 'dPullQ' | 'dPullK' | 'dLse', Info>;
    const { heads, scale, masked, withLse } = args.attrs as unknown as HeadAttentionAttrs;
    if (!isWasmBackendLike(backend) || !binding.headAttentionGrad) throw new Error(`${HEAD_ATTENTION_GRAD_KERNEL} needs the native wasm path`);
    const [B, N, HY] = q.shape as [number, number, number];
    return withOutputs(backend, [q.shape, q.shape], ([dq, dk]) => {
      const [maskOffset, maskBatch] = maskArgs(backend, logMask, masked, N);
      const dLseOffset = withLse ? offsetOf(backend, dLse) : -1;
      binding.headAttentionGrad!(heap(backend), offsetOf(backend, q), offsetOf(backend, k), maskOffset, maskBatch, offsetOf(backend, dPullQ), offsetOf(backend, dPullK), dLseOffset, offsetOf(backend, dq!), offsetOf(backend, dk!), B, N, heads, HY / heads, scale, binding.getLanes());
    });
  };
}

/** (Re)registers a kernel for wasm, or removes it; its gradient is registered with it (once, whatever the backend). */
function set(name: string, gradient: tf.GradConfig | undefined, func: tf.KernelFunc | undefined): void {
  if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
  if (!func) return;
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: func });
  if (gradient && tf.getGradient(name) !== gradient) tf.registerGradient(gradient);
}

/** Registers (on) or removes (off) the fused kernels for 'wasm'; each only when the addon has its row kernel. */
export function setNativeFusedKernels(binding: NativeBinding | undefined, on: boolean): void {
  set(LOG_SUM_EXP_KERNEL, logSumExpGradConfig, on && binding?.logSumExpRows ? logSumExp(binding) : undefined);
  set(LOG_SUM_EXP_GRAD_KERNEL, undefined, on && binding?.logSumExpRows && binding.lseGradRows ? logSumExpGrad(binding) : undefined);
  set(SOFTMAX_LOG_SUM_EXP_KERNEL, softmaxLogSumExpGradConfig, on && binding?.softmaxLseRows ? softmaxLogSumExp(binding) : undefined);
  set(AXPBY_KERNEL, axpbyGradConfig, on && binding?.axpby ? axpby(binding) : undefined);
  set(DIFFERENCE_STATS_KERNEL, undefined, on && binding?.diffStats ? differenceStats(binding) : undefined);
  set(LAYER_NORM_KERNEL, layerNormGradConfig, on && binding?.layerNormRows ? layerNorm(binding) : undefined);
  set(LAYER_NORM_GRAD_KERNEL, undefined, on && binding?.layerNormRows && binding.layerNormGradRows ? layerNormGrad(binding) : undefined);
  // Backward kernels: used at first order only (numerics/fused-backward.ts), so they have no gradient.
  set(RELU_GRAD_KERNEL, undefined, on && binding?.softmaxGradRows ? reluGrad(binding) : undefined);
  set(SOFTMAX_GRAD_KERNEL, undefined, on && binding?.softmaxGradRows ? softmaxGrad(binding) : undefined);
  set(HEAD_ATTENTION_KERNEL, headAttentionGradConfig, on && binding?.headAttention && binding.headAttentionGrad ? headAttention(binding) : undefined);
  set(HEAD_ATTENTION_GRAD_KERNEL, undefined, on && binding?.headAttention && binding.headAttentionGrad ? headAttentionGrad(binding) : undefined);
}
