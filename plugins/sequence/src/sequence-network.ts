/**
 * SeqNet, DenseNet and the generalized pseudoinverse (GPI) rule of
 * Chaudhry, Zavatone-Veth, Krotov & Pehlevan, "Long Sequence Hopfield Memory"
 * (NeurIPS 2023):
 *
 *   S_i(t+1) = sgn( sum_mu xi_i^(mu+1) f(x_i^mu) ),
 *   x_i^mu = (1/(N-1)) sum_{j != i} xi_j^mu S_j(t)                 (SeqNet, DenseNet)
 *   x_i^mu = sum_nu (O^+)_{mu nu} (1/(N-1)) sum_{j != i} xi_j^nu S_j(t)   (GPI)
 *
 * with f(x) = x (SeqNet), x^d or exp((N-1)(x-1)) (DenseNet), O = Xi Xi^T / N
 * the pattern overlap matrix and O^+ its pseudo-inverse. Sequences are periodic
 * (the last pattern leads back to the first).
 */
import * as tf from '@tensorflow/tfjs';
import { explicitRule, linalg, type DynamicsSystem, type JsonObject, type State } from '@engram/core';
import { SequenceMemoryBase, nextPatterns, readBool, readNumber, readPatterns, type SequencePatternsOptions } from './internal/base.js';
import { TransitionField, binarySign } from './internal/field.js';
import { parseSeparation, separationToJson, type Separation } from './separation.js';

/** Which rule a {@link SequenceNetwork} implements (its registered id). */
export type SequenceNetworkKind = 'sequence/seqnet' | 'sequence/dense' | 'sequence/gpi';

/** Options of {@link SequenceNetwork}. */
export interface SequenceNetworkOptions extends SequencePatternsOptions {
  /** f; default x (SeqNet). Ignored by 'sequence/seqnet', which is always f(x) = x. */
  separation?: Separation;
  /** Exclude neuron i from its own overlap (default true, as in the paper). */
  excludeSelf?: boolean;
  /** GPI only: eigenvalues below rcond * max are dropped from the pseudo-inverse (default 10 P eps). */
  rcond?: number;
}

/**
 * An asymmetric sequence memory (SeqNet, DenseNet or GPI); the state has
 * layers 'v' [B, N] and 'overlaps' [B, P].
 *
 * @example
 * const net = denseNet({ neurons: 100, length: 100, separation: { kind: 'polynomial', degree: 2 }, seed: 1 });
 * const steps = await lastValueFrom(net.run({ cue: net.patternAt(0), maxSteps: 100, snapshot: ['overlaps'] }).pipe(toArray()));
 */
export class SequenceNetwork extends SequenceMemoryBase {
  readonly kind: SequenceNetworkKind;
  readonly separation: Separation;
  readonly excludeSelf: boolean;
  readonly rcond: number | undefined;
  private field!: TransitionField;
  /** GPI: rank of each sequence's overlap matrix (P when the patterns are linearly independent). */
  ranks: number[] = [];

  constructor(kind: SequenceNetworkKind, options: SequenceNetworkOptions) {
    const separation = kind === 'sequence/seqnet' ? { kind: 'polynomial' as const, degree: 1 } : parseSeparation(options.separation ?? { kind: 'polynomial', degree: 1 });
    const excludeSelf = readBool('excludeSelf', options.excludeSelf, true);
    const rcond = options.rcond === undefined ? undefined : readNumber('rcond', options.rcond, 0, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
    super(readPatterns(options, kind));
    this.kind = kind;
    this.separation = separation;
    this.excludeSelf = excludeSelf;
    this.rcond = rcond;
    this.rebuild();
  }

  protected rebuild(): void {
    const targets = nextPatterns(this.patterns);
    let keys: tf.Tensor3D = this.patterns;
    if (this.kind === 'sequence/gpi') keys = this.pseudoinverseKeys();
    try {
      this.field = new TransitionField({
        keys,
        targets,
        separation: this.separation,
        excludeSelf: this.excludeSelf,
        binaryKeys: this.kind !== 'sequence/gpi',
        binaryStates: true,
      });
    } finally {
      targets.dispose();
      if (keys !== this.patterns) keys.dispose();
    }
  }

  /** K = O^+ Xi per sequence, computed in float64 on the host (tfjs has no SVD). */
  private pseudoinverseKeys(): tf.Tensor3D {
    const [s, p, n] = this.patterns.shape;
    const xi = this.patterns.dataSync();
    const out = new Float32Array(s * p * n);
    this.ranks = [];
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
      const pinv = linalg.symmetricPinv(o, p, { rcond: this.rcond });
      this.ranks.push(pinv.rank);
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

  protected disposeDerived(): void {
    this.field?.dispose();
  }

  protected configExtra(): JsonObject {
    const c: JsonObject = { separation: separationToJson(this.separation), excludeSelf: this.excludeSelf };
    if (this.rcond !== undefined) c['rcond'] = this.rcond;
    return c;
  }

  /** One synchronous transition of states v [B, N] (caller owns the result). */
  next(v: tf.Tensor2D): tf.Tensor2D {
    this.assertLive();
    return tf.tidy(() => binarySign(this.field.field(this.to3d(v))).reshape(v.shape) as tf.Tensor2D);
  }

  protected stateFromCue(cue: tf.Tensor2D): State {
    return { v: cue.clone(), overlaps: this.overlaps(cue) };
  }

  system(): DynamicsSystem {
    this.assertLive();
    return explicitRule({
      update: (state) => {
        const v = this.next(state['v'] as tf.Tensor2D);
        return { v, overlaps: this.overlaps(v) };
      },
    });
  }
}

/** SeqNet (f(x) = x): the classical asymmetric Hebbian sequence memory. */
export function seqNet(options: Omit<SequenceNetworkOptions, 'separation' | 'rcond'>): SequenceNetwork {
  return new SequenceNetwork('sequence/seqnet', options);
}

/** DenseNet for sequences: f(x) = x^d or exp((N-1)(x-1)). */
export function denseNet(options: Omit<SequenceNetworkOptions, 'rcond'>): SequenceNetwork {
  return new SequenceNetwork('sequence/dense', options);
}

/** DenseNet with the generalized pseudoinverse rule, for correlated patterns. */
export function gpiNet(options: SequenceNetworkOptions): SequenceNetwork {
  return new SequenceNetwork('sequence/gpi', options);
}
