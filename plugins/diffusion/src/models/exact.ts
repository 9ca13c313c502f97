/**
 * The exact (optimal) denoiser of a finite training set {xi_mu}, mu = 1..K: the
 * posterior mean under p_sigma = (1/K) sum_mu N(xi_mu, sigma^2 I),
 *
 *   D(x, sigma) = sum_mu softmax_mu(-||x - xi_mu||^2 / (2 sigma^2)) xi_mu,
 *
 * which is one modern-Hopfield update with beta = 1/sigma^2 (the -||x||^2 term is
 * the same for every mu and drops out of the softmax, leaving
 * beta (xi_mu . x - ||xi_mu||^2 / 2)).
 *
 * It is built from core parts, not written by hand: at each noise level the
 * model is a core {@link EnergyGraph} with one layer 'x' of size + 1 (identity
 * Lagrangian; the extra unit is held at 1) and core's memory synapse
 * (separation 'lse', beta = 1/sigma^2) on the augmented patterns
 * [xi_mu, -||xi_mu||^2 / 2]. The graph energy is
 * E = (||x||^2 + 1)/2 - sigma^2 lse_mu(beta (xi_mu . x - ||xi_mu||^2 / 2)), so
 *
 *   -log p_sigma(x) = beta (E - 1/2) + log K + (size/2) log(2 pi sigma^2),
 *
 * and one descent step with dt = 1 (tau = 1) maps [x, 1] to -dE_mem/dg, whose
 * first `size` entries are D(x, sigma): the memory synapse's closed-form gradient
 * is the denoiser.
 */
import * as tf from '@tensorflow/tfjs';
import {
  EnergyGraph,
  descentStep,
  lagrangians,
  memorySynapse,
  parseConfig,
  readState,
  toTensor,
  z,
  errors,
  type EnergyTerms,
  type StateInput,
  type StateLayer,
  type TensorInput,
} from '@engram/core';
import { DEFAULT_SIGMA_MIN, DenoiserModel } from './denoiser.js';

/** Registered id of {@link ExactDenoiser}. */
export const EXACT_KIND = 'diffusion/exact';

/** Config of 'diffusion/exact'. The patterns themselves are weights (constructor option, `setWeights`, or a saved file). */
export const exactDenoiserSchema = z.strictObject({
  memories: z.number().int().positive().describe('number of stored patterns K (the training set)'),
  size: z.number().int().positive().describe('size of a pattern (the data dimension)'),
});

/** Config of {@link ExactDenoiser}, as given. */
export type ExactDenoiserConfig = z.input<typeof exactDenoiserSchema>;

/** How many noise levels keep their graph (a default EDM run visits 18, one sweep's restarts 10 more). */
const GRAPH_CACHE_SIZE = 64;

/** The inverse temperature of the memory at a noise level: 1/sigma^2 (sigma checked positive and finite). */
function betaOf(sigma: number): number {
  if (typeof sigma !== 'number' || !(sigma > 0) || !Number.isFinite(sigma)) throw errors.invalidArgument('sigma', 'a positive finite noise level', sigma);
  return 1 / (sigma * sigma);
}

/** The optimal denoiser of a finite set: core's modern-Hopfield memory with beta = 1/sigma^2. */
export class ExactDenoiser extends DenoiserModel<z.output<typeof exactDenoiserSchema>> {
  readonly kind = EXACT_KIND;
  readonly layers: readonly StateLayer[];
  readonly size: number;
  /** Number of stored patterns K. */
  readonly memories: number;
  private readonly stored: tf.Variable;
  /** Graphs by noise level, most recently used last; they share one augmented-pattern buffer. Cleared when the weights change. */
  private readonly graphs = new Map<number, EnergyGraph>();
  /** [xi, -||xi||^2 / 2], [K, size + 1]: what the memory synapses of the graphs store (derived from the patterns, never saved). */
  private augmented: tf.Tensor2D | null = null;

  /**
   * @param config - `{ memories, size }`
   * @param options - `patterns` [memories, size] to store (default zeros, to be set with setWeights)
   */
  constructor(config: ExactDenoiserConfig, options: { patterns?: TensorInput } = {}) {
    super();
    const c = parseConfig(exactDenoiserSchema, config, EXACT_KIND);
    this.size = c.size;
    this.memories = c.memories;
    this.layers = [{ name: 'x', shape: [c.size] }];
    const init = options.patterns === undefined ? tf.zeros([c.memories, c.size]) : toTensor(options.patterns, 'patterns', { shape: [c.memories, c.size], finite: true });
    this.stored = tf.variable(init, false);
    init.dispose();
  }

  /** An exact denoiser storing `patterns` [K, size] (K and size read from the tensor). */
  static fromPatterns(patterns: TensorInput): ExactDenoiser {
    const p = toTensor(patterns, 'patterns', { rank: 2, finite: true });
    try {
      return new ExactDenoiser({ memories: p.shape[0]!, size: p.shape[1]! }, { patterns: p });
    } finally {
      p.dispose();
    }
  }

  /** The stored patterns [K, size] (a live variable: do not dispose). */
  get patterns(): tf.Tensor2D {
    this.assertAlive();
    return this.stored as tf.Tensor2D;
  }

  variables(): Record<string, tf.Variable> {
    this.assertAlive();
    return { patterns: this.stored };
  }

  getConfig(): z.output<typeof exactDenoiserSchema> {
    this.assertAlive();
    return { memories: this.memories, size: this.size };
  }

  /**
   * The core energy graph of the denoiser at level `sigma` (see the module
   * comment): layer 'x' [size + 1], memory synapse 'memory' (lse, beta = 1/sigma^2)
   * on the augmented patterns. The caller owns it (dispose it).
   */
  graphAt(sigma: number): EnergyGraph {
    this.assertAlive();
    const beta = betaOf(sigma);
    // The synapse's variable shares the buffer of the augmented patterns (tfjs variables are made from a
    // tensor without a copy). Kept: this may run inside a caller's tidy (a sampler step).
    const patterns = (this.augmented ??= tf.keep(tf.tidy(() => tf.concat([this.stored, tf.mul(tf.sum(tf.square(this.stored), 1, true), -0.5)], 1) as tf.Tensor2D)));
    const memory = memorySynapse({ memories: this.memories, size: this.size + 1, separation: 'lse', beta, trainable: false, patterns });
    return new EnergyGraph().addLayer('x', { shape: [this.size + 1], lagrangian: lagrangians.identity() }).addSynapse('memory', memory, ['x']);
  }

  /** The graph at `sigma` from the cache (built on first use; a sampler revisits each level). */
  private cachedGraph(sigma: number): EnergyGraph {
    const hit = this.graphs.get(sigma);
    if (hit) {
      this.graphs.delete(sigma);
      this.graphs.set(sigma, hit);
      return hit;
    }
    const graph = this.graphAt(sigma);
    this.graphs.set(sigma, graph);
    if (this.graphs.size > GRAPH_CACHE_SIZE) {
      const [oldest, g] = this.graphs.entries().next().value as [number, EnergyGraph];
      this.graphs.delete(oldest);
      g.dispose();
    }
    return graph;
  }

  /** D(x, sigma) and -log p_sigma(x) per sample, from one descent step (dt = 1) on the graph at sigma ({@link graphAt}). */
  denoiseWithEnergy(x: tf.Tensor2D, sigma: number): { denoised: tf.Tensor2D; energy: tf.Tensor1D } {
    this.assertAlive();
    if (x.rank !== 2 || x.shape[1] !== this.size) throw errors.shapeMismatch('denoiser input x', ['batch', this.size], x.shape);
    const graph = this.cachedGraph(sigma);
    return tf.tidy(() => {
      const b = x.shape[0];
      const step = descentStep(graph, { x: tf.concat([x, tf.ones([b, 1])], 1) }, 1, { energyTree: false });
      return { denoised: tf.slice(step.next['x']!, [0, 0], [b, this.size]) as tf.Tensor2D, energy: this.negLogDensity(step.energy!.total, sigma) };
    });
  }

  /** D(x, sigma) = sum_mu softmax_mu(-||x - xi_mu||^2 / 2 sigma^2) xi_mu (see {@link denoiseWithEnergy}). */
  denoise(x: tf.Tensor2D, sigma: number): tf.Tensor2D {
    const { denoised, energy } = this.denoiseWithEnergy(x, sigma);
    energy.dispose();
    return denoised;
  }

  /**
   * -log p_sigma(x) per sample, constants included, at level `sigma` (default
   * {@link DEFAULT_SIGMA_MIN}, the level a sampler's final state is scored at).
   */
  energy(state: StateInput, sigma = DEFAULT_SIGMA_MIN): EnergyTerms {
    this.assertAlive();
    const { x } = readState(state, this.layers, 'state');
    try {
      const graph = this.cachedGraph(sigma);
      return tf.tidy(() => ({ total: this.negLogDensity(graph.energy({ x: tf.concat([x!, tf.ones([x!.shape[0]!, 1])], 1) }).total, sigma) }));
    } finally {
      x!.dispose();
    }
  }

  protected override weightsChanged(): void {
    this.clearGraphs();
  }

  protected override release(): void {
    this.clearGraphs();
    this.stored.dispose();
  }

  private clearGraphs(): void {
    for (const g of this.graphs.values()) g.dispose();
    this.graphs.clear();
    this.augmented?.dispose();
    this.augmented = null;
  }

  /** -log p_sigma = beta (E - 1/2) + log K + (size/2) log(2 pi sigma^2), from the graph energy E. */
  private negLogDensity(graphEnergy: tf.Tensor1D, sigma: number): tf.Tensor1D {
    const c = Math.log(this.memories) + 0.5 * this.size * Math.log(2 * Math.PI * sigma * sigma);
    return tf.add(tf.mul(tf.sub(graphEnergy, 0.5), betaOf(sigma)), c) as tf.Tensor1D;
  }
}
