/**
 * The image Energy Transformer ('et/image'): patches -> tokens (CLS, MASK,
 * position) -> T steps of ET descent -> decoder. Trained on masked-patch
 * reconstruction through the unrolled descent.
 */
import * as tf from '@tensorflow/tfjs';
import { defer, finalize, map, type Observable } from 'rxjs';
import { errors, toTensor, type DynamicsStep, type EngramModel, type JsonObject, type TensorInput } from '@engram/core';
import { EnergyTransformerBlock, setVariables, TOKEN_LAYER, type BlockRunOptions } from '../block.js';
import type { EtBlockOptions } from '../config.js';
import { maskedPatchMse, PatchCodec } from './codec.js';
import { patchGeometry, patchify, unpatchify, type PatchGeometry } from './patches.js';

/** A model that fills masked patches: the interface the trainer and the baselines share. */
export interface MaskedPatchModel {
  /** Predicted patches [B, N, P] for patches [B, N, P] with mask [B, N] (1 = masked); differentiable. */
  predict(patches: tf.Tensor, mask: tf.Tensor): tf.Tensor3D;
  /** Trainable variables. */
  variables(): tf.Variable[];
  dispose(): void;
}

/** Options of {@link ImageEnergyTransformer}. */
export interface ImageEtOptions {
  /** Side of the square images (default 28). */
  imageSize?: number;
  /** Side of the square patches (default 4). */
  patchSize?: number;
  /** The ET block (tokenDim required; default tokenDim 128). */
  block?: Partial<EtBlockOptions>;
  /** Seed of the embedding init (default 0). */
  seed?: number;
}

/** A DynamicsStep of an image completion, with the decoded images when snapshots were asked for. */
export interface ImageCompletionStep extends DynamicsStep {
  /** Decoded images [B, S*S] at this step (only on steps with snapshots). */
  images?: Float32Array;
}

/** The image Energy Transformer. */
export class ImageEnergyTransformer implements EngramModel, MaskedPatchModel {
  readonly kind: string = 'et/image';
  readonly geometry: PatchGeometry;
  readonly block: EnergyTransformerBlock;
  readonly codec: PatchCodec;
  private readonly options: { imageSize: number; patchSize: number; seed: number };

  constructor(options: ImageEtOptions | JsonObject = {}) {
    const o = options as ImageEtOptions;
    for (const k of Object.keys(o)) {
      if (!['imageSize', 'patchSize', 'block', 'seed'].includes(k)) throw errors.invalidArgument(`et/image config key '${k}'`, 'one of imageSize, patchSize, block, seed', k);
    }
    const imageSize = o.imageSize ?? 28;
    const patchSize = o.patchSize ?? 4;
    const seed = o.seed ?? 0;
    this.geometry = patchGeometry(imageSize, patchSize);
    this.block = new EnergyTransformerBlock({ tokenDim: 128, ...(o.block ?? {}) } as EtBlockOptions);
    this.codec = new PatchCodec(this.geometry.patchPixels, this.geometry.tokens, this.block.config.tokenDim, seed);
    this.options = { imageSize, patchSize, seed };
  }

  /** Patches [B, N, P] of images [B, S*S] or [B, S, S]. */
  patches(images: TensorInput): tf.Tensor3D {
    const t = toTensor(images);
    try {
      return patchify(t, this.geometry);
    } finally {
      if (t !== images) t.dispose();
    }
  }

  predict(patches: tf.Tensor, mask: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const x0 = this.codec.tokensOf(patches, mask);
      const xT = this.block.evolve(x0);
      return this.codec.decode(xT);
    });
  }

  /** Masked-patch MSE of images [B, S*S] under mask [B, N] (differentiable; for training). */
  loss(images: tf.Tensor, mask: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const p = patchify(images, this.geometry);
      return maskedPatchMse(this.predict(p, mask), p, mask);
    });
  }

  /** Completed images [B, S*S]: originals where visible, predictions in the masked patches. */
  complete(images: TensorInput, mask: TensorInput): tf.Tensor2D {
    return tf.tidy(() => {
      const p = this.patches(images);
      const m = toTensor(mask).toFloat();
      const pred = this.predict(p, m);
      const m3 = tf.expandDims(m, 2);
      return unpatchify(tf.add(tf.mul(m3, pred), tf.mul(tf.sub(1, m3), p)), this.geometry);
    });
  }

  /** Images [B, S*S] with masked patches set to `fill` (for display). */
  masked(images: TensorInput, mask: TensorInput, fill = 0.5): tf.Tensor2D {
    return tf.tidy(() => {
      const p = this.patches(images);
      const m3 = tf.expandDims(toTensor(mask).toFloat(), 2);
      return unpatchify(tf.add(tf.mul(m3, fill), tf.mul(tf.sub(1, m3), p)), this.geometry);
    });
  }

  /**
   * Streams the completion of images under mask across the T descent steps.
   * With `snapshot: true`, each event also carries the images decoded from that
   * step's tokens (the completion as it forms).
   */
  run(images: TensorInput, mask: TensorInput, options: BlockRunOptions = {}): Observable<ImageCompletionStep> {
    return defer(() => {
      const x0 = tf.tidy(() => this.codec.tokensOf(this.patches(images), toTensor(mask).toFloat()));
      return this.block.run(x0, options).pipe(finalize(() => x0.dispose()));
    }).pipe(
      map((ev) => {
        const s = ev.states?.[TOKEN_LAYER];
        if (!s) return ev;
        const imgs = tf.tidy(() => unpatchify(this.codec.decode(tf.tensor(s.data, s.shape)), this.geometry).dataSync() as Float32Array);
        return { ...ev, images: Float32Array.from(imgs) };
      }),
    );
  }

  variables(): tf.Variable[] {
    return [...this.block.variables(), ...this.codec.variables()];
  }

  parameterCount(): number {
    return this.variables().reduce((s, v) => s + v.size, 0);
  }

  getConfig(): JsonObject {
    return { ...this.options, block: this.block.getConfig() };
  }

  getWeights(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(this.block.getWeights())) out[`block.${k}`] = v;
    for (const [k, v] of Object.entries(this.codec.vars)) out[`codec.${k}`] = v;
    return out;
  }

  setWeights(weights: Record<string, tf.Tensor>): void {
    const all: Record<string, tf.Variable> = {};
    for (const [k, v] of Object.entries(this.block.vars)) all[`block.${k}`] = v;
    for (const [k, v] of Object.entries(this.codec.vars)) all[`codec.${k}`] = v;
    setVariables(all, weights, 'et/image');
  }

  dispose(): void {
    this.block.dispose();
    this.codec.dispose();
  }
}
