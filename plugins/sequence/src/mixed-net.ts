/**
 * MixedNet with variable timing (Chaudhry et al. 2023, section 5): a
 * symmetric term that holds the current pattern plus a lambda-weighted
 * asymmetric term driven by a low-pass filtered (delayed) state,
 *
 *   S_i(t+1) = sgn( sum_mu xi_i^mu f_S(x_i^mu[S(t)]) + lambda sum_mu xi_i^(mu+1) f_A(x_i^mu[Sbar(t)]) ),
 *   Sbar(t) = (1/tau) sum_{k=0}^{tau-1} S(t-k),
 *
 * so each element is held for about tau steps before the transition (with a
 * steep f and lambda > 1 the asymmetric term wins only once the whole window
 * sits on one pattern). The state has layers 'v' [B, N], 'history' [B, tau, N]
 * (the filter window, newest last) and 'overlaps' [B, P].
 */
import * as tf from '@tensorflow/tfjs';
import { errors, explicitRule, type DynamicsSystem, type JsonObject, type State, type TensorInput } from '@engram/core';
import { SequenceMemoryBase, nextPatterns, readBool, readNumber, readPatterns, type SequencePatternsOptions } from './internal/base.js';
import { TransitionField, binarySign } from './internal/field.js';
import { parseSeparation, separationToJson, type Separation } from './separation.js';

/** Options of {@link MixedNet}. */
export interface MixedNetOptions extends SequencePatternsOptions {
  /** Weight of the asymmetric term (default 2.5, as in the paper). */
  lambda?: number;
  /** Length of the low-pass filter window in steps (default 5). */
  tau?: number;
  /** f_S of the symmetric term (default x^2). */
  symmetric?: Separation;
  /** f_A of the asymmetric term (default: the same as f_S). */
  asymmetric?: Separation;
  /** Exclude neuron i from its own overlap (default true). */
  excludeSelf?: boolean;
}

/**
 * The MixedNet. `initialState(cue)` starts with an empty (zero) past, so the
 * cue is held for tau steps; `initialStateWithPast(cue, previous)` fills the
 * window with tau - 1 copies of `previous` first, as the paper's simulations do.
 *
 * @example
 * const net = mixedNet({ neurons: 100, length: 40, lambda: 2.5, tau: 5, symmetric: { kind: 'polynomial', degree: 10 }, seed: 3 });
 */
export class MixedNet extends SequenceMemoryBase {
  readonly kind = 'sequence/mixed';
  readonly lambda: number;
  readonly tau: number;
  readonly symmetric: Separation;
  readonly asymmetric: Separation;
  readonly excludeSelf: boolean;
  private symField!: TransitionField;
  private asymField!: TransitionField;

  constructor(options: MixedNetOptions) {
    const lambda = readNumber('lambda', options.lambda, 2.5, (x) => x >= 0, 'a number >= 0');
    const tau = readNumber('tau', options.tau, 5, (x) => Number.isInteger(x) && x >= 1 && x <= 1000, 'an integer from 1 to 1000');
    const symmetric = parseSeparation(options.symmetric ?? { kind: 'polynomial', degree: 2 }, 'symmetric');
    const asymmetric = parseSeparation(options.asymmetric ?? symmetric, 'asymmetric');
    const excludeSelf = readBool('excludeSelf', options.excludeSelf, true);
    super(readPatterns(options, 'sequence/mixed'));
    this.lambda = lambda;
    this.tau = tau;
    this.symmetric = symmetric;
    this.asymmetric = asymmetric;
    this.excludeSelf = excludeSelf;
    this.rebuild();
  }

  protected rebuild(): void {
    const targets = nextPatterns(this.patterns);
    try {
      this.symField = new TransitionField({
        keys: this.patterns,
        targets: this.patterns,
        separation: this.symmetric,
        excludeSelf: this.excludeSelf,
        binaryKeys: true,
        binaryStates: true,
      });
      // The filtered state is not +-1: the field uses the binomial / cosh-sinh forms.
      this.asymField = new TransitionField({
        keys: this.patterns,
        targets,
        separation: this.asymmetric,
        excludeSelf: this.excludeSelf,
        binaryKeys: true,
        binaryStates: false,
      });
    } finally {
      targets.dispose();
    }
  }

  protected disposeDerived(): void {
    this.symField?.dispose();
    this.asymField?.dispose();
  }

  protected configExtra(): JsonObject {
    return {
      lambda: this.lambda,
      tau: this.tau,
      symmetric: separationToJson(this.symmetric),
      asymmetric: separationToJson(this.asymmetric),
      excludeSelf: this.excludeSelf,
    };
  }

  protected stateFromCue(cue: tf.Tensor2D): State {
    return this.buildState(cue, null);
  }

  private buildState(cue: tf.Tensor2D, previous: tf.Tensor2D | null): State {
    const b = cue.shape[0];
    const history = tf.tidy(() => {
      const past = previous ? tf.tile(previous.expandDims(1), [1, this.tau - 1, 1]) : tf.zeros([b, this.tau - 1, this.neurons]);
      return tf.concat([past, cue.expandDims(1)], 1);
    });
    return { v: cue.clone(), history, overlaps: this.overlaps(cue) };
  }

  /**
   * Initial state whose filter window holds tau - 1 copies of `previous`
   * (e.g. the pattern before the cue) and then the cue (caller owns it).
   */
  initialStateWithPast(cue: TensorInput, previous: TensorInput): State {
    const v = this.checkCue(cue);
    let prev: tf.Tensor2D | undefined;
    try {
      prev = this.checkCue(previous);
      if (prev.shape[0] !== v.shape[0]) throw errors.shapeMismatch('previous', v.shape, prev.shape);
      return this.buildState(v, prev);
    } finally {
      v.dispose();
      prev?.dispose();
    }
  }

  /** One transition from a full state (caller owns the result). */
  next(state: State): State {
    this.assertLive();
    const v = state['v'] as tf.Tensor2D;
    const history = state['history'] as tf.Tensor3D;
    if (!v || !history) throw errors.invalidArgument('state', "layers 'v' and 'history' (use initialState)", Object.keys(state));
    const b = v.shape[0];
    const out = tf.tidy(() => {
      const avg = tf.mean(history, 1) as tf.Tensor2D;
      const hs = this.symField.field(this.to3d(v));
      const ha = this.asymField.field(this.to3d(avg));
      const nv = binarySign(tf.add(hs, tf.mul(ha, this.lambda))).reshape([b, this.neurons]) as tf.Tensor2D;
      const nh = this.tau === 1 ? nv.expandDims(1) : tf.concat([history.slice([0, 1, 0], [-1, -1, -1]), nv.expandDims(1)], 1);
      return { v: nv, history: nh };
    });
    return { ...out, overlaps: this.overlaps(out.v) };
  }

  system(): DynamicsSystem {
    this.assertLive();
    return explicitRule({ update: (state) => this.next(state) });
  }
}

/** Creates a {@link MixedNet}. */
export function mixedNet(options: MixedNetOptions): MixedNet {
  return new MixedNet(options);
}

