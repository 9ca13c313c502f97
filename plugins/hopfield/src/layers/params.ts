/**
 * Named trainable parameters (tf.Variable) with seeded initialisation, shared
 * by the hopfield-layers style modules: linear maps and layer norms, plus the
 * bookkeeping getWeights/setWeights/dispose need.
 */
import * as tf from '@tensorflow/tfjs';
import { errors } from '@engram/core';

/** A named set of variables, created in a fixed order from one seed. */
export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();
  private next: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw errors.invalidArgument('seed', 'a safe integer', seed);
    this.next = seed;
  }

  /** Glorot-uniform matrix [rows, cols] (as torch's xavier_uniform_ for the in-projections). */
  glorot(name: string, rows: number, cols: number): tf.Variable {
    const lim = Math.sqrt(6 / (rows + cols));
    return this.add(name, tf.randomUniform([rows, cols], -lim, lim, 'float32', this.next++));
  }

  /** Constant vector or matrix. */
  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value));
  }

  /** Normal(0, std) tensor of `shape`. */
  normal(name: string, shape: number[], std: number): tf.Variable {
    return this.add(name, tf.randomNormal(shape, 0, std, 'float32', this.next++));
  }

  /** The variable called `name`. */
  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw errors.invalidArgument('parameter', `one of ${[...this.vars.keys()].join(', ')}`, name);
    return v;
  }

  /** Every variable by name (live). */
  all(): Record<string, tf.Variable> {
    return Object.fromEntries(this.vars);
  }

  /** Copies values in; names and shapes must match exactly. */
  assign(weights: Record<string, tf.Tensor>): void {
    const missing = [...this.vars.keys()].filter((k) => !(k in weights));
    const extra = Object.keys(weights).filter((k) => !this.vars.has(k));
    if (missing.length || extra.length) {
      throw errors.invalidArgument('weights', `exactly the parameters ${[...this.vars.keys()].join(', ')}`, { missing, extra });
    }
    for (const [k, v] of this.vars) {
      const w = weights[k]!;
      if (!tf.util.arraysEqual(w.shape, v.shape)) throw errors.shapeMismatch(`weight '${k}'`, v.shape, w.shape);
    }
    for (const [k, v] of this.vars) v.assign(weights[k]!.toFloat());
  }

  /** Frees every variable. */
  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }

  private add(name: string, init: tf.Tensor): tf.Variable {
    const v = tf.variable(init, true, undefined, 'float32');
    init.dispose();
    this.vars.set(name, v);
    return v;
  }
}

/** x @ W + b for x [..., in] (W stored [in, out], the layout the product needs). */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const flat = x.reshape([-1, shape[shape.length - 1]!]) as tf.Tensor2D;
  const y = tf.matMul(flat, w as tf.Tensor2D);
  const out = b ? tf.add(y, b) : y;
  return out.reshape([...shape.slice(0, -1), w.shape[1]!]);
}

/** Layer normalisation over the last axis, with optional affine gamma/beta (eps as torch's default 1e-5). */
export function layerNorm(x: tf.Tensor, gamma?: tf.Tensor, beta?: tf.Tensor, eps = 1e-5): tf.Tensor {
  const axis = x.rank - 1;
  const mean = tf.mean(x, axis, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), axis, true);
  let y = tf.div(centered, tf.sqrt(tf.add(variance, eps)));
  if (gamma) y = tf.mul(y, gamma);
  if (beta) y = tf.add(y, beta);
  return y;
}
