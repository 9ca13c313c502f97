/**
 * The graph Energy Transformer ('et/graph'): node tokens = linear(features) +
 * linear(Laplacian positional encodings); T steps of ET descent with attention
 * restricted to the graph's edges (plus self-loops); a node-level readout: a
 * small MLP on the final LayerNorm activations and the node's own energy terms
 * (per head attention, Hopfield), giving one logit per node.
 */
import * as tf from '@tensorflow/tfjs';
import { errors, type EngramModel, type JsonObject } from '@engram/core';
import { EnergyTransformerBlock, setVariables } from '../block.js';
import type { EtBlockOptions } from '../config.js';
import { constantVariable, normalVariable } from '../internal/ops.js';

/** Options of {@link GraphEnergyTransformer}. */
export interface GraphEtOptions {
  /** Node feature dimension F. */
  features: number;
  /** Number of Laplacian eigenvectors k (default 8). */
  peDim?: number;
  /** The ET block (default D 32, 4 heads of 8, M 128, T 12). */
  block?: Partial<EtBlockOptions>;
  seed?: number;
}

/** A graph as the model consumes it. */
export interface GraphInput {
  /** Node features [n, F]. */
  features: tf.Tensor2D;
  /** Positional encodings [n, k]. */
  pe: tf.Tensor2D;
  /** Allowed attention pairs [n, n]: adjacency with self-loops. */
  attention: tf.Tensor2D;
}

/** The graph Energy Transformer. */
export class GraphEnergyTransformer implements EngramModel {
  readonly kind: string = 'et/graph';
  readonly block: EnergyTransformerBlock;
  readonly vars: {
    encW: tf.Variable; peW: tf.Variable; encB: tf.Variable;
    outGamma: tf.Variable; outBeta: tf.Variable; hidW: tf.Variable; hidB: tf.Variable; outW: tf.Variable; outB: tf.Variable;
  };
  private readonly opts: { features: number; peDim: number; seed: number };

  constructor(options: GraphEtOptions | JsonObject) {
    const o = options as GraphEtOptions;
    for (const k of Object.keys(o)) if (!['features', 'peDim', 'block', 'seed'].includes(k)) throw errors.invalidArgument(`et/graph config key '${k}'`, 'one of features, peDim, block, seed', k);
    if (!Number.isInteger(o.features) || o.features < 1) throw errors.invalidArgument('et/graph features', 'a positive integer', o.features);
    const peDim = o.peDim ?? 8;
    if (!Number.isInteger(peDim) || peDim < 1) throw errors.invalidArgument('et/graph peDim', 'a positive integer', peDim);
    const seed = o.seed ?? 0;
    // Larger attention/memory init than the image default (0.002): graph training is
    // short and the node energies read out must carry signal from the start.
    this.block = new EnergyTransformerBlock({ tokenDim: 32, heads: 4, headDim: 8, memories: 128, attentionInitStd: 0.1, hopfieldInitStd: 0.1, excludeDiagonal: true, ...(o.block ?? {}) } as EtBlockOptions);
    const D = this.block.config.tokenDim;
    const R = D + 2 * this.block.config.heads + 3;
    // Start with W^Q = W^K, so each attention logit is a similarity between a node
    // and its neighbour and the node's attention energy measures how well it fits
    // its neighbourhood (trained freely afterwards).
    this.block.vars.wq.assign(this.block.vars.wk);
    this.vars = {
      encW: normalVariable([o.features, D], 1 / Math.sqrt(o.features), seed * 13 + 1),
      peW: normalVariable([peDim, D], 1 / Math.sqrt(peDim), seed * 13 + 2),
      encB: constantVariable([D], 0),
      outGamma: constantVariable([D], 1),
      outBeta: constantVariable([D], 0),
      hidW: normalVariable([R, D], 1 / Math.sqrt(R), seed * 13 + 3),
      hidB: constantVariable([D], 0),
      outW: normalVariable([D, 1], 1 / Math.sqrt(D), seed * 13 + 4),
      outB: constantVariable([1], 0),
    };
    this.opts = { features: o.features, peDim, seed };
  }

  private check(g: GraphInput): void {
    const n = g.features.shape[0];
    if (g.features.rank !== 2 || g.features.shape[1] !== this.opts.features) throw errors.shapeMismatch('node features', ['n', this.opts.features], g.features.shape);
    if (g.pe.rank !== 2 || g.pe.shape[0] !== n || g.pe.shape[1] !== this.opts.peDim) throw errors.shapeMismatch('positional encodings', [n, this.opts.peDim], g.pe.shape);
    if (g.attention.rank !== 2 || g.attention.shape[0] !== n || g.attention.shape[1] !== n) throw errors.shapeMismatch('attention mask', [n, n], g.attention.shape);
  }

  /** Initial tokens [1, n, D]. */
  tokens(g: GraphInput): tf.Tensor3D {
    this.check(g);
    return tf.tidy(() => {
      const x = tf.add(tf.add(tf.matMul(g.features, this.vars.encW as tf.Tensor2D), tf.matMul(g.pe, this.vars.peW as tf.Tensor2D)), this.vars.encB);
      return tf.expandDims(x, 0) as tf.Tensor3D;
    });
  }

  /** Node logits [n] (differentiable): tokens, T steps restricted to edges, readout. */
  logits(g: GraphInput): tf.Tensor1D {
    return tf.tidy(() => {
      const x0 = this.tokens(g);
      const xT = this.block.evolve(x0, { attentionMask: g.attention });
      const e = this.block.tokenEnergies(xT, g.attention);
      // ...and of the initial tokens, before the descent pulls nodes towards their neighbours.
      const e0 = this.block.tokenEnergies(x0, g.attention);
      const x = tf.squeeze(xT, [0]);
      const c = tf.sub(x, tf.mean(x, -1, true));
      const ln = tf.add(tf.mul(tf.div(c, tf.sqrt(tf.add(tf.mean(tf.square(c), -1, true), 1e-5))), this.vars.outGamma), this.vars.outBeta);
      // Node energies, centred and scaled over the graph (their raw scale is arbitrary).
      // How far the descent moved each node (its tokens and activations): a node that
      // disagrees with its neighbourhood is pulled further.
      const move = tf.sqrt(tf.add(tf.sum(tf.square(tf.sub(xT, x0)), -1), 1e-9));
      const gmove = tf.sqrt(tf.add(tf.sum(tf.square(tf.sub(this.block.activation(xT), this.block.activation(x0))), -1), 1e-9));
      // Attention energies per head, made degree-free: -1/beta log MEAN exp over the
      // node's neighbours (adding 1/beta log #neighbours), so they measure how well a
      // node matches its neighbourhood rather than how many neighbours it has.
      const cfg = this.block.config;
      const allowed = cfg.excludeDiagonal ? tf.mul(g.attention, tf.sub(1, tf.eye(g.attention.shape[0]))) : g.attention;
      const logCount = tf.log(tf.maximum(tf.sum(allowed, 1, true), 1));
      const att = tf.add(tf.squeeze(e.attention, [0]), tf.mul(logCount, 1 / cfg.attentionBeta));
      const att0 = tf.add(tf.squeeze(e0.attention, [0]), tf.mul(logCount, 1 / cfg.attentionBeta));
      const en = tf.concat([att, att0, tf.transpose(e.hopfield), tf.transpose(move), tf.transpose(gmove)], 1);
      const m = tf.moments(en, 0, true);
      const enz = tf.div(tf.sub(en, m.mean), tf.sqrt(tf.add(m.variance, 1e-6)));
      const hid = tf.relu(tf.add(tf.matMul(tf.concat([ln, enz], 1) as tf.Tensor2D, this.vars.hidW as tf.Tensor2D), this.vars.hidB));
      return tf.reshape(tf.add(tf.matMul(hid as tf.Tensor2D, this.vars.outW as tf.Tensor2D), this.vars.outB), [-1]) as tf.Tensor1D;
    });
  }

  variables(): tf.Variable[] {
    return [...this.block.variables(), ...Object.values(this.vars)];
  }

  getConfig(): JsonObject {
    return { ...this.opts, block: this.block.getConfig() };
  }

  getWeights(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(this.block.getWeights())) out[`block.${k}`] = v;
    for (const [k, v] of Object.entries(this.vars)) out[k] = v;
    return out;
  }

  setWeights(weights: Record<string, tf.Tensor>): void {
    const all: Record<string, tf.Variable> = { ...this.vars };
    for (const [k, v] of Object.entries(this.block.vars)) all[`block.${k}`] = v;
    setVariables(all, weights, 'et/graph');
  }

  dispose(): void {
    this.block.dispose();
    for (const v of Object.values(this.vars)) v.dispose();
  }
}

/** Class-balanced binary cross-entropy with logits over the nodes where `weights` > 0. */
export function weightedBce(logits: tf.Tensor1D, labels: tf.Tensor1D, weights: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    // softplus(z) - y z, stable for both signs.
    const l = tf.sub(tf.softplus(logits), tf.mul(labels, logits));
    return tf.div(tf.sum(tf.mul(weights, l)), tf.maximum(tf.sum(weights), 1e-12)) as tf.Scalar;
  });
}
