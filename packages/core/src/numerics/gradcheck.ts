/**
 * Finite-difference gradient checks, in the spirit of torch.autograd.gradcheck and
 * gradgradcheck, for float32 tfjs code. Every plugin's tests use them to prove
 * that energies, synapses and training losses differentiate correctly, at first
 * and at second order.
 *
 * Each check compares autodiff against central differences
 * (f(x + eps d) - f(x - eps d)) / (2 eps) along probe directions d: a random
 * subset of coordinates (d = one-hot) and a few random sign vectors (d in
 * {-1,1}^n / sqrt(n), unit length, which touch every coordinate at once). Errors are measured as
 * |analytic - numeric| / max(|analytic|, |numeric|, floor), where the floor keeps
 * float32 round-off on near-zero entries from counting as failures.
 */
import * as tf from '@tensorflow/tfjs';
import { invalidArgument } from '../errors/factories.js';
import { toTensor, type TensorInput } from './tensor-input.js';

/** Options shared by every check. */
export interface GradCheckOptions {
  /** Central-difference step; default 1e-2 (a good compromise in float32). */
  eps?: number;
  /** Coordinates probed per argument, chosen at random (all of them when fewer); default 12. */
  coordinates?: number;
  /** Random unit sign directions (±1/sqrt(n) entries) probed per argument; default 2. */
  directions?: number;
  /** Seed of the probe choice (and of `v` in the second-order checks); default 0. */
  seed?: number;
  /** Largest accepted relative error, which sets `ok`; default 1e-2. */
  tolerance?: number;
  /**
   * Absolute floor of the relative error's denominator. Default:
   * max(1e-3 * largest |derivative| probed, noise / tolerance) with
   * noise = 2.4e-7 * max(1, |f(x)|) / eps, the float32 round-off of a central
   * difference. Raise it (or eps) when f cancels terms much larger than |f(x)|.
   */
  floor?: number;
}

/** Options of the second-order checks. */
export interface GradGradCheckOptions extends GradCheckOptions {
  /**
   * The vector(s) v of h(x) = <v, grad f(x)>, one per argument, shaped like it;
   * default: seeded standard normal.
   */
  v?: TensorInput | readonly TensorInput[];
}

/** One probe: a derivative computed both ways. */
export interface GradCheckEntry {
  /** Argument name: its index for the argument forms, the variable's key or name otherwise. */
  arg: string;
  /** 'coordinate' probes one entry (index = flat index); 'direction' a random unit sign vector (index = its number). */
  probe: 'coordinate' | 'direction';
  index: number;
  /** Derivative from autodiff along the probe. */
  analytic: number;
  /** Central-difference derivative along the probe. */
  numeric: number;
  absError: number;
  relError: number;
}

/** Outcome of a check. Nothing in it holds tensors. */
export interface GradCheckResult {
  /** True when maxRelError <= tolerance and every value is finite. */
  ok: boolean;
  maxRelError: number;
  maxAbsError: number;
  /** f at the unperturbed point. */
  value: number;
  eps: number;
  tolerance: number;
  floor: number;
  /** The probe with the largest relative error. */
  worst: GradCheckEntry | undefined;
  entries: GradCheckEntry[];
  /** One line for assertion messages. */
  summary: string;
}

/** A differentiable problem: arguments, their gradients, and f at perturbed points. */
interface Problem {
  names: string[];
  shapes: number[][];
  /** f with argument `arg` shifted by `delta` (or unperturbed), as a number. */
  evaluate(perturb?: { arg: number; delta: tf.Tensor }): number;
  /** Autodiff gradients, one per argument, as flat float64 arrays. */
  analytic(): Float64Array[];
}

/** Deterministic PRNG (mulberry32) so probes are reproducible. */
function rng(seed: number): () => number {
  let a = (seed >>> 0) + 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function scalarOf(t: tf.Tensor, what: string): number {
  if (t.size !== 1) {
    throw invalidArgument(`${what} result`, 'a scalar (reduce it, e.g. with tf.sum)', `a tensor of shape [${t.shape.join(', ')}]`);
  }
  return t.dataSync()[0] as number;
}

function runCheck(problem: Problem, options: GradCheckOptions): GradCheckResult {
  const eps = options.eps ?? 1e-2;
  const tolerance = options.tolerance ?? 1e-2;
  const nCoords = options.coordinates ?? 12;
  const nDirs = options.directions ?? 2;
  if (!(eps > 0) || !Number.isFinite(eps)) throw invalidArgument('eps', 'a finite number > 0', eps);
  if (!Number.isInteger(nCoords) || nCoords < 0) throw invalidArgument('coordinates', 'an integer >= 0', nCoords);
  if (!Number.isInteger(nDirs) || nDirs < 0) throw invalidArgument('directions', 'an integer >= 0', nDirs);
  const random = rng(options.seed ?? 0);
  const value = problem.evaluate();
  const grads = problem.analytic();

  type Raw = Omit<GradCheckEntry, 'absError' | 'relError'>;
  const raws: Raw[] = [];
  const diff = (arg: number, d: Float32Array): number => {
    const shape = problem.shapes[arg] as number[];
    const plus = tf.tensor(d.map((v) => v * eps), shape, 'float32');
    const minus = tf.neg(plus);
    try {
      return (problem.evaluate({ arg, delta: plus }) - problem.evaluate({ arg, delta: minus })) / (2 * eps);
    } finally {
      plus.dispose();
      minus.dispose();
    }
  };
  problem.names.forEach((name, arg) => {
    const g = grads[arg] as Float64Array;
    const n = g.length;
    // Coordinates: a random subset without repetition (partial Fisher-Yates).
    const idx = Array.from({ length: n }, (_, i) => i);
    const take = Math.min(nCoords, n);
    for (let k = 0; k < take; k++) {
      const j = k + Math.floor(random() * (n - k));
      [idx[k], idx[j]] = [idx[j] as number, idx[k] as number];
      const i = idx[k] as number;
      const d = new Float32Array(n);
      d[i] = 1;
      raws.push({ arg: name, probe: 'coordinate', index: i, analytic: g[i] as number, numeric: diff(arg, d) });
    }
    for (let k = 0; k < nDirs && n > 0; k++) {
      // Unit-norm sign vectors: the step along them has length eps, as for coordinates.
      const d = new Float32Array(n);
      const unit = 1 / Math.sqrt(n);
      let analytic = 0;
      for (let i = 0; i < n; i++) {
        d[i] = random() < 0.5 ? -unit : unit;
        analytic += (g[i] as number) * (d[i] as number);
      }
      raws.push({ arg: name, probe: 'direction', index: k, analytic, numeric: diff(arg, d) });
    }
  });

  const scale = raws.reduce((m, r) => Math.max(m, Math.abs(r.analytic)), 0);
  // Round-off of a float32 central difference: a few ulps of f (~1.2e-7 |f| each) over 2 eps.
  // Below noise / tolerance a relative error says nothing, so that is the least floor.
  const noise = (2.4e-7 * Math.max(1, Math.abs(value))) / eps;
  const floor = options.floor ?? Math.max(1e-3 * scale, noise / tolerance);
  const entries = raws.map((r): GradCheckEntry => {
    const absError = Math.abs(r.analytic - r.numeric);
    const relError = absError / Math.max(Math.abs(r.analytic), Math.abs(r.numeric), floor);
    return { ...r, absError, relError: Number.isNaN(relError) ? Infinity : relError };
  });
  let worst: GradCheckEntry | undefined;
  for (const e of entries) if (worst === undefined || e.relError > worst.relError) worst = e;
  const maxRelError = worst?.relError ?? 0;
  const maxAbsError = entries.reduce((m, e) => Math.max(m, e.absError), 0);
  const ok = Number.isFinite(value) && maxRelError <= tolerance;
  const summary =
    `${ok ? 'passed' : 'FAILED'}: max relative error ${maxRelError.toExponential(2)} (tolerance ${tolerance}) over ` +
    `${entries.length} probes, eps ${eps}, floor ${floor.toExponential(2)}, f(x) = ${value}` +
    (worst ? `; worst: ${worst.arg} ${worst.probe} ${worst.index}: autodiff ${worst.analytic}, finite differences ${worst.numeric}` : '');
  return { ok, maxRelError, maxAbsError, value, eps, tolerance, floor, worst, entries, summary };
}

/** A float32 tensor the caller owns (a copy, so disposing it never touches the input). */
function asFloat(x: TensorInput): tf.Tensor {
  return toTensor(x, 'argument');
}

function argsProblem(f: (...xs: tf.Tensor[]) => tf.Scalar, inputs: readonly TensorInput[]): Problem & { dispose(): void } {
  const xs = inputs.map(asFloat);
  return {
    names: xs.map((_, i) => String(i)),
    shapes: xs.map((x) => x.shape),
    evaluate(perturb) {
      const out = tf.tidy(() => {
        const args = xs.map((x, i) => (perturb && perturb.arg === i ? tf.add(x, perturb.delta) : x));
        return f(...args);
      });
      try {
        return scalarOf(out, 'f');
      } finally {
        out.dispose();
      }
    },
    analytic() {
      const gs = tf.grads((...args: tf.Tensor[]) => f(...args))(xs);
      const arrays = gs.map((g) => Float64Array.from(g.dataSync()));
      tf.dispose(gs);
      return arrays;
    },
    dispose: () => tf.dispose(xs),
  };
}

/**
 * Checks tf.grad of a scalar function of one tensor against central differences.
 *
 * @example
 * const r = gradCheck((x) => tf.sum(tf.exp(x)), tf.randomNormal([3, 4], 0, 1, 'float32', 1));
 * expect(r.ok, r.summary).to.equal(true);
 */
export function gradCheck(f: (x: tf.Tensor) => tf.Scalar, x: TensorInput, options: GradCheckOptions = {}): GradCheckResult {
  return gradCheckArgs((a) => f(a as tf.Tensor), [x], options);
}

/** Checks the gradients of a scalar function of several tensors, w.r.t. every one of them (entries named '0', '1', ...). */
export function gradCheckArgs(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  xs: readonly TensorInput[],
  options: GradCheckOptions = {},
): GradCheckResult {
  const problem = argsProblem(f, xs);
  try {
    return runCheck(problem, options);
  } finally {
    problem.dispose();
  }
}

/**
 * Checks the gradient of a scalar function w.r.t. trainable variables it reads,
 * e.g. a training loss after a few unrolled descent steps w.r.t. synapse weights.
 * Each variable is perturbed in place and restored afterwards (also on error).
 *
 * @param variables the variables to check, as a list (entries named by variable
 *   name) or a record (entries named by key).
 */
export function gradCheckVariables(
  f: () => tf.Scalar,
  variables: readonly tf.Variable[] | Readonly<Record<string, tf.Variable>>,
  options: GradCheckOptions = {},
): GradCheckResult {
  const named: [string, tf.Variable][] = Array.isArray(variables)
    ? (variables as readonly tf.Variable[]).map((v) => [v.name, v])
    : Object.entries(variables as Record<string, tf.Variable>);
  for (const [name, v] of named) {
    if (!v.trainable) throw invalidArgument(`variable '${name}'`, 'trainable (tf.variable(x, true))', 'a non-trainable variable');
  }
  const vars = named.map(([, v]) => v);
  const problem: Problem = {
    names: named.map(([n]) => n),
    shapes: vars.map((v) => v.shape),
    evaluate(perturb) {
      const v = perturb ? (vars[perturb.arg] as tf.Variable) : undefined;
      const original = v ? tf.clone(v) : undefined;
      try {
        if (v && perturb) {
          const shifted = tf.add(original as tf.Tensor, perturb.delta);
          v.assign(shifted); // the variable takes its own reference to the data
          shifted.dispose();
        }
        const out = tf.tidy(f);
        try {
          return scalarOf(out, 'f');
        } finally {
          out.dispose();
        }
      } finally {
        if (v && original) {
          v.assign(original);
          original.dispose();
        }
      }
    },
    analytic() {
      const { value, grads } = tf.variableGrads(f, vars);
      value.dispose();
      const arrays = vars.map((v) => {
        const g = grads[v.name];
        return g ? Float64Array.from(g.dataSync()) : new Float64Array(v.size);
      });
      tf.dispose(Object.values(grads));
      return arrays;
    },
  };
  return runCheck(problem, options);
}

/**
 * Second-order check: builds h(x_1..x_k) = sum_i <v_i, df/dx_i> and checks ITS
 * gradient (a Hessian-vector product of f) against finite differences of h. This
 * is what training through unrolled dynamics relies on.
 */
export function gradGradCheckArgs(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  xs: readonly TensorInput[],
  options: GradGradCheckOptions = {},
): GradCheckResult {
  const seed = options.seed ?? 0;
  const shapes = xs.map((x) => {
    const t = toTensor(x, 'argument');
    t.dispose();
    return t.shape;
  });
  const given = options.v === undefined ? undefined : xs.length === 1 && !Array.isArray(options.v) ? [options.v as TensorInput] : (options.v as readonly TensorInput[]);
  if (given && given.length !== xs.length) throw invalidArgument('v', `one tensor per argument (${xs.length})`, `${given.length} tensors`);
  const vs = shapes.map((shape, i) => {
    if (!given) return tf.randomNormal(shape, 0, 1, 'float32', seed + 7919 * (i + 1));
    const raw = given[i] as TensorInput;
    const v = asFloat(raw);
    // A flat array (not a tensor) of the right size is taken in the argument's shape.
    if (!(raw instanceof tf.Tensor) && v.size === tf.util.sizeFromShape(shape) && !tf.util.arraysEqual(v.shape, shape)) {
      const r = tf.reshape(v, shape);
      v.dispose();
      return r;
    }
    return v;
  });
  const bad = vs.findIndex((v, i) => !tf.util.arraysEqual(v.shape, shapes[i] as number[]));
  if (bad >= 0) {
    const err = invalidArgument(`v[${bad}].shape`, `[${(shapes[bad] as number[]).join(', ')}]`, (vs[bad] as tf.Tensor).shape);
    tf.dispose(vs);
    throw err;
  }
  try {
    const h = (...args: tf.Tensor[]): tf.Scalar =>
      tf.tidy(() => {
        const gs = tf.grads((...a: tf.Tensor[]) => f(...a))(args);
        return tf.addN(gs.map((g, i) => tf.sum(tf.mul(g, vs[i] as tf.Tensor)))) as tf.Scalar;
      });
    return gradCheckArgs(h, xs, options);
  } finally {
    tf.dispose(vs);
  }
}

/** Second-order check of a scalar function of one tensor: the gradient of h(x) = <v, grad f(x)>. */
export function gradGradCheck(f: (x: tf.Tensor) => tf.Scalar, x: TensorInput, options: GradGradCheckOptions = {}): GradCheckResult {
  return gradGradCheckArgs((a) => f(a as tf.Tensor), [x], options);
}
