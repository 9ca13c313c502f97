/**
 * Image <-> patch layout: images [B, S*S] to patches [B, N, p*p] in row-major
 * patch order, and back; seeded masks of hidden patches.
 */
import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';

/** Geometry of square images cut into square patches. */
export interface PatchGeometry {
  imageSize: number;
  patchSize: number;
  /** Patches per side. */
  side: number;
  /** Number of patches N = side^2. */
  patches: number;
  /** Pixels per patch p^2. */
  patchPixels: number;
}

/** The geometry; `patchSize` must divide `imageSize` (ENGRAM_ERR_INVALID_ARGUMENT otherwise). */
export function patchGeometry(imageSize: number, patchSize: number): PatchGeometry {
  if (!Number.isInteger(imageSize) || imageSize < 1) throw errors.invalidArgument('imageSize', 'a positive integer', imageSize);
  if (!Number.isInteger(patchSize) || patchSize < 1 || imageSize % patchSize !== 0) {
    throw errors.invalidArgument('patchSize', `a positive divisor of imageSize ${imageSize}`, patchSize);
  }
  const side = imageSize / patchSize;
  return { imageSize, patchSize, side, patches: side * side, patchPixels: patchSize * patchSize };
}

/** [B, S*S] (or [B, S, S]) -> [B, N, p*p]. */
export function patchify(images: tf.Tensor, geo: PatchGeometry): tf.Tensor3D {
  const S = geo.imageSize;
  const B = images.shape[0]!;
  if (images.size !== B * S * S) throw errors.shapeMismatch('images', ['batch', S * S], images.shape);
  const { side: k, patchSize: p } = geo;
  return tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(images, [B, k, p, k, p]), [0, 1, 3, 2, 4]), [B, geo.patches, geo.patchPixels]));
}

/** [B, N, p*p] -> [B, S*S]. */
export function unpatchify(patches: tf.Tensor, geo: PatchGeometry): tf.Tensor2D {
  const B = patches.shape[0]!;
  const { side: k, patchSize: p } = geo;
  return tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(patches, [B, k, k, p, p]), [0, 1, 3, 2, 4]), [B, geo.imageSize * geo.imageSize]));
}

/**
 * Seeded random hidden patches: for each sample, round(ratio * N) distinct
 * patches (at least 1, at most N - 1) set to 1 (hidden). A host array [B * N].
 */
export function randomHiddenPatches(batch: number, patches: number, ratio: number, next: () => number): Float32Array {
  if (!(ratio > 0 && ratio < 1)) throw errors.invalidArgument('hidden ratio', 'a number in (0, 1)', ratio);
  const k = Math.max(1, Math.min(patches - 1, Math.round(ratio * patches)));
  const out = new Float32Array(batch * patches);
  const idx = new Int32Array(patches);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < patches; i++) idx[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(next() * (patches - i));
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
      out[b * patches + idx[i]!] = 1;
    }
  }
  return out;
}

/** Mean squared error over the hidden patches only: sum(hidden (pred - target)^2) / (sum(hidden) P). */
export function hiddenPatchMse(pred: tf.Tensor, target: tf.Tensor, hidden: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const P = pred.shape[2]!;
    const se = tf.sum(tf.mul(tf.expandDims(hidden, 2), tf.square(tf.sub(pred, target))));
    return tf.div(se, tf.mul(tf.maximum(tf.sum(hidden), 1), P)) as tf.Scalar;
  });
}
