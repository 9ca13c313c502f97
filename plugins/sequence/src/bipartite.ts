/**
 * The two-layer (bipartite) form of the DenseNet for sequences (Chaudhry et
 * al. 2023): a visible layer v of N +-1 neurons and one hidden unit per stored
 * transition,
 *
 *   h_mu = g_mu f(xi^mu . v / N),      v <- sgn( sum_mu M^mu h_mu ),
 *
 * with M^mu = xi^(mu+1) (the "value" of key xi^mu) and a gain g_mu in {0, 1}.
 * Each hidden unit carries exactly one transition xi^mu -> xi^(mu+1): silencing
 * it (g_mu = 0) removes that transition and no other. Without self-exclusion
 * this is the DenseNet's rule written with an explicit hidden layer.
 * The state has layers 'v' [B, N], 'h' [B, P] (the hidden units driving the
 * next transition) and 'overlaps' [B, P].
 */
import * as tf from '@tensorflow/tfjs';
import { errors, explicitRule, type DynamicsSystem, type JsonObject, type State } from '@engram/core';
import { SequenceMemoryBase, nextPatterns, readPatterns, type SequencePatternsOptions } from './internal/base.js';
import { binarySign, intPow } from './internal/field.js';
import { parseSeparation, separationToJson, type Separation } from './separation.js';

/** Options of {@link BipartiteSequenceNet}. */
export interface BipartiteOptions extends SequencePatternsOptions {
  /** f of the hidden units (default x^2). */
  separation?: Separation;
}

/**
 * The bipartite sequence memory. Weights: 'patterns' (keys) [S, P, N] and
 * 'gain' [S, P] (1 = hidden unit active, 0 = silenced).
 *
 * @example
 * const net = bipartiteNet({ neurons: 100, length: 20, separation: { kind: 'polynomial', degree: 3 }, seed: 1 });
 * net.silence(7); // the transition xi^7 -> xi^8 is gone, every other one remains
 */
export class BipartiteSequenceNet extends SequenceMemoryBase {
  readonly kind = 'sequence/bipartite';
  readonly separation: Separation;
  private values!: tf.Tensor3D;
  private gain: tf.Tensor2D;

  constructor(options: BipartiteOptions) {
    const separation = parseSeparation(options.separation ?? { kind: 'polynomial', degree: 2 });
    super(readPatterns(options, 'sequence/bipartite'));
    this.separation = separation;
    this.gain = tf.ones([this.sequences, this.length]);
    this.rebuild();
  }

  protected rebuild(): void {
    this.values = nextPatterns(this.patterns);
  }

  protected disposeDerived(): void {
    this.values?.dispose();
  }

  override dispose(): void {
    super.dispose();
    this.gain.dispose();
  }

  protected configExtra(): JsonObject {
    return { separation: separationToJson(this.separation) };
  }

  override getWeights(): Record<string, tf.Tensor> {
    return { ...super.getWeights(), gain: this.gain };
  }

  override setWeights(weights: Record<string, tf.Tensor>): void {
    const g = weights['gain'];
    if (g && !tf.util.arraysEqual(g.shape, this.gain.shape)) throw errors.shapeMismatch('weight gain', this.gain.shape, g.shape);
    super.setWeights(weights);
    if (g) {
      this.gain.dispose();
      this.gain = tf.tidy(() => g.toFloat().clone()) as tf.Tensor2D;
    }
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
    this.assertLive();
    const list = typeof units === 'number' ? [units] : units;
    const g = this.gain.arraySync() as number[][];
    for (const u of list) {
      if (!Number.isInteger(u) || u < 0 || u >= this.length) throw errors.invalidArgument('hidden unit', `an integer in [0, ${this.length})`, u);
      for (const row of g) row[u] = value;
    }
    this.gain.dispose();
    this.gain = tf.tensor2d(g);
  }

  /** Hidden activity g_mu f(xi^mu . v / N) for states v [B, N]: [B, P] (caller owns). */
  hidden(v: tf.Tensor2D): tf.Tensor2D {
    this.assertLive();
    return tf.tidy(() => {
      const m = this.overlaps(v); // [B, P]
      const s = this.separation;
      const f = s.kind === 'polynomial' ? intPow(m, s.degree) : tf.exp(tf.mul(tf.sub(m, 1), this.neurons - 1));
      // gain [S, P] broadcasts over the batch when S = 1 and matches [B = S, P] otherwise
      return tf.mul(f, this.gain) as tf.Tensor2D;
    });
  }

  protected stateFromCue(cue: tf.Tensor2D): State {
    return { v: cue.clone(), h: this.hidden(cue), overlaps: this.overlaps(cue) };
  }

  /** One transition from a full state: v' = sgn(sum_mu M^mu h_mu), then h' and overlaps of v'. */
  next(state: State): State {
    this.assertLive();
    const h = state['h'] as tf.Tensor2D;
    if (!h) throw errors.invalidArgument('state', "layers 'v' and 'h' (use initialState)", Object.keys(state));
    const b = h.shape[0];
    const v = tf.tidy(() => {
      const h3 = (this.sequences === 1 ? h.reshape([1, b, this.length]) : h.reshape([this.sequences, 1, this.length])) as tf.Tensor3D;
      return binarySign(tf.matMul(h3, this.values)).reshape([b, this.neurons]) as tf.Tensor2D;
    });
    return { v, h: this.hidden(v), overlaps: this.overlaps(v) };
  }

  system(): DynamicsSystem {
    this.assertLive();
    return explicitRule({ update: (state) => this.next(state) });
  }
}

/** Creates a {@link BipartiteSequenceNet}. */
export function bipartiteNet(options: BipartiteOptions): BipartiteSequenceNet {
  return new BipartiteSequenceNet(options);
}
