/**
 * `HopfieldLayer`: the state patterns come from the input, the stored
 * patterns and their projections are learned (hopfield-layers' HopfieldLayer,
 * a lookup into `memories` trainable patterns — a drop-in for a dense layer or
 * an SVM-like prototype layer).
 */
import * as tf from '@tensorflow/tfjs';
import { parseConfig, z, type ArrayBatch, type State, type StateLayer, type TensorInput, type TrainingFace } from '@engram/core';
import { associate, type Association } from '../internal/layers/associate.js';
import { HopfieldModuleBase, STATE_PATTERNS } from './module-base.js';
import { moduleShape, resolveModule, type ModuleSettings } from './module-config.js';
import { accuracy, HELD_OUT, moduleTrainingSchema, prototypeTask, taskBatches, type ModuleTraining } from '../internal/layers/tasks.js';

/** The config of 'hopfield/layer': the shared keys and `memories`, the number of learned stored patterns (hopfield-layers' `quantity`). */
export const layerSchema = z.strictObject({
  ...moduleShape,
  memories: z.number().int().positive().default(1).describe('number of learned stored patterns (hopfield-layers quantity)'),
});

/** Config of a {@link HopfieldLayer} (as written). */
export type HopfieldLayerConfig = z.input<typeof layerSchema>;
type Config = ModuleSettings & { memories: number };

/** Classes of the default prototype task (at most the output depth). */
const TASK_CLASSES = 4;

/**
 * Layer with `memories` learned stored patterns (keys) and targets (values).
 * Its `run` streams the update iterations of the input's state patterns
 * (layer 'state' [L, heads * hiddenSize]) against the learned keys.
 *
 * @example
 * const layer = new HopfieldLayer({ inputSize: 20, memories: 8, outputSize: 3 });
 * const { output, association } = layer.apply(x); // x [B, L, 20] -> [B, L, 3], association [B, 1, L, 8]
 */
export class HopfieldLayer extends HopfieldModuleBase<Config> {
  readonly kind = 'hopfield/layer';
  readonly layers: readonly StateLayer[];

  constructor(config: HopfieldLayerConfig) {
    const parsed = parseConfig(layerSchema, config, 'hopfield/layer');
    super({ ...resolveModule('hopfield/layer', parsed), memories: parsed.memories });
    const c = this.config;
    this.layers = [{ name: STATE_PATTERNS, shape: [null, this.space] }];
    this.addNorm('normState', c.inputSize, c.normalizeStatePattern);
    this.addLinear('query', c.inputSize, c.heads * c.hiddenSize);
    this.params.normal('lookupKeys', [1, c.memories, c.heads * c.hiddenSize], 1 / Math.sqrt(c.hiddenSize));
    this.params.normal('lookupValues', [1, c.memories, c.heads * c.patternSize], 1 / Math.sqrt(c.patternSize));
    if (!c.disableOutProjection) this.addLinear('out', c.heads * c.patternSize, c.outputSize);
  }

  /** Output [B, L, outputSize] and association [B, heads, L, memories] for state patterns x [B, L, inputSize]. */
  apply(x: TensorInput): Association {
    return this.lookup(x, false);
  }

  /** The output only. */
  forward(x: TensorInput): tf.Tensor3D {
    const { output, association } = this.apply(x);
    association.dispose();
    return output;
  }

  /** The association (softmax) matrix only, [B, heads, L, memories]: which learned patterns each input selects. */
  associationMatrix(x: TensorInput): tf.Tensor4D {
    const { output, association } = this.apply(x);
    output.dispose();
    return association;
  }

  /** Energy of the (updated) state patterns against the learned stored patterns, [B, heads, L] (differentiable). */
  hopfieldEnergy(x: TensorInput): tf.Tensor3D {
    return HopfieldModuleBase.energyOnly(this.lookup(x, true));
  }

  /** The run state of an input: its state patterns in Hopfield space (caller owns it). */
  encode(x: TensorInput): State {
    this.assertAlive();
    return tf.tidy(() => ({ [STATE_PATTERNS]: this.queries(this.input3d('input', x, this.config.inputSize)) }));
  }

  /**
   * Prototype classification: min(4, output depth) Gaussian clusters, one
   * state pattern per sample; the output entries are the class logits
   * (softmax cross-entropy); evaluated as held-out accuracy.
   */
  override readonly training: TrainingFace<ArrayBatch, ModuleTraining> = {
    schema: moduleTrainingSchema,
    data: (s) => taskBatches(prototypeTask(s.limit, this.config.inputSize, this.classes, s.seed), s),
    loss: ({ x, labels }) => tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(labels!, this.outDepth), this.logits(x)) as tf.Scalar),
    evaluate: (_epoch, s) => {
      const set = prototypeTask(HELD_OUT, this.config.inputSize, this.classes, s.seed + 1000);
      const predicted = tf.tidy(() => tf.argMax(this.logits(tf.tensor3d(set.data, [set.count, 1, this.config.inputSize])), 1));
      const acc = accuracy(predicted, set.labels!);
      predicted.dispose();
      return { accuracy: acc };
    },
  };

  protected keysOf(): tf.Tensor3D {
    return this.params.get('lookupKeys') as tf.Tensor as tf.Tensor3D;
  }

  private get classes(): number {
    return Math.min(TASK_CLASSES, this.outDepth);
  }

  private logits(x: tf.Tensor): tf.Tensor2D {
    const out = this.forward(x);
    return out.reshape([out.shape[0], this.outDepth]) as tf.Tensor2D;
  }

  private queries(r: tf.Tensor3D): tf.Tensor3D {
    return this.project('query', this.norm('normState', r, this.config.normalizeStatePattern)) as tf.Tensor3D;
  }

  private lookup(x: TensorInput, withEnergy: boolean): Association {
    this.assertAlive();
    return tf.tidy(() => {
      const r = this.input3d('input', x, this.config.inputSize);
      const k = this.params.get('lookupKeys') as tf.Tensor as tf.Tensor3D;
      const v = this.params.get('lookupValues') as tf.Tensor as tf.Tensor3D;
      return this.finish(associate(this.queries(r), k, v, this.assocOptions(withEnergy)));
    });
  }
}
