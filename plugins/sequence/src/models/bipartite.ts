/**
 * The two-layer (bipartite) form of the DenseNet for sequences (Chaudhry et
 * al. 2023): a visible layer v of N ±1 neurons and one hidden unit per stored
 * transition,
 *
 *   h_mu = g_mu F(xi^mu . v / N),      v <- sgn( sum_mu xi^(mu+1) h_mu ),   sgn(0) = +1,
 *
 * with a gain g_mu in {0, 1}: each hidden unit carries exactly one transition
 * xi^mu -> xi^(mu+1), so silencing it (g_mu = 0) removes that transition and no
 * other. Without self-exclusion this is the DenseNet rule written with an
 * explicit hidden layer. The state has layers 'v' [B, N], 'h' [B, P] (the hidden
 * units driving the next transition) and 'overlaps' [B, P], both derived from v.
 * With F = x^n the update is computed on the integer overlaps, so ties are exact.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, parseConfig, z, type State, type StateLayer, type TensorInput } from '@engram/core';
import { TransitionField } from '../internal/field.js';
import { checkStoredSize, nextPatterns, patternConfigShape, storedPatterns, withPatterns, type PatternKey } from '../internal/patterns.js';
import { resolveSeparation, sequenceSeparationSchema, type ResolvedSeparation } from '../internal/separation.js';
import { SequenceModel, type Hold } from '../internal/sequence-model.js';
import { binarySign } from '../internal/sign.js';

/** The config of `sequence/bipartite`. */
export const bipartiteNetSchema = z
  .strictObject({
    ...patternConfigShape,
    separation: sequenceSeparationSchema.default({ kind: 'power', n: 2 }).describe("F of the hidden units: { kind: 'power', n } or { kind: 'exp', beta }"),
  })
  .superRefine(checkStoredSize);

/** A bipartite config as written, e.g. `{ size: 100, length: 12, separation: { kind: 'power', n: 3 } }`. */
export type BipartiteNetConfigInput = z.input<typeof bipartiteNetSchema>;
/** A parsed bipartite config, as `getConfig()` returns it. */
export type BipartiteNetConfig = Omit<z.output<typeof bipartiteNetSchema>, 'separation'> & { separation: ResolvedSeparation };

/**
 * The bipartite sequence memory. Weights: 'patterns' (keys) [S, P, N] and
 * 'gain' [S, P] (1 = hidden unit active, 0 = silenced), so a silenced network
 * saves and loads as such.
 *
 * @example
 * const net = new BipartiteNet({ size: 100, length: 20, separation: { kind: 'power', n: 3 }, seed: 1 });
 * net.silence(7); // the transition xi^7 -> xi^8 is gone, every other one remains
 */
export class BipartiteNet extends SequenceModel<BipartiteNetConfig> {
  readonly kind = 'sequence/bipartite' as const;
  readonly layers: readonly StateLayer[];
  protected readonly derivedLayers = ['h', 'overlaps'] as const;
  private readonly config: BipartiteNetConfig;
  private readonly fn: ReturnType<typeof resolveSeparation>;
  private readonly gain: tf.Variable<tf.Rank.R2>;
  private field: TransitionField | undefined;

  /**
   * @param config - sizes, generator and F (checked: ENGRAM_ERR_INVALID_CONFIG)
   * @param patterns - the stored sequences ([P, N] or [S, P, N], ±1) instead of random ones; must match the sizes
   */
  constructor(config: BipartiteNetConfigInput, patterns?: TensorInput) {
    const c = parseConfig(bipartiteNetSchema, config, 'sequence/bipartite');
    const fn = resolveSeparation(c.separation, c.size, 'sequence/bipartite');
    super(storedPatterns(c, patterns, 'sequence/bipartite'), c.length);
    this.fn = fn;
    this.config = { ...c, separation: fn.json };
    this.gain = tf.tidy(() => tf.variable(tf.ones([this.sequences, this.length]), false)) as tf.Variable<tf.Rank.R2>;
    this.layers = [
      { name: 'v', shape: [this.size], values: 'binary' },
      { name: 'h', shape: [this.length] },
      { name: 'overlaps', shape: [this.length] },
    ];
    this.build();
  }

  /** A bipartite network storing `patterns` ([P, N] or [S, P, N], ±1); the sizes come from their shape. */
  static fromPatterns(patterns: TensorInput, options: Omit<BipartiteNetConfigInput, PatternKey> = {}): BipartiteNet {
    return withPatterns(patterns, 'sequence/bipartite', (sizes, checked) => new BipartiteNet({ ...options, ...sizes }, checked));
  }

  /** True when sgn(0) = +1 is applied to the exact field (F = x^n on integer overlaps, see the README). */
  get exactTies(): boolean {
    this.assertAlive();
    return this.field!.exactTies;
  }

  getConfig(): BipartiteNetConfig {
    this.assertAlive();
    return { ...this.config, separation: { ...this.config.separation } };
  }

  protected override ownVariables(): Record<string, tf.Variable> {
    return { ...super.ownVariables(), gain: this.gain };
  }

  override setWeights(weights: Readonly<Record<string, tf.Tensor>>): void {
    this.assertAlive();
    const g = weights['gain'];
    if (g && !g.isDisposed) {
      const bad = tf.tidy(() => tf.sum(tf.cast(tf.logicalAnd(tf.notEqual(g, 0), tf.notEqual(g, 1)), 'int32')).dataSync()[0]!);
      if (bad > 0) throw errors.invalidArgument(`weight 'gain' of ${this.kind}`, 'entries 0 (silenced) or 1 (active)', `${bad} other entries`);
    }
    super.setWeights(weights);
  }

  /** Silences hidden units (transitions xi^mu -> xi^(mu+1)) in every stored sequence. */
  silence(units: number | readonly number[]): void {
    this.setGain(units, 0);
  }

  /** Re-activates hidden units. */
  restore(units: number | readonly number[]): void {
    this.setGain(units, 1);
  }

  private setGain(units: number | readonly number[], value: number): void {
    this.assertAlive();
    const list = typeof units === 'number' ? [units] : units;
    for (const u of list) {
      if (!Number.isInteger(u) || u < 0 || u >= this.length) throw errors.invalidArgument('hidden unit', `an integer in [0, ${this.length})`, u);
    }
    const g = this.gain.arraySync();
    for (const u of list) for (const row of g) row[u] = value;
    tf.tidy(() => this.gain.assign(tf.tensor2d(g)));
  }

  /** Hidden activity g_mu F(xi^mu . v / N) of states v ([N] or [B, N]): [B, P] (caller owns). */
  hidden(v: TensorInput): tf.Tensor2D {
    const x = this.readStates(v, 'v');
    try {
      return this.hiddenOf(x);
    } finally {
      x.dispose();
    }
  }

  private hiddenOf(v: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const m = this.overlapsOf(v);
      // gain [S, P] broadcasts over the batch when S = 1 and matches [B = S, P] otherwise
      return tf.mul(this.fn.fn.apply(m, this.fn.json.kind === 'exp' ? 1 : 0), this.gain) as tf.Tensor2D;
    });
  }

  protected rebuild(): void {
    const values = nextPatterns(this.patterns);
    try {
      this.field = new TransitionField({
        keys: this.patterns,
        targets: values,
        separation: this.fn.fn,
        excludeSelf: false,
        binaryKeys: true,
        binaryStates: true,
        signOnly: true,
        owner: this.kind,
        key: 'separation',
      });
    } finally {
      values.dispose();
    }
  }

  protected releaseDerived(): void {
    this.field?.dispose();
    this.field = undefined;
  }

  protected complete(state: State): void {
    const v = state['v'] as tf.Tensor2D;
    state['h'] = this.hiddenOf(v);
    state['overlaps'] = this.overlapsOf(v);
  }

  /**
   * v' = sgn(sum_mu xi^(mu+1) h_mu), then h' and the overlaps of v'. h is
   * derived from v, so the field is evaluated from v's overlaps (in integer
   * units for F = x^n: the same sign as from h, without rounding).
   */
  protected transition(state: State, hold: Hold): State {
    const field = this.field!;
    return tf.tidy(() => {
      const v = state['v'] as tf.Tensor2D;
      const gain = this.gain.expandDims(1); // [S, 1, P]
      const input = field.mode === 'integer' ? { rawOverlaps: this.rawOverlaps(state), gain } : { gain };
      const next = hold(binarySign(field.field(this.to3d(v), input)).reshape(v.shape) as tf.Tensor2D);
      return { v: next, h: this.hiddenOf(next), overlaps: this.overlapsOf(next) };
    });
  }
}

