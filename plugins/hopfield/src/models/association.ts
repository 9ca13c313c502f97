/**
 * `Hopfield`: the association module of hopfield-layers. Stored patterns Y,
 * state patterns R and pattern projections V are normalised, projected into
 * Hopfield space (heads), associated by softmax(beta R W_Q (Y W_K)^T) and read
 * out through V W_V and an output projection. The association matrix is
 * exposed to diagnose metastable states (rows spread over several patterns).
 */
import * as tf from '@tensorflow/tfjs';
import { parseConfig, z, type State, type StateLayer, type TensorInput, type TrainingFace, type ArrayBatch } from '@engram/core';
import { associate, type Association } from '../internal/layers/associate.js';
import { HopfieldModuleBase, STATE_PATTERNS, STORED_PATTERNS } from './module-base.js';
import { moduleShape, resolveModule, type ModuleSettings } from './module-config.js';
import { HELD_OUT, moduleTrainingSchema, RETRIEVAL_PATTERNS, retrievalTask, taskBatches, type ModuleTraining } from '../internal/layers/tasks.js';

/** The config of 'hopfield/association'. */
export const associationSchema = z.strictObject(moduleShape);

/** Config of a {@link Hopfield} module (as written). */
export type HopfieldConfig = z.input<typeof associationSchema>;

/** Input of {@link Hopfield}: one tensor used as all three, or each given ([batch, length, depth]). */
export type HopfieldInput = TensorInput | { stored: TensorInput; state: TensorInput; projection?: TensorInput };

/**
 * Trainable Hopfield association (hopfield-layers' `Hopfield`). Its `run`
 * streams the update iterations of the state patterns in Hopfield space
 * (layers 'state' [L, heads * hiddenSize] and 'stored' [S, heads * hiddenSize],
 * the stored patterns held); `encode` maps inputs there.
 *
 * @example
 * const hf = new Hopfield({ inputSize: 16, heads: 2 });
 * const out = hf.apply({ stored: y, state: r });  // out.output [B, L, 16], out.association [B, 2, L, S]
 * hf.run({ initial: hf.encode({ stored: y, state: r }), maxSteps: 5 }).subscribe((s) => console.log(s.energy));
 */
export class Hopfield extends HopfieldModuleBase<ModuleSettings> {
  readonly kind = 'hopfield/association';
  readonly layers: readonly StateLayer[];

  constructor(config: HopfieldConfig) {
    super(resolveModule('hopfield/association', parseConfig(associationSchema, config, 'hopfield/association')));
    const c = this.config;
    this.layers = [
      { name: STATE_PATTERNS, shape: [null, this.space] },
      { name: STORED_PATTERNS, shape: [null, this.space] },
    ];
    this.addNorm('normStored', c.storedPatternSize, c.normalizeStoredPattern);
    this.addNorm('normState', c.inputSize, c.normalizeStatePattern);
    this.addNorm('normProjection', c.patternProjectionSize, c.normalizePatternProjection);
    this.addLinear('query', c.inputSize, c.heads * c.hiddenSize);
    this.addLinear('key', c.storedPatternSize, c.heads * c.hiddenSize);
    this.addLinear('value', c.patternProjectionSize, c.heads * c.patternSize);
    if (!c.disableOutProjection) this.addLinear('out', c.heads * c.patternSize, c.outputSize);
  }

  /** Output [B, L, outputSize] and association [B, heads, L, S] (new tensors; differentiable). */
  apply(input: HopfieldInput): Association {
    return this.associateInput(input, false);
  }

  /** The output only, [B, L, outputSize]. */
  forward(input: HopfieldInput): tf.Tensor3D {
    const { output, association } = this.apply(input);
    association.dispose();
    return output;
  }

  /** The association (softmax) matrix only, [B, heads, L, S]. */
  associationMatrix(input: HopfieldInput): tf.Tensor4D {
    const { output, association } = this.apply(input);
    output.dispose();
    return association;
  }

  /**
   * Energy of the (updated) state patterns in Hopfield space, per head and
   * state pattern: [B, heads, L] (differentiable). Lower is closer to a stored pattern.
   */
  hopfieldEnergy(input: HopfieldInput): tf.Tensor3D {
    return HopfieldModuleBase.energyOnly(this.associateInput(input, true));
  }

  /** The run state of an input: state patterns R W_Q and stored patterns Y W_K, normalised and projected (caller owns them). */
  encode(input: HopfieldInput): State {
    this.assertAlive();
    return tf.tidy(() => {
      const { y, r } = this.inputs(input);
      return { [STATE_PATTERNS]: this.queries(r), [STORED_PATTERNS]: this.keys(y) };
    });
  }

  /** Retrieval: a noisy state pattern must be read out as the stored pattern it copies (MSE). */
  override readonly training: TrainingFace<ArrayBatch, ModuleTraining> = {
    schema: moduleTrainingSchema,
    data: (s) => taskBatches(retrievalTask(s.limit, this.config.storedPatternSize, this.config.inputSize, s.seed), s),
    loss: ({ x, labels }) => tf.tidy(() => this.retrievalLoss(x, labels!)),
    evaluate: (_epoch, s) => {
      const set = retrievalTask(HELD_OUT, this.config.storedPatternSize, this.config.inputSize, s.seed + 1000);
      return tf.tidy(() => ({ mse: this.retrievalLoss(tf.tensor2d(set.data, [set.count, set.shape[0]!]), tf.tensor1d(set.labels as Int32Array, 'int32')).dataSync()[0]! }));
    },
  };

  protected keysOf(state: State): tf.Tensor3D {
    return state[STORED_PATTERNS] as tf.Tensor3D;
  }

  private retrievalLoss(x: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
    const c = this.config;
    const b = x.shape[0]!;
    const ds = c.storedPatternSize;
    const flatStored = tf.slice(x, [0, 0], [b, RETRIEVAL_PATTERNS * ds]);
    const stored = flatStored.reshape([b, RETRIEVAL_PATTERNS, ds]) as tf.Tensor3D;
    const state = tf.slice(x, [0, RETRIEVAL_PATTERNS * ds], [b, c.inputSize]).reshape([b, 1, c.inputSize]) as tf.Tensor3D;
    // Target: the copied stored pattern, cut or zero-padded to the output depth.
    const chosen = tf.sum(tf.mul(stored, tf.oneHot(labels, RETRIEVAL_PATTERNS).reshape([b, RETRIEVAL_PATTERNS, 1])), 1);
    const d = this.outDepth;
    const target = d <= ds ? tf.slice(chosen, [0, 0], [b, d]) : tf.pad(chosen, [[0, 0], [0, d - ds]]);
    const input: HopfieldInput = c.patternProjectionSize === ds ? { stored, state } : { stored, state, projection: tf.zeros([b, RETRIEVAL_PATTERNS, c.patternProjectionSize]) };
    const out = this.forward(input).reshape([b, d]);
    return tf.losses.meanSquaredError(target, out) as tf.Scalar;
  }

  private inputs(input: HopfieldInput): { y: tf.Tensor3D; r: tf.Tensor3D; v: tf.Tensor3D } {
    const c = this.config;
    const given = typeof input === 'object' && input !== null && !(input instanceof tf.Tensor) && !Array.isArray(input) && !ArrayBuffer.isView(input) && 'stored' in input;
    const parts = given ? (input as { stored: TensorInput; state: TensorInput; projection?: TensorInput }) : { stored: input as TensorInput, state: input as TensorInput };
    const y = this.input3d('stored', parts.stored, c.storedPatternSize);
    const r = this.input3d('state', parts.state, c.inputSize);
    const v = this.input3d('projection', parts.projection ?? parts.stored, c.patternProjectionSize);
    return { y, r, v };
  }

  private queries(r: tf.Tensor3D): tf.Tensor3D {
    return this.project('query', this.norm('normState', r, this.config.normalizeStatePattern)) as tf.Tensor3D;
  }

  private keys(y: tf.Tensor3D): tf.Tensor3D {
    return this.project('key', this.norm('normStored', y, this.config.normalizeStoredPattern)) as tf.Tensor3D;
  }

  private associateInput(input: HopfieldInput, withEnergy: boolean): Association {
    this.assertAlive();
    const c = this.config;
    return tf.tidy(() => {
      const { y, r, v } = this.inputs(input);
      const vv = this.project('value', this.norm('normProjection', v, c.normalizePatternProjection)) as tf.Tensor3D;
      return this.finish(associate(this.queries(r), this.keys(y), vv, this.assocOptions(withEnergy)));
    });
  }
}
