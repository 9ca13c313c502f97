/**
 * `HopfieldPooling`: learned state patterns (queries, in Hopfield space) pool
 * a set of stored patterns, e.g. the instances of a bag (hopfield-layers'
 * HopfieldPooling; `quantity` queries give `quantity` pooled vectors, flattened).
 */
import * as tf from '@tensorflow/tfjs';
import { parseConfig, z, type ArrayBatch, type State, type StateLayer, type TensorInput, type TrainingFace } from '@engram/core';
import { associate, type Association } from '../internal/layers/associate.js';
import { HopfieldModuleBase, STATE_PATTERNS, STORED_PATTERNS } from './module-base.js';
import { moduleShape, resolveModule, type ModuleSettings } from './module-config.js';
import { accuracy, bagTask, HELD_OUT, moduleTrainingSchema, taskBatches, type ModuleTraining } from '../internal/layers/tasks.js';

/** The config of 'hopfield/pooling': the shared keys and `quantity`, the number of learned queries (hopfield-layers' name). */
export const poolingSchema = z.strictObject({
  ...moduleShape,
  quantity: z.number().int().positive().default(1).describe('number of learned queries (pooled vectors per set)'),
});

/** Config of a {@link HopfieldPooling} (as written). */
export type HopfieldPoolingConfig = z.input<typeof poolingSchema>;
type Config = ModuleSettings & { quantity: number };

/** Result of {@link HopfieldPooling.apply} (a type alias, so tf.tidy can return it). */
export type PoolingResult = {
  /** Pooled vectors, [B, quantity * outputSize]. */
  output: tf.Tensor2D;
  /** Association matrix [B, heads, quantity, S]. */
  association: tf.Tensor4D;
};

/**
 * Pooling with `quantity` learned queries. Its `run` streams the update
 * iterations of the queries (layer 'state' [quantity, heads * hiddenSize],
 * the learned queries when not given) against a set's keys (layer 'stored').
 *
 * @example
 * const pool = new HopfieldPooling({ inputSize: 32, heads: 4, quantity: 1 });
 * const { output, association } = pool.apply(bags); // bags [B, S, 32] -> output [B, 32]
 */
export class HopfieldPooling extends HopfieldModuleBase<Config> {
  readonly kind = 'hopfield/pooling';
  readonly layers: readonly StateLayer[];

  constructor(config: HopfieldPoolingConfig) {
    const parsed = parseConfig(poolingSchema, config, 'hopfield/pooling');
    super({ ...resolveModule('hopfield/pooling', parsed), quantity: parsed.quantity });
    const c = this.config;
    this.layers = [
      { name: STATE_PATTERNS, shape: [c.quantity, this.space] },
      { name: STORED_PATTERNS, shape: [null, this.space] },
    ];
    this.addNorm('normStored', c.storedPatternSize, c.normalizeStoredPattern);
    this.addNorm('normProjection', c.patternProjectionSize, c.normalizePatternProjection);
    this.params.normal('queries', [1, c.quantity, c.heads * c.hiddenSize], 1 / Math.sqrt(c.hiddenSize));
    this.addLinear('key', c.storedPatternSize, c.heads * c.hiddenSize);
    this.addLinear('value', c.patternProjectionSize, c.heads * c.patternSize);
    if (!c.disableOutProjection) this.addLinear('out', c.heads * c.patternSize, c.outputSize);
  }

  /**
   * Pools `stored` [B, S, storedPatternSize] (values from `projection`, default
   * the same tensor): output [B, quantity * outputSize], association [B, heads, quantity, S].
   */
  apply(stored: TensorInput, projection?: TensorInput): PoolingResult {
    return tf.tidy(() => {
      const a = this.pool(stored, projection, false);
      const b = a.output.shape[0];
      return { output: a.output.reshape([b, this.config.quantity * this.outDepth]) as tf.Tensor2D, association: a.association };
    });
  }

  /** The pooled output only, [B, quantity * outputSize]. */
  forward(stored: TensorInput, projection?: TensorInput): tf.Tensor2D {
    const { output, association } = this.apply(stored, projection);
    association.dispose();
    return output;
  }

  /** The association (softmax) matrix only, [B, heads, quantity, S]: how each learned query weighs the set. */
  associationMatrix(stored: TensorInput, projection?: TensorInput): tf.Tensor4D {
    const { output, association } = this.apply(stored, projection);
    output.dispose();
    return association;
  }

  /** Energy of the (updated) learned queries against each set, [B, heads, quantity] (differentiable). */
  hopfieldEnergy(stored: TensorInput, projection?: TensorInput): tf.Tensor3D {
    return HopfieldModuleBase.energyOnly(this.pool(stored, projection, true));
  }

  /** The run state of a set: the learned queries and the set's keys in Hopfield space (caller owns them). */
  encode(stored: TensorInput): State {
    this.assertAlive();
    return tf.tidy(() => {
      const k = this.keys(this.input3d('stored', stored, this.config.storedPatternSize));
      return { [STATE_PATTERNS]: this.tiledQueries(k.shape[0]), [STORED_PATTERNS]: k };
    });
  }

  /**
   * Multiple-instance learning: bags of 6 instances, positive iff one holds a
   * marker; the first output entry is the bag's logit (sigmoid cross-entropy);
   * evaluated as held-out accuracy.
   */
  override readonly training: TrainingFace<ArrayBatch, ModuleTraining> = {
    schema: moduleTrainingSchema,
    data: (s) => taskBatches(bagTask(s.limit, this.config.storedPatternSize, s.seed), s),
    loss: ({ x, labels }) => tf.tidy(() => tf.losses.sigmoidCrossEntropy(tf.cast(labels!, 'float32'), this.logits(x)) as tf.Scalar),
    evaluate: (_epoch, s) => {
      const set = bagTask(HELD_OUT, this.config.storedPatternSize, s.seed + 1000);
      const predicted = tf.tidy(() => tf.cast(tf.greater(this.logits(tf.tensor3d(set.data, [set.count, ...set.shape] as [number, number, number])), 0), 'int32'));
      const acc = accuracy(predicted, set.labels!);
      predicted.dispose();
      return { accuracy: acc };
    },
  };

  /** A pooling run starts from the learned queries when no 'state' is given. */
  protected override prepareState(state: State): State {
    if (!state[STATE_PATTERNS] && state[STORED_PATTERNS]) state[STATE_PATTERNS] = this.tiledQueries(state[STORED_PATTERNS].shape[0]!);
    return super.prepareState(state);
  }

  protected override generateState(batch: number, options: { seed?: number; std?: number }): State {
    const state = super.generateState(batch, options);
    state[STATE_PATTERNS]!.dispose();
    state[STATE_PATTERNS] = this.tiledQueries(batch);
    return state;
  }

  protected keysOf(state: State): tf.Tensor3D {
    return state[STORED_PATTERNS] as tf.Tensor3D;
  }

  private logits(x: tf.Tensor): tf.Tensor1D {
    const out = this.forward(x);
    return tf.slice(out, [0, 0], [out.shape[0], 1]).reshape([-1]) as tf.Tensor1D;
  }

  private tiledQueries(batch: number): tf.Tensor3D {
    return tf.tile(this.params.get('queries'), [batch, 1, 1]) as tf.Tensor3D;
  }

  private keys(y: tf.Tensor3D): tf.Tensor3D {
    return this.project('key', this.norm('normStored', y, this.config.normalizeStoredPattern)) as tf.Tensor3D;
  }

  private pool(stored: TensorInput, projection: TensorInput | undefined, withEnergy: boolean): Association {
    this.assertAlive();
    const c = this.config;
    return tf.tidy(() => {
      const y = this.input3d('stored', stored, c.storedPatternSize);
      const v = this.input3d('projection', projection ?? stored, c.patternProjectionSize);
      const k = this.keys(y);
      const vv = this.project('value', this.norm('normProjection', v, c.normalizePatternProjection)) as tf.Tensor3D;
      return this.finish(associate(this.tiledQueries(y.shape[0]), k, vv, this.assocOptions(withEnergy)));
    });
  }
}
