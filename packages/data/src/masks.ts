/**
 * Occlusion masks for pattern-completion demos: hide part of an image, let
 * the memory fill it in.
 *
 * Convention: mask value 1 = visible (known), 0 = occluded. The mask is thus
 * directly usable as a clamp mask: clamp the entries where it is 1.
 */
import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';
import { type HostArray, sizeOf } from './host-array.js';
import { checkInt, checkRange } from './internal/validate.js';
import { createRng } from './rng.js';

/** Which part of a sample to occlude. */
export type OcclusionKind = 'left-half' | 'right-half' | 'top-half' | 'bottom-half' | 'random';

const KINDS: readonly OcclusionKind[] = ['left-half', 'right-half', 'top-half', 'bottom-half', 'random'];

/**
 * Builds a {0, 1} occlusion mask for ONE sample of shape `[length]`,
 * `[height, width]` or `[height, width, channels]` (1 = visible, 0 = occluded).
 *
 * - 'left-half' / 'right-half': the leftmost / rightmost round(fraction * width)
 *   columns are occluded ('top-half' / 'bottom-half': rows). For a 1-D shape,
 *   'left'/'top' hide the first and 'right'/'bottom' the last round(fraction * length) entries.
 * - 'random': exactly round(fraction * height * width) pixels chosen with `seed`.
 *
 * Channels of a pixel are always occluded together. `fraction` defaults to 0.5.
 *
 * @example
 * const mask = occlusionMask([28, 28], 'bottom-half'); // rows 14..27 are 0
 * const hidden = applyMask({ data: images, shape: [n, 784] }, mask);
 */
export function occlusionMask(shape: readonly number[], kind: OcclusionKind, fraction = 0.5, seed = 0): HostArray {
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 3) {
    throw errors.invalidArgument('shape', 'the shape of one sample: [length], [height, width] or [height, width, channels]', shape);
  }
  shape.forEach((d, i) => checkInt(`shape[${i}]`, d));
  if (!KINDS.includes(kind)) throw errors.invalidArgument('kind', KINDS.map((k) => `'${k}'`).join(' | '), kind);
  checkRange('fraction', fraction, 0, 1);
  const rows = shape.length === 1 ? 1 : shape[0]!;
  const cols = shape.length === 1 ? shape[0]! : shape[1]!;
  const channels = shape.length === 3 ? shape[2]! : 1;

  // Decide per pixel (row, col); channels copy the pixel's value.
  const pixelVisible = new Uint8Array(rows * cols).fill(1);
  if (kind === 'random') {
    const hide = Math.round(fraction * rows * cols);
    const order = createRng(seed).permutation(rows * cols);
    for (let i = 0; i < hide; i++) pixelVisible[order[i]!] = 0;
  } else {
    // A 1-D sample is one row: every kind acts along its length.
    const alongCols = shape.length === 1 || kind === 'left-half' || kind === 'right-half';
    const extent = alongCols ? cols : rows;
    const hide = Math.round(fraction * extent);
    const fromStart = kind === 'left-half' || kind === 'top-half';
    const [lo, hi] = fromStart ? [0, hide] : [extent - hide, extent];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const pos = alongCols ? c : r;
        if (pos >= lo && pos < hi) pixelVisible[r * cols + c] = 0;
      }
    }
  }
  const data = new Float32Array(rows * cols * channels);
  for (let p = 0; p < rows * cols; p++) data.fill(pixelVisible[p]!, p * channels, (p + 1) * channels);
  return { data, shape: [...shape] };
}

/** The complementary mask (1 where `mask` is 0): selects the occluded region, e.g. to score a completion only there. */
export function invertMask(mask: HostArray): HostArray {
  return { data: mask.data.map((v) => 1 - v), shape: [...mask.shape] };
}

function checkBroadcast(xShape: readonly number[], maskSize: number): void {
  let trailing = 1;
  for (let k = xShape.length; k >= 0; k--) {
    if (trailing === maskSize) return;
    if (k > 0) trailing *= xShape[k - 1]!;
  }
  throw errors.shapeMismatch('masked data (its trailing dims must hold one mask per sample)', [`..., ${maskSize} entries`], [
    ...xShape,
  ]);
}

/**
 * Applies a per-sample mask to a batch: entries where the mask is 0 become
 * `fill` (default 0), the others are kept unchanged (even if the hidden
 * entries were NaN, e.g. missing data). `x` may hold one sample or many;
 * the product of some trailing dims of `x` must equal the mask's size (so a
 * `[28, 28]` mask applies to `[n, 784]` as well as to `[n, 28, 28, 1]`).
 * The host-array form returns a new host array; the tensor form returns a
 * new float32 tensor owned by the caller (inputs are not disposed).
 */
export function applyMask(x: HostArray, mask: HostArray, fill?: number): HostArray;
export function applyMask(x: tf.Tensor, mask: HostArray | tf.Tensor, fill?: number): tf.Tensor;
export function applyMask(x: HostArray | tf.Tensor, mask: HostArray | tf.Tensor, fill = 0): HostArray | tf.Tensor {
  if (typeof fill !== 'number' || Number.isNaN(fill)) throw errors.invalidArgument('fill', 'a number', fill);
  const maskSize = mask instanceof tf.Tensor ? mask.size : sizeOf(mask.shape);
  if (!(mask instanceof tf.Tensor) && mask.data.length !== maskSize) throw errors.shapeMismatch('mask data', [maskSize], [mask.data.length]);
  if (x instanceof tf.Tensor) {
    checkBroadcast(x.shape, maskSize);
    return tf.tidy(() => {
      const m = mask instanceof tf.Tensor ? mask.toFloat().reshape([1, maskSize]) : tf.tensor2d(mask.data, [1, maskSize]);
      const flat = x.toFloat().reshape([-1, maskSize]);
      // where(), not x * m: an occluded entry may be NaN (missing data) and NaN * 0 is NaN.
      const keep = tf.broadcastTo(m.notEqual(0), flat.shape);
      return tf.where(keep, flat, tf.fill(flat.shape, fill)).reshape(x.shape);
    });
  }
  if (mask instanceof tf.Tensor) throw errors.invalidArgument('mask', 'a host array when x is a host array', 'tf.Tensor');
  checkBroadcast(x.shape, maskSize);
  if (x.data.length !== sizeOf(x.shape)) throw errors.shapeMismatch('x data', [sizeOf(x.shape)], [x.data.length]);
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = mask.data[i % maskSize] === 0 ? fill : x.data[i]!;
  }
  return { data: out, shape: [...x.shape] };
}
