/**
 * The generalized pseudoinverse (GPI) rule of Chaudhry et al. (2023), for
 * correlated patterns:
 *
 *   S_i(t+1) = sgn( sum_mu xi_i^(mu+1) F(x_i^mu) ),
 *   x_i^mu = sum_nu (O^+)_(mu nu) (1/(N-1)) sum_{j != i} xi_j^nu S_j(t),
 *
 * with O = Xi Xi^T / N the overlap matrix of each sequence and O^+ its
 * Moore-Penrose pseudo-inverse (core's `linalg.symmetricPinv`, float64 on the
 * host: tfjs has no SVD). The keys K = O^+ Xi are precomputed, so a transition
 * costs the same products as the plain rule. The keys are real, so the field is
 * real-valued: sgn(0) = +1 applies to a float32 field (ties are not exact).
 */
import * as tf from '@tensorflow/tfjs';
import { linalg, parseConfig, z, type TensorInput } from '@engram/core';
import { AsymmetricNetwork } from '../internal/asymmetric-network.js';
import { checkStoredSize, patternConfigShape, storedPatterns, withPatterns, type PatternKey } from '../internal/patterns.js';
import { resolveSeparation, sequenceSeparationSchema, type ResolvedSeparation } from '../internal/separation.js';

/** The config of `sequence/gpi`. */
export const gpiNetSchema = z
  .strictObject({
    ...patternConfigShape,
    separation: sequenceSeparationSchema.default({ kind: 'power', n: 1 }).describe("F on the decorrelated overlaps: { kind: 'power', n } or { kind: 'exp', beta }"),
    excludeSelf: z.boolean().default(true).describe("leave neuron i out of its own overlaps (the paper's rule; false: plain xi . S / N)"),
    rcond: z.number().min(0).lt(1).optional().describe('eigenvalues below rcond x the largest are dropped from the pseudo-inverse (default 10 P eps, as JAX pinv)'),
  })
  .superRefine(checkStoredSize);

/** A GPI config as written, e.g. `{ size: 100, length: 60, bias: 0.75, separation: { kind: 'power', n: 2 } }`. */
export type GpiNetConfigInput = z.input<typeof gpiNetSchema>;
/** A parsed GPI config, as `getConfig()` returns it. */
export type GpiNetConfig = Omit<z.output<typeof gpiNetSchema>, 'separation'> & { separation: ResolvedSeparation };

/**
 * The pseudoinverse rule. State layers 'v' [B, N] and 'overlaps' [B, P] (with
 * the patterns themselves); weight 'patterns' [S, P, N] (the keys derive from it).
 *
 * @example
 * const net = new GpiNet({ size: 100, length: 60, bias: 0.75, separation: { kind: 'power', n: 2 }, seed: 6 });
 * net.ranks; // rank of each sequence's overlap matrix
 */
export class GpiNet extends AsymmetricNetwork<'sequence/gpi', GpiNetConfig> {
  private readonly config: GpiNetConfig;
  private rankList: number[] = [];

  /**
   * @param config - sizes, generator and rule settings (checked: ENGRAM_ERR_INVALID_CONFIG)
   * @param patterns - the stored sequences ([P, N] or [S, P, N], ±1) instead of random ones; must match the sizes
   */
  constructor(config: GpiNetConfigInput, patterns?: TensorInput) {
    const c = parseConfig(gpiNetSchema, config, 'sequence/gpi');
    const sep = resolveSeparation(c.separation, c.size, 'sequence/gpi');
    const p = storedPatterns(c, patterns, 'sequence/gpi');
    super('sequence/gpi', p, { separation: sep.fn, excludeSelf: c.excludeSelf });
    this.config = { ...c, separation: sep.json };
    this.build();
  }

  /** A GPI network storing `patterns` ([P, N] or [S, P, N], ±1); the sizes come from their shape. */
  static fromPatterns(patterns: TensorInput, options: Omit<GpiNetConfigInput, PatternKey> = {}): GpiNet {
    return withPatterns(patterns, 'sequence/gpi', (sizes, checked) => new GpiNet({ ...options, ...sizes }, checked));
  }

  /** Rank of each sequence's overlap matrix (P while the patterns are linearly independent). */
  get ranks(): number[] {
    this.assertAlive();
    return [...this.rankList];
  }

  getConfig(): GpiNetConfig {
    this.assertAlive();
    return { ...this.config, separation: { ...this.config.separation } };
  }

  protected override get binaryKeys(): boolean {
    return false;
  }

  /** K = O^+ Xi per sequence, in float64 on the host. */
  protected override keys(): tf.Tensor3D {
    const [s, p, n] = this.patterns.shape;
    const xi = this.patterns.dataSync();
    const out = new Float32Array(s * p * n);
    this.rankList = [];
    for (let q = 0; q < s; q++) {
      const base = q * p * n;
      const o = new Float64Array(p * p);
      for (let a = 0; a < p; a++) {
        for (let b = a; b < p; b++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += xi[base + a * n + i]! * xi[base + b * n + i]!;
          o[a * p + b] = o[b * p + a] = dot / n;
        }
      }
      const pinv = linalg.symmetricPinv(o, p, this.config.rcond === undefined ? {} : { rcond: this.config.rcond });
      this.rankList.push(pinv.rank);
      for (let a = 0; a < p; a++) {
        for (let i = 0; i < n; i++) {
          let acc = 0;
          for (let b = 0; b < p; b++) acc += pinv.data[a * p + b]! * xi[base + b * n + i]!;
          out[base + a * n + i] = acc;
        }
      }
    }
    return tf.tensor3d(out, [s, p, n]);
  }
}
