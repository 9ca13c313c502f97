/**
 * Named trainable parameters (tf.Variable) with seeded initialisation, shared
 * by the hopfield-layers modules, and the two maps they are used in: linear
 * projections and affine layer norms (the normalisation itself is core's
 * layernorm Lagrangian's activation, (x - mean) / sqrt(var + eps)).
 */
import * as tf from '@tensorflow/tfjs';
import { lagrangians, type Lagrangian } from '@engram/core';

/** A named set of variables, created in a fixed order from one seed. */
export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();
  private next: number;

  constructor(seed: number) {
    this.next = seed;
  }

  /** Glorot-uniform matrix [rows, cols] (as torch's xavier_uniform_ for the in-projections). */
  glorot(name: string, rows: number, cols: number): tf.Variable {
    const lim = Math.sqrt(6 / (rows + cols));
    return this.add(name, tf.randomUniform([rows, cols], -lim, lim, 'float32', this.next++));
  }

  /** Constant tensor of `shape`. */
  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value));
  }

  /** Normal(0, std) tensor of `shape`. */
  normal(name: string, shape: number[], std: number): tf.Variable {
    return this.add(name, tf.randomNormal(shape, 0, std, 'float32', this.next++));
  }

  /** The variable called `name` (every name is added by the module's constructor). */
  get(name: string): tf.Variable {
    return this.vars.get(name)!;
  }

  /** Every variable by name (live). */
  all(): Record<string, tf.Variable> {
    return Object.fromEntries(this.vars);
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

/** x @ W + b for x [..., in] (W stored [in, out]). */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const flat = x.reshape([-1, shape[shape.length - 1]!]) as tf.Tensor2D;
  const y = tf.matMul(flat, w as tf.Tensor2D);
  const out = b ? tf.add(y, b) : y;
  return out.reshape([...shape.slice(0, -1), w.shape[1]!]);
}

/** torch's default LayerNorm eps. */
const NORM: Lagrangian = lagrangians.layernorm({ eps: 1e-5 });

/** Layer normalisation over the last axis without an affine map (torch's nn.LayerNorm with elementwise_affine=False). */
export function layerNorm(x: tf.Tensor): tf.Tensor {
  return NORM.activation(x);
}

/** Layer normalisation over the last axis with a per-entry affine map gamma, beta (torch's nn.LayerNorm). */
export function affineLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(tf.mul(NORM.activation(x), gamma), beta));
}
