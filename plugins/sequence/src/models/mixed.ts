/**
 * MixedNet with variable timing (Chaudhry et al. 2023, section 5): a
 * symmetric term that holds the current pattern plus a lambda-weighted
 * asymmetric term driven by the mean of the last `delay` states,
 *
 *   S_i(t+1) = sgn( sum_mu xi_i^mu F_S(x_i^mu[S(t)]) + lambda sum_mu xi_i^(mu+1) F_A(x_i^mu[Sbar(t)]) ),
 *   Sbar(t) = (1/delay) sum_{k=0}^{delay-1} S(t-k),
 *
 * so each element is held for about `delay` steps before the transition (with a
 * steep F and lambda > 1 the asymmetric term wins only once the whole window
 * sits on one pattern). `delay` is the paper's tau, renamed: it is a window
 * length in steps, not a time constant. The state has layers 'v' [B, N],
 * 'history' [B, delay, N] (the window, newest last) and 'overlaps' [B, P].
 * The field mixes two real-valued terms, so sgn(0) = +1 applies to a float32
 * field (ties are not exact).
 */
import * as tf from '@tensorflow/tfjs';
import { errors, parseConfig, z, type State, type StateLayer, type TensorInput } from '@engram/core';
import { TransitionField } from '../internal/field.js';
import { checkStoredSize, nextPatterns, patternConfigShape, storedPatterns, withPatterns, type PatternKey } from '../internal/patterns.js';
import { resolveSeparation, sequenceSeparationSchema, type ResolvedSeparation } from '../internal/separation.js';
import { SequenceModel, type Hold } from '../internal/sequence-model.js';
import { binarySign } from '../internal/sign.js';

/** The config of `sequence/mixed`. */
export const mixedNetSchema = z
  .strictObject({
    ...patternConfigShape,
    lambda: z.number().min(0).default(2.5).describe('weight of the asymmetric (delayed) term (2.5 in the paper)'),
    delay: z.number().int().min(1).max(1000).default(5).describe("steps in the window whose mean drives the transition (the paper's tau): each element is held ~delay steps"),
    symmetric: sequenceSeparationSchema.default({ kind: 'power', n: 2 }).describe('F_S of the symmetric term'),
    asymmetric: sequenceSeparationSchema.optional().describe('F_A of the asymmetric term (default: the same as symmetric)'),
    excludeSelf: z.boolean().default(true).describe("leave neuron i out of its own overlaps (the paper's rule)"),
  })
  .superRefine(checkStoredSize);

/** A MixedNet config as written, e.g. `{ size: 100, length: 40, delay: 5, symmetric: { kind: 'power', n: 10 } }`. */
export type MixedNetConfigInput = z.input<typeof mixedNetSchema>;
/** A parsed MixedNet config, as `getConfig()` returns it (both separations resolved). */
export type MixedNetConfig = Omit<z.output<typeof mixedNetSchema>, 'symmetric' | 'asymmetric'> & {
  symmetric: ResolvedSeparation;
  asymmetric: ResolvedSeparation;
};

/**
 * The MixedNet. `initialState(cue)` starts with an empty (zero) past, so the
 * cue is held about `delay` steps; {@link initialStateWithPast} fills the
 * window with delay - 1 copies of the previous element first, as the paper's
 * simulations do (and so does a generated `initialState(batch)`).
 *
 * @example
 * const net = new MixedNet({ size: 100, length: 40, lambda: 2.5, delay: 5, symmetric: { kind: 'power', n: 10 }, seed: 3 });
 */
export class MixedNet extends SequenceModel<MixedNetConfig> {
  readonly kind = 'sequence/mixed' as const;
  readonly layers: readonly StateLayer[];
  protected readonly derivedLayers = ['overlaps'] as const;
  private readonly config: MixedNetConfig;
  private readonly fns: { symmetric: ReturnType<typeof resolveSeparation>; asymmetric: ReturnType<typeof resolveSeparation> };
  private symField: TransitionField | undefined;
  private asymField: TransitionField | undefined;

  /**
   * @param config - sizes, generator and rule settings (checked: ENGRAM_ERR_INVALID_CONFIG)
   * @param patterns - the stored sequences ([P, N] or [S, P, N], ±1) instead of random ones; must match the sizes
   */
  constructor(config: MixedNetConfigInput, patterns?: TensorInput) {
    const c = parseConfig(mixedNetSchema, config, 'sequence/mixed');
    const symmetric = resolveSeparation(c.symmetric, c.size, 'sequence/mixed');
    const asymmetric = c.asymmetric ? resolveSeparation(c.asymmetric, c.size, 'sequence/mixed') : symmetric;
    const p = storedPatterns(c, patterns, 'sequence/mixed');
    super(p, c.length * c.delay);
    this.fns = { symmetric, asymmetric };
    this.config = { ...c, symmetric: symmetric.json, asymmetric: asymmetric.json };
    this.layers = [
      { name: 'v', shape: [this.size], values: 'binary' },
      { name: 'history', shape: [c.delay, this.size] },
      { name: 'overlaps', shape: [this.length] },
    ];
    this.build();
  }

  /** A MixedNet storing `patterns` ([P, N] or [S, P, N], ±1); the sizes come from their shape. */
  static fromPatterns(patterns: TensorInput, options: Omit<MixedNetConfigInput, PatternKey> = {}): MixedNet {
    return withPatterns(patterns, 'sequence/mixed', (sizes, checked) => new MixedNet({ ...options, ...sizes }, checked));
  }

  /** Steps in the filter window. */
  get delay(): number {
    return this.config.delay;
  }

  /** Weight of the asymmetric term. */
  get lambda(): number {
    return this.config.lambda;
  }

  /** Always false: the MixedNet adds two real-valued terms, so sgn(0) = +1 applies to a float32 field. */
  get exactTies(): boolean {
    this.assertAlive();
    return false;
  }

  getConfig(): MixedNetConfig {
    this.assertAlive();
    return { ...this.config, symmetric: { ...this.config.symmetric }, asymmetric: { ...this.config.asymmetric } };
  }

  protected rebuild(): void {
    const targets = nextPatterns(this.patterns);
    try {
      this.symField = new TransitionField({
        keys: this.patterns,
        targets: this.patterns,
        separation: this.fns.symmetric.fn,
        excludeSelf: this.config.excludeSelf,
        binaryKeys: true,
        binaryStates: true,
        signOnly: false, // added to the asymmetric term: needs its true (normalised) value
        owner: this.kind,
        key: 'symmetric',
      });
      // The window mean is not ±1: the field uses the binomial / cosh-sinh forms.
      this.asymField = new TransitionField({
        keys: this.patterns,
        targets,
        separation: this.fns.asymmetric.fn,
        excludeSelf: this.config.excludeSelf,
        binaryKeys: true,
        binaryStates: false,
        signOnly: false,
        owner: this.kind,
        key: this.fns.asymmetric === this.fns.symmetric ? 'symmetric' : 'asymmetric',
      });
    } finally {
      targets.dispose();
    }
  }

  protected releaseDerived(): void {
    this.symField?.dispose();
    this.asymField?.dispose();
    this.symField = undefined;
    this.asymField = undefined;
  }

  protected complete(state: State): void {
    const v = state['v'] as tf.Tensor2D;
    if (!state['history']) state['history'] = this.window(v, null);
    state['overlaps'] = this.overlapsOf(v);
  }

  /** The start of the sequences with the window on the element before them (pattern P - 1), as the paper's simulations. */
  protected override startState(batch: number): State {
    const state = super.startState(batch);
    const prev = this.patternAt(-1);
    try {
      state['history'] = tf.tidy(() => this.window(state['v'] as tf.Tensor2D, this.sequences === 1 ? tf.tile(prev, [batch, 1]) : prev));
    } finally {
      prev.dispose();
    }
    return state;
  }

  /** The window [B, delay, N]: delay - 1 copies of `previous` (zeros when null), then `cue`. */
  private window(cue: tf.Tensor2D, previous: tf.Tensor2D | null): tf.Tensor3D {
    const b = cue.shape[0];
    const d = this.config.delay;
    return tf.tidy(() => {
      const past = previous ? tf.tile(previous.expandDims(1), [1, d - 1, 1]) : tf.zeros([b, d - 1, this.size]);
      return tf.concat([past, cue.expandDims(1)], 1) as tf.Tensor3D;
    });
  }

  /**
   * A state whose window holds delay - 1 copies of `previous` (e.g. the
   * pattern before the cue) and then the cue; both ±1, [N] or [B, N]. Caller owns it.
   */
  initialStateWithPast(cue: TensorInput, previous: TensorInput): State {
    const prev = this.initialState(previous);
    let state: State | undefined;
    try {
      state = this.initialState(cue);
      const v = state['v'] as tf.Tensor2D;
      const p = prev['v'] as tf.Tensor2D;
      if (p.shape[0] !== v.shape[0]) throw errors.shapeMismatch('previous (batch size of the cue)', v.shape, p.shape);
      state['history']!.dispose();
      state['history'] = this.window(v, p);
      return state;
    } catch (err) {
      if (state) for (const t of Object.values(state)) t.dispose();
      throw err;
    } finally {
      for (const t of Object.values(prev)) t.dispose();
    }
  }

  protected transition(state: State, hold: Hold): State {
    const sym = this.symField!;
    const asym = this.asymField!;
    const v = state['v'] as tf.Tensor2D;
    const history = state['history'] as tf.Tensor3D;
    const b = v.shape[0];
    return tf.tidy(() => {
      const avg = tf.mean(history, 1) as tf.Tensor2D;
      const hs = sym.field(this.to3d(v));
      const ha = asym.field(this.to3d(avg));
      const next = hold(binarySign(tf.add(hs, tf.mul(ha, this.config.lambda))).reshape([b, this.size]) as tf.Tensor2D);
      const d = this.config.delay;
      const window = d === 1 ? next.expandDims(1) : tf.concat([history.slice([0, 1, 0], [-1, -1, -1]), next.expandDims(1)], 1);
      return { v: next, history: window, overlaps: this.overlapsOf(next) };
    });
  }
}
