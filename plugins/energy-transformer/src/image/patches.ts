/**
 * Image <-> patch-token layout: [B, H*W] (or [B, H, W]) images to [B, N, p*p]
 * patches in row-major patch order, and back.
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
  tokens: number;
  /** Pixels per patch p^2. */
  patchPixels: number;
}

/** Checks that `patchSize` divides `imageSize`. */
export function patchGeometry(imageSize: number, patchSize: number): PatchGeometry {
  if (!Number.isInteger(imageSize) || imageSize < 1) throw errors.invalidArgument('imageSize', 'a positive integer', imageSize);
  if (!Number.isInteger(patchSize) || patchSize < 1 || imageSize % patchSize !== 0) {
    throw errors.invalidArgument('patchSize', `a positive divisor of imageSize ${imageSize}`, patchSize);
  }
  const side = imageSize / patchSize;
  return { imageSize, patchSize, side, tokens: side * side, patchPixels: patchSize * patchSize };
}

/** [B, S*S] or [B, S, S] -> [B, N, p*p]. */
export function patchify(images: tf.Tensor, geo: PatchGeometry): tf.Tensor3D {
  const S = geo.imageSize;
  const B = images.shape[0]!;
  if (images.size !== B * S * S) throw errors.shapeMismatch('images', ['batch', S * S], images.shape);
  const k = geo.side;
  const p = geo.patchSize;
  return tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(images, [B, k, p, k, p]), [0, 1, 3, 2, 4]), [B, geo.tokens, geo.patchPixels]));
}

/** [B, N, p*p] -> [B, S*S]. */
export function unpatchify(patches: tf.Tensor, geo: PatchGeometry): tf.Tensor2D {
  const B = patches.shape[0]!;
  const k = geo.side;
  const p = geo.patchSize;
  return tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(patches, [B, k, k, p, p]), [0, 1, 3, 2, 4]), [B, geo.imageSize * geo.imageSize]));
}

/**
 * Seeded random patch masks: for each sample, round(ratio * N) distinct patches
 * set to 1 (masked). Returns a host array [B * N].
 */
export function randomPatchMasks(batch: number, tokens: number, ratio: number, next: () => number): Float32Array {
  if (!(ratio > 0 && ratio < 1)) throw errors.invalidArgument('mask ratio', 'a number in (0, 1)', ratio);
  const k = Math.max(1, Math.min(tokens - 1, Math.round(ratio * tokens)));
  const out = new Float32Array(batch * tokens);
  const idx = new Int32Array(tokens);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < tokens; i++) idx[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(next() * (tokens - i));
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
      out[b * tokens + idx[i]!] = 1;
    }
  }
  return out;
}
