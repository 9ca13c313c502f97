/**
 * The base of the hopfield-layers modules ({@link Hopfield}, {@link HopfieldPooling},
 * {@link HopfieldLayer}) on the model protocol: parameters, norms, projections,
 * and `run`, which streams the association's update iterations
 * xi <- softmax(beta xi K^T) K as an explicit system whose state is the state
 * patterns xi in Hopfield space (heads concatenated, [B, L, heads * hiddenSize]),
 * against stored patterns K in the same space.
 */
import * as tf from '@tensorflow/tfjs';
import {
  explicitRule,
  toTensor,
  ModelBase,
  type DynamicsSystem,
  type EnergyTerms,
  type GenerateOptions,
  type RunDefaults,
  type State,
  type StateInput,
  type TensorInput,
} from '@engram/core';
import { ParamStore, affineLayerNorm, linear } from '../internal/layers/params.js';
import { associationEnergy, associationUpdate, splitHeads, mergeHeads, type AssociateOptions, type Association } from '../internal/layers/associate.js';
import type { ModuleSettings } from './module-config.js';

/** Name of the state-pattern layer of a module's run. */
export const STATE_PATTERNS = 'state';
/** Name of the stored-pattern layer of a module's run (association and pooling). */
export const STORED_PATTERNS = 'stored';

/** Rows of the generated states of `initialState(batch)` where the length varies per run. */
export const GENERATED_ROWS = { state: 1, stored: 4 } as const;

/** Base of the modules. `Config` is the module's resolved config. */
export abstract class HopfieldModuleBase<Config extends ModuleSettings> extends ModelBase<Config> {
  /** Resolved settings. */
  readonly config: Config;
  protected readonly params: ParamStore;
  protected override readonly runDefaults: RunDefaults;

  protected constructor(config: Config) {
    super();
    this.config = config;
    this.params = new ParamStore(config.seed);
    this.runDefaults = { maxSteps: config.updateStepsMax, tolerance: config.updateStepsEps };
  }

  /** Depth of Hopfield space, heads * hiddenSize (the last axis of the run's layers). */
  get space(): number {
    return this.config.heads * this.config.hiddenSize;
  }

  /** Every parameter by name (live variables; all trainable). */
  variables(): Record<string, tf.Variable> {
    return this.params.all();
  }

  /** The resolved settings as JSON. */
  getConfig(): Config {
    return { ...this.config };
  }

  /**
   * Energy of a run's state: the modern Hopfield energy of every state pattern
   * against the stored patterns, per head, summed over heads and patterns
   * (term 'association'); lower is closer to a stored pattern.
   */
  energy(state: StateInput): EnergyTerms {
    this.assertAlive();
    const s = this.initialState(state);
    try {
      return this.energyOf(s);
    } finally {
      for (const t of Object.values(s)) t.dispose();
    }
  }

  /** The stored patterns in Hopfield space for a run's state: [B or 1, S, space]. */
  protected abstract keysOf(state: State): tf.Tensor3D;

  protected dynamics(): DynamicsSystem {
    const { heads, scaling: beta } = this.config;
    return explicitRule({
      update: (st) =>
        tf.tidy(() => {
          const xi = splitHeads(st[STATE_PATTERNS]!, heads);
          const next: State = { [STATE_PATTERNS]: mergeHeads(associationUpdate(xi, this.headKeys(st), beta)) };
          for (const [k, v] of Object.entries(st)) if (k !== STATE_PATTERNS) next[k] = v.clone();
          return next;
        }),
      energy: (st) => this.energyOf(st),
    });
  }

  /** Generated states: seeded normal noise (std default 1) with {@link GENERATED_ROWS} rows where the length varies. */
  protected override generateState(batch: number, options: GenerateOptions): State {
    const state: State = {};
    this.layers.forEach((l, i) => {
      const rows = l.shape[0] ?? GENERATED_ROWS[l.name as keyof typeof GENERATED_ROWS] ?? 1;
      state[l.name] = tf.randomNormal([batch, rows, this.space], 0, options.std || 1, 'float32', (options.seed ?? 0) + i);
    });
    return state;
  }

  protected override release(): void {
    this.params.dispose();
  }

  /** Adds an affine layer norm of depth `size` named `name` when `on`. */
  protected addNorm(name: string, size: number, on: boolean): void {
    if (!on) return;
    this.params.constant(`${name}.gamma`, [size], 1);
    this.params.constant(`${name}.beta`, [size], 0);
  }

  /** Adds a linear map in -> out with bias (weights stored [in, out]). */
  protected addLinear(name: string, inSize: number, outSize: number): void {
    this.params.glorot(`${name}.weight`, inSize, outSize);
    this.params.constant(`${name}.bias`, [outSize], 0);
  }

  protected norm(name: string, x: tf.Tensor, on: boolean): tf.Tensor {
    return on ? affineLayerNorm(x, this.params.get(`${name}.gamma`), this.params.get(`${name}.beta`)) : x;
  }

  protected project(name: string, x: tf.Tensor): tf.Tensor {
    return linear(x, this.params.get(`${name}.weight`), this.params.get(`${name}.bias`));
  }

  /** Applies the output projection (unless disabled) to an association. */
  protected finish(a: Association): Association {
    if (this.config.disableOutProjection) return a;
    const out: Association = { output: this.project('out', a.output) as tf.Tensor3D, association: a.association };
    if (a.energy) out.energy = a.energy;
    return out;
  }

  /** A checked [batch, length, depth] input (a copy the enclosing tidy frees; gradients flow through it). */
  protected input3d(name: string, x: TensorInput, depth: number): tf.Tensor3D {
    return toTensor(x, name, { shape: ['batch', 'length', depth], finite: true }) as tf.Tensor3D;
  }

  /** Output depth after the (optional) output projection. */
  protected get outDepth(): number {
    return this.config.disableOutProjection ? this.config.heads * this.config.patternSize : this.config.outputSize;
  }

  protected assocOptions(withEnergy = false): AssociateOptions {
    const c = this.config;
    return { heads: c.heads, beta: c.scaling, steps: c.updateStepsMax, eps: c.updateStepsEps, withEnergy };
  }

  /** Keeps only the energy of an association computed with `withEnergy`. */
  protected static energyOnly(a: Association): tf.Tensor3D {
    tf.dispose([a.output, a.association]);
    return a.energy!;
  }

  private headKeys(st: State): tf.Tensor4D {
    const k = this.keysOf(st);
    const b = st[STATE_PATTERNS]!.shape[0]!;
    return splitHeads(k.shape[0] === b ? k : tf.tile(k, [b, 1, 1]), this.config.heads);
  }

  private energyOf(st: State): EnergyTerms {
    return tf.tidy(() => {
      const e = associationEnergy(splitHeads(st[STATE_PATTERNS]!, this.config.heads), this.headKeys(st), this.config.scaling);
      const association = tf.sum(e, [1, 2]) as tf.Tensor1D;
      return { total: association.clone(), terms: { association } };
    });
  }
}
