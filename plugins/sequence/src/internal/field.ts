/**
 * The local field of the sequence memories,
 *
 *   h_i = sum_mu T_i^mu F(x_i^mu),   x_i^mu = (sum_{j != i} K_j^mu s_j) / (N - 1),
 *
 * with targets T (the next pattern for the asymmetric term, the pattern itself
 * for the symmetric one), keys K (the patterns, or O^+ Xi for the pseudoinverse
 * rule) and F core's separation function. Leaving neuron i out of its own
 * overlap naively needs a [S, B, P, N] tensor. Because the left-out term is
 * K_i^mu s_i / (N - 1), F(u - K s / (N - 1)) separates exactly into a few
 * [S, B, P] x [S, P, N] products:
 *  - K and s both ±1: K s = ±1, so only F(u -+ 1/(N-1)) occur ('two-point');
 *  - power F, real K or s: the binomial expansion of (u - K s / (N-1))^n;
 *  - exp F: exp(-c K s) = cosh(c s) - K sinh(c s) for K = ±1, or
 *    cosh(c K) - s sinh(c K) for s = ±1 (c = beta / (N - 1)).
 *
 * Exact ties ('integer' mode). When only the field's sign is used, K and s are
 * ±1 and F is an integer power (SeqNet, polynomial DenseNet, bipartite), the
 * field is computed on the raw integer overlaps u = K . s: F is homogeneous, so
 * F(u / (N-1)) = F(u) / (N-1)^n has the sign of F(u), and every product is a
 * float32 integer computed without rounding while it stays below 2^24. Where a
 * sum could pass 2^24 (sum_mu |coefficient| of some sample reaches 2^24: one
 * small reduction read per step; in practice only the matching pattern's
 * overlap is large, so this is rare) the coefficients are split into two limbs
 * (hi * 2^k + lo) whose products are each exact, and the two partial fields are added once:
 * IEEE round-to-nearest never changes the sign of a sum of two floats and
 * never rounds a non-zero sum to 0. So sgn(0) = +1 is applied to the exact
 * field. Past the limits of two limbs (or F values beyond 2^24, e.g. n = 3 at
 * N > 255) the field is computed in normalised float32 and `exactTies` is false.
 */
import * as tf from '@tensorflow/tfjs';
import { EngramError, ErrorCodes, type Separation } from '@engram/core';

/** Integers up to this magnitude are exact in float32. */
export const FLOAT32_EXACT_INTEGER = 2 ** 24;

/** What a {@link TransitionField} needs. */
export interface FieldSpec {
  /** Keys K [S, P, N] (copied). */
  keys: tf.Tensor3D;
  /** Targets T [S, P, N] (copied). */
  targets: tf.Tensor3D;
  /** F, core's separation function. */
  separation: Separation;
  /** Exclude neuron i from its own overlap (normalise by N - 1) or not (normalise by N). */
  excludeSelf: boolean;
  /** Every key entry is ±1 (plain patterns). */
  binaryKeys: boolean;
  /** The states this field sees are always ±1 (false for the MixedNet's averaged state). */
  binaryStates: boolean;
  /** Only the sign of the field is used: allows the exact integer mode. */
  signOnly: boolean;
  /** For error messages: the model kind and the config key of the separation. */
  owner: string;
  key: string;
  /** Largest exact integer (default 2^24); tests lower it to reach the two-limb path with small N. */
  exactLimit?: number;
}

/** Options of one field evaluation. */
export interface FieldInput {
  /** The raw overlaps u = s . K [S, B, P] when the caller has them (integer mode only; saves a product). */
  rawOverlaps?: tf.Tensor3D;
  /** A per-term gain [S or 1, 1, P] multiplying F (the bipartite model's silenced units). */
  gain?: tf.Tensor;
}

type Mode = 'integer' | 'plain' | 'two-point' | 'binomial' | 'exp-binary-keys' | 'exp-binary-states';

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

function unsupported(spec: FieldSpec, why: string): EngramError {
  return new EngramError(ErrorCodes.INVALID_CONFIG, `config key '${spec.key}' of ${spec.owner}: ${why}`, {
    owner: spec.owner,
    key: spec.key,
    actual: spec.separation.config.kind,
  });
}

/** A precomputed field h(s) for one (keys, targets, F) triple. Owns its tensors. */
export class TransitionField {
  /** N. */
  readonly size: number;
  /** True when sgn(h) is computed from the exact field (ties give +1 exactly). */
  readonly exactTies: boolean;
  /** The evaluation used (for tests and docs). */
  readonly mode: Mode;
  /** Base 2^k of the two-limb split in integer mode, 0 when one limb is always exact. */
  readonly limbBase: number;
  /** How many evaluations needed the two-limb split (for tests). */
  splitEvaluations = 0;
  private readonly limit: number;
  /**
   * Keys transposed [S, N, P]: derived, never saved. Kept because the overlap product s K^T with B = 1..16
   * rows runs 2-3x slower through tfjs-wasm's transposed route (the [P, N] operand is transposed on every
   * call) than on this layout, measured at N = P = 1000 (README, Benchmark).
   */
  private readonly keysT: tf.Tensor3D;
  private readonly weights: tf.Tensor3D[];
  private readonly norm: number;
  private readonly separation: Separation;
  /** F's shift: 1 for 'exp' (the largest overlap, so F <= 1), 0 otherwise. */
  private readonly shift: number;

  constructor(spec: FieldSpec) {
    const [, p, n] = spec.keys.shape;
    const sep = spec.separation;
    const kind = sep.config.kind;
    this.size = n;
    this.separation = sep;
    this.shift = kind === 'exp' ? 1 : 0;
    this.norm = spec.excludeSelf ? n - 1 : n;
    const limit = spec.exactLimit ?? FLOAT32_EXACT_INTEGER;
    this.limit = limit;
    const integerPower = (kind === 'power' || kind === 'rectified-power') && Number.isInteger(sep.config.n);
    const plan = spec.signOnly && spec.binaryKeys && spec.binaryStates && integerPower ? integerPlan(n, p, sep.config.n, spec.excludeSelf, limit) : null;
    const { keys: k, targets: t } = spec;
    this.limbBase = 0;
    if (plan) {
      this.mode = 'integer';
      this.limbBase = plan.base;
      this.weights = spec.excludeSelf ? [t.clone(), tf.tidy(() => tf.mul(t, k))] : [t.clone()];
    } else if (!spec.excludeSelf) {
      this.mode = 'plain';
      this.weights = [t.clone()];
    } else if (spec.binaryKeys && spec.binaryStates) {
      this.mode = 'two-point';
      this.weights = [t.clone(), tf.tidy(() => tf.mul(t, k))];
    } else if (kind === 'power') {
      this.mode = 'binomial';
      const d = sep.config.n;
      // W_k = T * K^k; with binary keys K^k is 1 or K, so two matrices serve every k.
      const count = spec.binaryKeys ? Math.min(2, d + 1) : d + 1;
      this.weights = tf.tidy(() => {
        const out: tf.Tensor3D[] = [t.clone()];
        let kp: tf.Tensor = k;
        for (let i = 1; i < count; i++) {
          out.push(tf.mul(t, kp) as tf.Tensor3D);
          kp = tf.mul(kp, k);
        }
        return out;
      });
    } else if (kind === 'exp' && spec.binaryKeys) {
      this.mode = 'exp-binary-keys';
      this.weights = [t.clone(), tf.tidy(() => tf.mul(t, k))];
    } else if (kind === 'exp' && spec.binaryStates) {
      this.mode = 'exp-binary-states';
      const c = sep.config.beta / this.norm;
      this.weights = tf.tidy(() => [tf.mul(t, tf.cosh(tf.mul(k, c))), tf.mul(t, tf.sinh(tf.mul(k, c)))] as tf.Tensor3D[]);
    } else {
      throw unsupported(
        spec,
        kind === 'rectified-power'
          ? "'rectified-power' does not separate around the left-out neuron for these (real-valued) states or keys: use 'power' or 'exp', or excludeSelf: false"
          : "'exp' with real keys and real states does not separate around the left-out neuron: use excludeSelf: false",
      );
    }
    this.exactTies = this.mode === 'integer';
    this.keysT = tf.tidy(() => tf.transpose(k, [0, 2, 1]) as tf.Tensor3D);
  }

  private f(x: tf.Tensor): tf.Tensor {
    return this.separation.apply(x, this.shift);
  }

  /**
   * h for states s [S, B, N] (S = 1 shares the keys across the batch); in
   * 'integer' mode h is scaled by a positive factor (only its sign is meant).
   * Call inside tf.tidy.
   */
  field(s: tf.Tensor3D, input: FieldInput = {}): tf.Tensor3D {
    const w = this.weights;
    const gained = (x: tf.Tensor): tf.Tensor => (input.gain ? tf.mul(x, input.gain) : x);
    if (this.mode === 'integer') return this.integerField(s, input);
    const u = tf.div(tf.matMul(s, this.keysT), this.norm); // [S, B, P]
    const delta = 1 / this.norm;
    switch (this.mode) {
      case 'plain':
        return tf.matMul(gained(this.f(u)), w[0]!);
      case 'two-point': {
        const a = gained(this.f(tf.sub(u, delta)));
        const b = gained(this.f(tf.add(u, delta)));
        const even = tf.matMul(tf.add(a, b), w[0]!);
        const odd = tf.matMul(tf.sub(a, b), w[1]!);
        return tf.mul(tf.add(even, tf.mul(s, odd)), 0.5) as tf.Tensor3D;
      }
      case 'binomial': {
        const d = this.separation.config.n;
        const negS = tf.mul(s, -delta);
        const up: tf.Tensor[] = [tf.onesLike(u)];
        for (let i = 1; i <= d; i++) up.push(i === 1 ? u : tf.mul(up[i - 1]!, u));
        let h: tf.Tensor = tf.matMul(gained(up[d]!), w[0]!);
        let sp: tf.Tensor = tf.onesLike(s);
        for (let k = 1; k <= d; k++) {
          sp = tf.mul(sp, negS);
          const wk = (w.length === d + 1 ? w[k] : w[k % 2])!;
          h = tf.add(h, tf.mul(tf.mul(sp, binomial(d, k)), tf.matMul(gained(up[d - k]!), wk)));
        }
        return h as tf.Tensor3D;
      }
      case 'exp-binary-keys': {
        const e = gained(this.f(u));
        const cs = tf.mul(s, this.separation.config.beta / this.norm);
        return tf.sub(tf.mul(tf.cosh(cs), tf.matMul(e, w[0]!)), tf.mul(tf.sinh(cs), tf.matMul(e, w[1]!))) as tf.Tensor3D;
      }
      case 'exp-binary-states': {
        const e = gained(this.f(u));
        return tf.sub(tf.matMul(e, w[0]!), tf.mul(s, tf.matMul(e, w[1]!))) as tf.Tensor3D;
      }
    }
  }

  /** The exact field on integer overlaps (see the file comment); a positive multiple of h. */
  private integerField(s: tf.Tensor3D, input: FieldInput): tf.Tensor3D {
    const w = this.weights;
    const u = input.rawOverlaps ?? tf.matMul(s, this.keysT); // integers in [-N, N]
    const gained = (x: tf.Tensor): tf.Tensor => (input.gain ? tf.mul(x, input.gain) : x);
    const base = this.limbBase;
    // Field of integer coefficients c ([S, B, P]) against targets, plus s * odd coefficients against T*K.
    const combine = (even: tf.Tensor, odd: tf.Tensor | null): tf.Tensor => {
      const e = tf.matMul(even, w[0]!);
      return odd ? tf.add(e, tf.mul(s, tf.matMul(odd, w[1]!))) : e;
    };
    const split = (c: tf.Tensor): [tf.Tensor, tf.Tensor] => {
      const hi = tf.floor(tf.div(c, base));
      return [hi, tf.sub(c, tf.mul(hi, base))];
    };
    let even: tf.Tensor;
    let odd: tf.Tensor | null = null;
    if (w.length === 2) {
      const a = this.f(tf.sub(u, 1)); // the left-out neuron had K s = +1
      const b = this.f(tf.add(u, 1)); // ... or K s = -1
      even = gained(tf.add(a, b));
      odd = gained(tf.sub(a, b));
    } else {
      even = gained(this.f(u));
    }
    if (base === 0) return combine(even, odd) as tf.Tensor3D;
    // One limb is exact when every partial sum stays below the limit: bound them by sum_mu |c| per sample.
    // (Strictly below: a float32 sum that reads < 2^24 was computed without rounding.)
    const l1 = (c: tf.Tensor): tf.Tensor => tf.sum(tf.abs(c), -1);
    const worst = tf.max(odd ? tf.maximum(l1(even), l1(odd)) : l1(even)).dataSync()[0]!;
    if (worst < this.limit) return combine(even, odd) as tf.Tensor3D;
    this.splitEvaluations++;
    const [eh, el] = split(even);
    const [oh, ol] = odd ? split(odd) : [null, null];
    const high = combine(eh, oh);
    const low = combine(el, ol);
    // One rounding: the sign of high * base + low is exact.
    return tf.add(tf.mul(high, base), low) as tf.Tensor3D;
  }

  /** Frees the field's tensors. */
  dispose(): void {
    this.keysT.dispose();
    for (const t of this.weights) t.dispose();
  }
}

/**
 * The exact integer evaluation's plan for N, P and F = x^n: one limb when every
 * product stays below `limit`, else the base of a two-limb split, or null when
 * neither is exact.
 */
export function integerPlan(n: number, p: number, degree: number, excludeSelf: boolean, limit: number): { base: number } | null {
  // Largest |F| among the evaluated overlaps (u -+ 1 with |u| <= N), and the coefficients (a +- b doubles it).
  const fMax = (excludeSelf ? n + 1 : n) ** degree;
  const coef = excludeSelf ? 2 * fMax : fMax;
  if (coef > limit) return null;
  if (p * coef <= limit) return { base: 0 };
  // Low limbs in [0, base): each partial field (and for excludeSelf the sum of two) stays below the limit.
  const terms = excludeSelf ? 2 * p : p;
  const base = 2 ** Math.floor(Math.log2(limit / terms));
  if (base < 2) return null;
  const high = terms * (coef / base + 1);
  return high <= limit ? { base } : null;
}
