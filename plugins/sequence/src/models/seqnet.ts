/**
 * SeqNet (Chaudhry, Zavatone-Veth, Krotov & Pehlevan, NeurIPS 2023): the
 * classical asymmetric Hebbian sequence memory,
 *
 *   S_i(t+1) = sgn( sum_mu xi_i^(mu+1) x_i^mu ),   sgn(0) = +1,
 *
 * i.e. the DenseNet rule with F = `{ kind: 'power', n: 1 }`. Capacity ~ N / (4 ln N).
 */
import { parseConfig, separation, z, type TensorInput } from '@engram/core';
import { AsymmetricNetwork } from '../internal/asymmetric-network.js';
import { checkStoredSize, patternConfigShape, storedPatterns, withPatterns, type PatternKey } from '../internal/patterns.js';

/** The config of `sequence/seqnet`. */
export const seqNetSchema = z
  .strictObject({
    ...patternConfigShape,
    excludeSelf: z.boolean().default(true).describe("leave neuron i out of its own overlaps (the paper's rule; false: plain xi . S / N)"),
  })
  .superRefine(checkStoredSize);

/** A SeqNet config as written, e.g. `{ size: 100, length: 5, seed: 1 }`. */
export type SeqNetConfigInput = z.input<typeof seqNetSchema>;
/** A parsed SeqNet config (defaults filled in): what `getConfig()` returns. */
export type SeqNetConfig = z.output<typeof seqNetSchema>;

/**
 * SeqNet. State layers 'v' [B, N] and 'overlaps' [B, P]; weight 'patterns' [S, P, N].
 *
 * @example
 * const net = new SeqNet({ size: 100, length: 5, seed: 1 });
 * const steps = await lastValueFrom(net.run({ initial: net.patternAt(0), snapshot: ['overlaps'] }).pipe(toArray()));
 */
export class SeqNet extends AsymmetricNetwork<'sequence/seqnet', SeqNetConfig> {
  private readonly config: SeqNetConfig;

  /**
   * @param config - sizes, generator and rule settings (checked: ENGRAM_ERR_INVALID_CONFIG)
   * @param patterns - the stored sequences ([P, N] or [S, P, N], ±1) instead of random ones; must match the sizes
   */
  constructor(config: SeqNetConfigInput, patterns?: TensorInput) {
    const c = parseConfig(seqNetSchema, config, 'sequence/seqnet');
    const p = storedPatterns(c, patterns, 'sequence/seqnet');
    super('sequence/seqnet', p, { separation: separation({ kind: 'power', n: 1 }), excludeSelf: c.excludeSelf });
    this.config = c;
    this.build();
  }

  /** A SeqNet storing `patterns` ([P, N] or [S, P, N], ±1); the sizes come from their shape. */
  static fromPatterns(patterns: TensorInput, options: Omit<SeqNetConfigInput, PatternKey> = {}): SeqNet {
    return withPatterns(patterns, 'sequence/seqnet', (sizes, checked) => new SeqNet({ ...options, ...sizes }, checked));
  }

  getConfig(): SeqNetConfig {
    this.assertAlive();
    return { ...this.config };
  }
}
