/**
 * The asymmetric rule shared by SeqNet, DenseNet and the pseudoinverse rule,
 *
 *   S_i(t+1) = sgn( sum_mu xi_i^(mu+1) F(x_i^mu) ),   sgn(0) = +1,
 *
 * with x_i^mu the overlap of the state with key mu, neuron i left out
 * (`excludeSelf`, as in the paper) or not. The state has layers 'v' [B, N] and
 * 'overlaps' [B, P] (m^mu = xi^mu . v / N, derived from v).
 */
import * as tf from '@tensorflow/tfjs';
import type { Separation, State, StateLayer } from '@engram/core';
import { TransitionField } from './field.js';
import { nextPatterns } from './patterns.js';
import { SequenceModel, type Hold } from './sequence-model.js';
import { binarySign } from './sign.js';

/** What an {@link AsymmetricNetwork} is built with. */
export interface AsymmetricSettings {
  /** F (core's separation). */
  separation: Separation;
  /** Leave neuron i out of its own overlaps. */
  excludeSelf: boolean;
}

/** Base of SeqNet, DenseNet and the GPI rule (internal). */
export abstract class AsymmetricNetwork<Kind extends string, Config extends object> extends SequenceModel<Config> {
  readonly kind: Kind;
  readonly layers: readonly StateLayer[];
  protected readonly derivedLayers = ['overlaps'] as const;
  /** Neuron i left out of its own overlaps. */
  readonly excludeSelf: boolean;
  protected readonly separationFn: Separation;
  private field: TransitionField | undefined;

  protected constructor(kind: Kind, patterns: tf.Tensor3D, settings: AsymmetricSettings) {
    super(patterns, patterns.shape[1]);
    this.kind = kind;
    this.excludeSelf = settings.excludeSelf;
    this.separationFn = settings.separation;
    this.layers = [
      { name: 'v', shape: [this.size], values: 'binary' },
      { name: 'overlaps', shape: [this.length] },
    ];
  }

  /** The keys K [S, P, N] of the field (default: the patterns; GPI: O^+ Xi). Caller owns. */
  protected keys(): tf.Tensor3D {
    return this.patterns.clone();
  }

  /** Whether the keys are the ±1 patterns. */
  protected get binaryKeys(): boolean {
    return true;
  }

  /** True when sgn(0) = +1 is applied to the exact field (integer overlaps, see the README); false for real-valued fields. */
  get exactTies(): boolean {
    this.assertAlive();
    return this.field!.exactTies;
  }

  protected rebuild(): void {
    const targets = nextPatterns(this.patterns);
    const keys = this.keys();
    try {
      this.field = new TransitionField({
        keys,
        targets,
        separation: this.separationFn,
        excludeSelf: this.excludeSelf,
        binaryKeys: this.binaryKeys,
        binaryStates: true,
        signOnly: true,
        owner: this.kind,
        key: 'separation',
      });
    } finally {
      targets.dispose();
      keys.dispose();
    }
  }

  protected releaseDerived(): void {
    this.field?.dispose();
    this.field = undefined;
  }

  protected complete(state: State): void {
    state['overlaps'] = this.overlapsOf(state['v'] as tf.Tensor2D);
  }

  protected transition(state: State, hold: Hold): State {
    const field = this.field!;
    return tf.tidy(() => {
      const v = state['v'] as tf.Tensor2D;
      const h = field.field(this.to3d(v), field.mode === 'integer' ? { rawOverlaps: this.rawOverlaps(state) } : {});
      const next = hold(binarySign(h).reshape(v.shape) as tf.Tensor2D);
      return { v: next, overlaps: this.overlapsOf(next) };
    });
  }
}
