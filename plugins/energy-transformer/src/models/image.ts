/**
 * The image Energy Transformer ('energy-transformer/image'): images are cut
 * into patches, encoded as tokens (a CLS token, a learned token in place of
 * each hidden patch, a position embedding), evolved by an ET block's descent,
 * and decoded back to pixels. Trained on hidden-patch completion through the
 * unrolled descent.
 *
 * Its state has three layers: `image` [S*S] (the visible pixels and, in the
 * hidden patches, the model's current completion), `hidden` [N] (1 = the patch
 * is hidden; held), and `tokens` [N + 1, D] (evolved). Give `{ image, hidden }`
 * and the tokens are encoded from them; each step decodes the tokens into the
 * hidden patches, so `snapshot: ['image']` shows the completion forming.
 */
import * as tf from '@tensorflow/tfjs';
import {
  errors,
  integrate,
  ModelBase,
  parseConfig,
  toTensor,
  type DynamicsSystem,
  type EnergyTerms,
  type GenerateOptions,
  type RunDefaults,
  type RunOptions,
  type State,
  type StateInput,
  type StateLayer,
  type TensorInput,
  type TrainingFace,
} from '@engram/core';
import { createRng } from '@engram/data';
import { parameterCount } from '../internal/variables.js';
import { EnergyTransformerBlock, TOKENS } from './block.js';
import type { BlockConfig } from './block-schema.js';
import { fashionMnistImages, hiddenPatchBatches, type HiddenPatchBatch } from './image-data.js';
import { imageSchema, imageTrainingSchema, type ImageOptions, type ImageTrainingSettings } from './image-schema.js';
import { PatchCodec } from './patch-codec.js';
import { hiddenPatchMse, patchGeometry, patchify, randomHiddenPatches, unpatchify, type PatchGeometry } from './patches.js';

/** The registered id. */
export const IMAGE_KIND = 'energy-transformer/image';
/** State layer names. */
export const IMAGE = 'image';
export const HIDDEN = 'hidden';

/** The image ET's config with every default resolved. */
export type ImageConfig = {
  readonly imageSize: number;
  readonly patchSize: number;
  readonly block: Omit<BlockConfig, 'tokens'>;
  readonly seed: number;
};

/** A model that fills hidden patches: what the experiment trains (the image ET and its transformer baseline). */
export interface HiddenPatchModel {
  /** Predicted patches [B, N, P] for patches [B, N, P] with hidden [B, N] (1 = hidden); differentiable. */
  predict(patches: tf.Tensor, hidden: tf.Tensor): tf.Tensor3D;
  /** The trained weights by name. */
  variables(): Record<string, tf.Variable>;
  dispose(): void;
}

/** The image Energy Transformer (see the module comment). */
export class ImageEnergyTransformer extends ModelBase<ImageConfig> implements HiddenPatchModel {
  readonly kind: string = IMAGE_KIND;
  readonly layers: readonly StateLayer[];
  readonly geometry: PatchGeometry;
  readonly block: EnergyTransformerBlock;
  readonly codec: PatchCodec;
  protected override readonly runDefaults: RunDefaults;
  private readonly seed: number;

  constructor(options: ImageOptions = {}) {
    super();
    const c = parseConfig(imageSchema, options, IMAGE_KIND);
    this.geometry = patchGeometry(c.imageSize, c.patchSize);
    this.seed = c.seed;
    const geo = this.geometry;
    this.block = new EnergyTransformerBlock({ ...c.block, tokens: geo.patches + 1 });
    const D = this.block.config.size;
    this.codec = new PatchCodec(geo.patchPixels, geo.patches, D, c.seed);
    this.layers = [
      { name: IMAGE, shape: [geo.imageSize * geo.imageSize] },
      { name: HIDDEN, shape: [geo.patches] },
      { name: TOKENS, shape: [geo.patches + 1, D] },
    ];
    this.runDefaults = { maxSteps: this.block.config.maxSteps, dt: this.block.config.dt };
  }

  /** Visible pixels of `image`, and the decoded `tokens` in the hidden patches: [B, S*S]. */
  private composite(image: tf.Tensor, tokens: tf.Tensor, hidden: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const m = tf.expandDims(hidden, 2);
      const p = patchify(image, this.geometry);
      return unpatchify(tf.add(tf.mul(tf.sub(1, m), p), tf.mul(m, this.codec.decode(tokens))), this.geometry);
    });
  }

  private checkHidden(hidden: tf.Tensor, what: string): void {
    const bad = tf.tidy(() => tf.sum(tf.abs(tf.mul(hidden, tf.sub(1, hidden)))).dataSync()[0]!);
    if (bad !== 0) throw errors.invalidArgument(what, 'a mask of 0 (visible) and 1 (hidden) per patch', 'other values');
  }

  /** Completes a state read from input: `image` is needed; `hidden` defaults to none; `tokens` are encoded when absent. */
  protected override prepareState(state: State): State {
    // On a throw the caller (ModelBase) disposes `state`; only tensors made here are freed here.
    const image = state[IMAGE];
    if (!image) {
      throw errors.invalidArgument(`initial.${IMAGE}`, `images [batch, ${this.geometry.imageSize ** 2}] (the tokens are encoded from the image and its hidden patches)`, 'missing');
    }
    const B = image.shape[0]!;
    const hidden = state[HIDDEN] ?? tf.zeros([B, this.geometry.patches]);
    try {
      this.checkHidden(hidden, `initial.${HIDDEN}`);
    } catch (err) {
      if (hidden !== state[HIDDEN]) hidden.dispose();
      throw err;
    }
    const tokens = state[TOKENS] ?? tf.tidy(() => this.codec.tokensOf(patchify(image, this.geometry), hidden));
    const shown = this.composite(image, tokens, hidden);
    image.dispose();
    return { [IMAGE]: shown, [HIDDEN]: hidden, [TOKENS]: tokens };
  }

  /** Seeded uniform images with a seeded half of their patches hidden. */
  protected override generateState(batch: number, options: GenerateOptions): State {
    const seed = options.seed ?? 0;
    const geo = this.geometry;
    const rng = createRng(seed + 1);
    return {
      [IMAGE]: tf.randomUniform([batch, geo.imageSize * geo.imageSize], 0, 1, 'float32', seed),
      [HIDDEN]: tf.tensor2d(randomHiddenPatches(batch, geo.patches, 0.5, () => rng.uniform()), [batch, geo.patches]),
    };
  }

  /** The image system: the block's descent of the tokens, the image re-composited from them, the hidden mask held. */
  private imageSystem(energyTree: boolean, withEnergy = true): DynamicsSystem {
    const tokens = this.block.system({ energyTree, withEnergy });
    return {
      step: (state, ctx) => {
        // Every call here returns only new tensors (each is tidy inside): nothing to collect.
        const r = tokens.step({ [TOKENS]: state[TOKENS]! }, ctx);
        const x = r.next[TOKENS]!;
        const next: State = { [TOKENS]: x, [IMAGE]: this.composite(state[IMAGE]!, x, state[HIDDEN]!), [HIDDEN]: state[HIDDEN]!.clone() };
        return r.energy ? { next, energy: r.energy } : { next };
      },
      energy: (state) => tokens.energy!({ [TOKENS]: state[TOKENS]! }),
    };
  }

  protected dynamics(options: RunOptions): DynamicsSystem {
    return this.imageSystem(options.energyTree ?? true);
  }

  /** Energy per sample of a state (its tokens, encoded from `{ image, hidden }` when absent), with the block's terms. */
  energy(state: StateInput): EnergyTerms {
    this.assertAlive();
    const x = this.initialState(state);
    try {
      return this.block.energy({ [TOKENS]: x[TOKENS]! });
    } finally {
      for (const t of Object.values(x)) t.dispose();
    }
  }

  /** Patches [B, N, P] of images [B, S*S] (caller owns the result). */
  patches(images: TensorInput): tf.Tensor3D {
    this.assertAlive();
    const t = toTensor(images, 'images', { shape: ['batch', this.geometry.imageSize ** 2], batch: true, finite: true });
    try {
      return patchify(t, this.geometry);
    } finally {
      t.dispose();
    }
  }

  /** Predicted patches [B, N, P] after the unrolled descent (differentiable; for training). */
  predict(patches: tf.Tensor, hidden: tf.Tensor): tf.Tensor3D {
    this.assertAlive();
    return tf.tidy(() => this.codec.decode(this.block.evolve(this.codec.tokensOf(patches, hidden))));
  }

  /** Hidden-patch MSE of images [B, S*S] under `hidden` [B, N] (differentiable; the training loss). */
  loss(images: tf.Tensor, hidden: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const p = patchify(images, this.geometry);
      return hiddenPatchMse(this.predict(p, hidden), p, hidden);
    });
  }

  /**
   * Completed images [B, S*S]: the visible pixels, and the model's prediction in
   * the hidden patches after `steps` descent steps (default maxSteps). The same
   * dynamics as `run`, synchronously.
   */
  complete(images: TensorInput, hidden: TensorInput, options: { steps?: number } = {}): tf.Tensor2D {
    this.assertAlive();
    const state = this.initialState({ [IMAGE]: images, [HIDDEN]: hidden });
    try {
      const out = integrate(this.imageSystem(false, false), state, { steps: options.steps ?? this.block.config.maxSteps, dt: this.block.config.dt });
      out[HIDDEN]!.dispose();
      out[TOKENS]!.dispose();
      return out[IMAGE] as tf.Tensor2D;
    } finally {
      for (const t of Object.values(state)) t.dispose();
    }
  }

  /** Images [B, S*S] with the hidden patches set to `fill` (for display). */
  masked(images: TensorInput, hidden: TensorInput, fill = 0.5): tf.Tensor2D {
    this.assertAlive();
    return tf.tidy(() => {
      const p = this.patches(images);
      const m = tf.expandDims(toTensor(hidden, 'hidden', { shape: [p.shape[0], this.geometry.patches], finite: true }), 2);
      return unpatchify(tf.add(tf.mul(m, fill), tf.mul(tf.sub(1, m), p)), this.geometry);
    });
  }

  /** Every weight: 'block/...' (see the block) and 'codec/...'. */
  variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const [k, v] of Object.entries(this.block.variables())) out[`block/${k}`] = v;
    for (const [k, v] of Object.entries(this.codec.variables())) out[`codec/${k}`] = v;
    return out;
  }

  /** Number of trained parameters. */
  parameterCount(): number {
    return parameterCount(this.variables());
  }

  getConfig(): ImageConfig {
    const { tokens: _tokens, ...block } = this.block.getConfig();
    return { imageSize: this.geometry.imageSize, patchSize: this.geometry.patchSize, block, seed: this.seed };
  }

  protected override release(): void {
    this.block.dispose();
    this.codec.dispose();
  }

  /** Hidden-patch completion on Fashion-MNIST through the unrolled descent. */
  override readonly training: TrainingFace<HiddenPatchBatch, ImageTrainingSettings> = {
    schema: imageTrainingSchema,
    data: async (s, engram) => {
      if (this.geometry.imageSize !== 28) {
        throw errors.invalidArgument(`${IMAGE_KIND} imageSize for its default data`, '28 (Fashion-MNIST images are 28 x 28)', this.geometry.imageSize);
      }
      const images = await fashionMnistImages(engram, 'train', s.limit, s.source);
      return hiddenPatchBatches(images, this.geometry, { batchSize: s.batchSize, hiddenRatio: s.hiddenRatio, seed: s.seed });
    },
    loss: (b) => this.loss(b.images, b.hidden),
  };
}
