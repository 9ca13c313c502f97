/**
 * DenseNet for sequences (Chaudhry et al. 2023):
 *
 *   S_i(t+1) = sgn( sum_mu xi_i^(mu+1) F(x_i^mu) ),   sgn(0) = +1,
 *
 * with F core's separation function: `{ kind: 'power', n: d }` is the paper's
 * polynomial x^d (capacity ~ N^d / (2 (d+1) (2d-1)!! ln N)), `{ kind: 'exp' }`
 * its exp((N-1)(x-1)) (beta defaults to N - 1, evaluated with shift 1).
 */
import { parseConfig, z, type TensorInput } from '@engram/core';
import { AsymmetricNetwork } from '../internal/asymmetric-network.js';
import { checkStoredSize, patternConfigShape, storedPatterns, withPatterns, type PatternKey } from '../internal/patterns.js';
import { resolveSeparation, sequenceSeparationSchema, type ResolvedSeparation } from '../internal/separation.js';

/** The config of `sequence/dense`. */
export const denseNetSchema = z
  .strictObject({
    ...patternConfigShape,
    separation: sequenceSeparationSchema.default({ kind: 'power', n: 2 }).describe("F: { kind: 'power', n } (x^n) or { kind: 'exp', beta } (exp(beta (x - 1)), beta = N - 1 by default)"),
    excludeSelf: z.boolean().default(true).describe("leave neuron i out of its own overlaps (the paper's rule; false: plain xi . S / N)"),
  })
  .superRefine(checkStoredSize);

/** A DenseNet config as written, e.g. `{ size: 100, length: 100, separation: { kind: 'power', n: 2 } }`. */
export type DenseNetConfigInput = z.input<typeof denseNetSchema>;
/** A parsed DenseNet config, as `getConfig()` returns it (separation resolved: `{ kind, n }` or `{ kind: 'exp', beta }`). */
export type DenseNetConfig = Omit<z.output<typeof denseNetSchema>, 'separation'> & { separation: ResolvedSeparation };

/**
 * DenseNet for sequences. State layers 'v' [B, N] and 'overlaps' [B, P]; weight 'patterns' [S, P, N].
 *
 * @example
 * const net = new DenseNet({ size: 100, length: 100, separation: { kind: 'power', n: 2 }, seed: 1 });
 */
export class DenseNet extends AsymmetricNetwork<'sequence/dense', DenseNetConfig> {
  private readonly config: DenseNetConfig;

  /**
   * @param config - sizes, generator and rule settings (checked: ENGRAM_ERR_INVALID_CONFIG)
   * @param patterns - the stored sequences ([P, N] or [S, P, N], ±1) instead of random ones; must match the sizes
   */
  constructor(config: DenseNetConfigInput, patterns?: TensorInput) {
    const c = parseConfig(denseNetSchema, config, 'sequence/dense');
    const sep = resolveSeparation(c.separation, c.size, 'sequence/dense');
    const p = storedPatterns(c, patterns, 'sequence/dense');
    super('sequence/dense', p, { separation: sep.fn, excludeSelf: c.excludeSelf });
    this.config = { ...c, separation: sep.json };
    this.build();
  }

  /** A DenseNet storing `patterns` ([P, N] or [S, P, N], ±1); the sizes come from their shape. */
  static fromPatterns(patterns: TensorInput, options: Omit<DenseNetConfigInput, PatternKey> = {}): DenseNet {
    return withPatterns(patterns, 'sequence/dense', (sizes, checked) => new DenseNet({ ...options, ...sizes }, checked));
  }

  /** F as configured (beta resolved). */
  get separation(): ResolvedSeparation {
    return { ...this.config.separation };
  }

  getConfig(): DenseNetConfig {
    this.assertAlive();
    return { ...this.config, separation: { ...this.config.separation } };
  }
}
