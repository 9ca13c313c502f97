/**
 * One Energy Transformer block: tokens x [B, N, D] evolve by
 * x <- x - alpha dE/dg, g = LN(x), E = E_ATT(g) + E_HN(g), through the core's
 * dynamics engine, so every step is a DynamicsStep with the energy tree
 * { layernorm, attention, hopfield }. The total reported (and descended) is
 * E_ATT + E_HN: the ET update has no leak term, and d(E_ATT + E_HN)/dt =
 * -(dE/dg)^T (d^2L/dx^2) (dE/dg) <= 0. The LayerNorm's Legendre term is O(eps)
 * and shown in the tree for completeness.
 */
import * as tf from '@tensorflow/tfjs';
import { defer, finalize, type Observable } from 'rxjs';
import {
  errors,
  integrate,
  runDynamics,
  toTensor,
  type DynamicsStep,
  type DynamicsSystem,
  type EngramModel,
  type JsonObject,
  type RunOptions,
  type TensorInput,
} from '@engram/core';
import { blockConfigToJson, resolveBlockConfig, type EtBlockConfig, type EtBlockOptions } from './config.js';
import { etEnergyReference, etForward, etTokenEnergies, prepareFused, type EtEnergyTerms, type FusedWeights } from './energy.js';
import { constantVariable, normalVariable } from './internal/ops.js';
import { etLayerNorm, etLayerNormEnergy } from './layernorm.js';
import { buildLogMask } from './mask.js';

/** Name of the state layer in dynamics runs. */
export const TOKEN_LAYER = 'x';

/** Options of {@link EnergyTransformerBlock.run}. */
export interface BlockRunOptions extends Omit<RunOptions, 'initial' | 'maxSteps' | 'dt'> {
  /** Number of steps (default: the block's T). */
  steps?: number;
  /** Step size (default: the block's alpha). */
  alpha?: number;
  /** Allowed attention pairs, [N, N] or [B, N, N] (1 = allowed); default all. */
  attentionMask?: TensorInput;
}

/** Options of {@link EnergyTransformerBlock.evolve}. */
export interface BlockEvolveOptions {
  steps?: number;
  alpha?: number;
  attentionMask?: TensorInput;
  /** Use the autodiff gradient instead of the configured one. */
  gradient?: EtBlockConfig['gradient'];
}

/** The trainable parameters of a block. */
export interface EtBlockVariables {
  /** W^K as [D, H*Y]. */
  wk: tf.Variable;
  /** W^Q as [D, H*Y]. */
  wq: tf.Variable;
  /** Memories as columns [D, M]. */
  xi: tf.Variable;
  /** LayerNorm scale (scalar). */
  gamma: tf.Variable;
  /** LayerNorm shift [D]. */
  delta: tf.Variable;
}

/** An Energy Transformer block ('et/block'). */
export class EnergyTransformerBlock implements EngramModel {
  readonly kind: string = 'et/block';
  readonly config: EtBlockConfig;
  readonly vars: EtBlockVariables;
  private disposed = false;

  constructor(options: EtBlockOptions | JsonObject) {
    const c = resolveBlockConfig(options);
    this.config = c;
    const D = c.tokenDim;
    const HY = c.heads * c.headDim;
    this.vars = {
      wk: normalVariable([D, HY], c.attentionInitStd, c.seed * 7 + 1),
      wq: normalVariable([D, HY], c.attentionInitStd, c.seed * 7 + 2),
      xi: normalVariable([D, c.memories], c.hopfieldInitStd, c.seed * 7 + 3),
      gamma: constantVariable([], 1),
      delta: constantVariable([D], 0),
    };
  }

  /** Every trainable variable. */
  variables(): tf.Variable[] {
    return Object.values(this.vars);
  }

  /** g = LN(x). */
  activation(x: tf.Tensor): tf.Tensor {
    return etLayerNorm(x, this.vars.gamma, this.vars.delta, this.config.eps);
  }

  private checkTokens(x: tf.Tensor, what = 'tokens'): void {
    this.assertAlive();
    if (x.rank !== 3 || x.shape[2] !== this.config.tokenDim) throw errors.shapeMismatch(what, ['batch', 'tokens', this.config.tokenDim], x.shape);
  }

  private assertAlive(): void {
    if (this.disposed) throw errors.invalidArgument('et block', 'a block that has not been disposed', 'disposed');
  }

  /** Energy terms of state x [B, N, D] by the reference formula: total = attention + hopfield. */
  energy(x: TensorInput, attentionMask?: TensorInput): { total: tf.Tensor1D; terms: Record<string, tf.Tensor1D> } {
    const xt = toTensor(x);
    this.checkTokens(xt);
    const logMask = buildLogMask(xt.shape[1]!, attentionMask, this.config.excludeDiagonal);
    try {
      return tf.tidy(() => {
        const g = this.activation(xt);
        const t = etEnergyReference(g, this.vars, logMask, this.config);
        const ln = etLayerNormEnergy(xt, g, this.vars.gamma, this.vars.delta, this.config.eps);
        return { total: tf.add(t.attention, t.hopfield) as tf.Tensor1D, terms: { layernorm: ln, attention: t.attention, hopfield: t.hopfield } };
      });
    } finally {
      logMask?.dispose();
      if (xt !== x) xt.dispose();
    }
  }

  /** dE/dg at the activations of x, by closed form or autodiff (default: the configured mode). */
  energyGradient(x: TensorInput, options: { attentionMask?: TensorInput; gradient?: EtBlockConfig['gradient'] } = {}): tf.Tensor3D {
    const xt = toTensor(x);
    this.checkTokens(xt);
    const logMask = buildLogMask(xt.shape[1]!, options.attentionMask, this.config.excludeDiagonal);
    const fused = this.prepare(logMask);
    try {
      return tf.tidy(() => this.gradientAt(this.activation(xt), fused, options.gradient ?? this.config.gradient));
    } finally {
      disposeFused(fused);
      logMask?.dispose();
      if (xt !== x) xt.dispose();
    }
  }

  /** Fused weight layouts for a run (caller disposes with {@link disposeFused}). */
  prepare(logMask: tf.Tensor | null): FusedWeights {
    return prepareFused(this.vars, logMask);
  }

  private gradientAt(g: tf.Tensor, fused: FusedWeights, mode: EtBlockConfig['gradient']): tf.Tensor3D {
    if (mode === 'closed-form') return etForward(g, fused, this.config, false).dEdg;
    return tf.grad((gg: tf.Tensor) => {
      const t = etEnergyReference(gg, this.vars, fused.logMask, this.config);
      return tf.sum(tf.add(t.attention, t.hopfield)) as tf.Scalar;
    })(g) as tf.Tensor3D;
  }

  /**
   * A DynamicsSystem over the layer 'x' using prepared weights (not owned).
   * With `withEnergy`, each step also reports the energy of its input state.
   */
  system(fused: FusedWeights, withEnergy: boolean, mode: EtBlockConfig['gradient'] = this.config.gradient): DynamicsSystem {
    const cfg = this.config;
    const energyOf = (x: tf.Tensor, g: tf.Tensor, t: EtEnergyTerms) => ({
      total: tf.add(t.attention, t.hopfield) as tf.Tensor1D,
      terms: { layernorm: etLayerNormEnergy(x, g, this.vars.gamma, this.vars.delta, cfg.eps), attention: t.attention, hopfield: t.hopfield },
    });
    return {
      step: (state, ctx) =>
        tf.tidy(() => {
          const x = state[TOKEN_LAYER]!;
          const g = this.activation(x);
          if (mode === 'closed-form') {
            const r = etForward(g, fused, cfg, withEnergy);
            const next = { [TOKEN_LAYER]: tf.sub(x, tf.mul(r.dEdg, ctx.dt)) };
            return r.energy ? { next, energy: energyOf(x, g, r.energy) } : { next };
          }
          const dEdg = this.gradientAt(g, fused, 'autodiff');
          const next = { [TOKEN_LAYER]: tf.sub(x, tf.mul(dEdg, ctx.dt)) };
          return withEnergy ? { next, energy: energyOf(x, g, etEnergyReference(g, this.vars, fused.logMask, cfg)) } : { next };
        }),
      energy: (state) =>
        tf.tidy(() => {
          const x = state[TOKEN_LAYER]!;
          const g = this.activation(x);
          return energyOf(x, g, etEnergyReference(g, this.vars, fused.logMask, cfg));
        }),
    };
  }

  /**
   * Streams the descent from tokens `x` [B, N, D]: step 0 is the initial state,
   * then one event per update, with the energy tree. Cold: subscribing starts
   * it, unsubscribing frees every tensor.
   */
  run(x: TensorInput, options: BlockRunOptions = {}): Observable<DynamicsStep> {
    return defer(() => {
      const xt = toTensor(x);
      this.checkTokens(xt);
      const { steps, alpha, attentionMask, ...rest } = options;
      const logMask = buildLogMask(xt.shape[1]!, attentionMask, this.config.excludeDiagonal);
      const fused = this.prepare(logMask);
      logMask?.dispose();
      const withEnergy = rest.energyTree !== false;
      return runDynamics(this.system(fused, withEnergy), {
        ...rest,
        initial: { [TOKEN_LAYER]: xt },
        maxSteps: steps ?? this.config.steps,
        dt: alpha ?? this.config.alpha,
      }).pipe(
        finalize(() => {
          disposeFused(fused);
          if (xt !== x) xt.dispose();
        }),
      );
    });
  }

  /**
   * Applies T updates synchronously and returns the final tokens (caller owns
   * them). Differentiable w.r.t. x and the block's variables: use it inside a
   * loss to train through the unrolled descent.
   */
  evolve(x: tf.Tensor, options: BlockEvolveOptions = {}): tf.Tensor3D {
    this.checkTokens(x);
    const logMask = buildLogMask(x.shape[1]!, options.attentionMask, this.config.excludeDiagonal);
    try {
      const fused = this.prepare(logMask);
      try {
        const out = integrate(this.system(fused, false, options.gradient ?? this.config.gradient), { [TOKEN_LAYER]: x }, {
          steps: options.steps ?? this.config.steps,
          dt: options.alpha ?? this.config.alpha,
        });
        return out[TOKEN_LAYER] as tf.Tensor3D;
      } finally {
        disposeFused(fused);
      }
    } finally {
      logMask?.dispose();
    }
  }

  /**
   * Per-token energies of state x: attention [B, N, H] and Hopfield [B, N]
   * (differentiable; they sum to the block's total energy).
   */
  tokenEnergies(x: tf.Tensor, attentionMask?: TensorInput): { attention: tf.Tensor3D; hopfield: tf.Tensor2D } {
    this.checkTokens(x);
    const logMask = buildLogMask(x.shape[1]!, attentionMask, this.config.excludeDiagonal);
    try {
      return tf.tidy(() => etTokenEnergies(this.activation(x), this.vars, logMask, this.config));
    } finally {
      logMask?.dispose();
    }
  }

  /** Number of trainable parameters. */
  parameterCount(): number {
    return this.variables().reduce((s, v) => s + v.size, 0);
  }

  getConfig(): JsonObject {
    return blockConfigToJson(this.config);
  }

  getWeights(): Record<string, tf.Tensor> {
    return { ...this.vars };
  }

  setWeights(weights: Record<string, tf.Tensor>): void {
    setVariables(this.vars as unknown as Record<string, tf.Variable>, weights, 'et block');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.variables()) v.dispose();
  }
}

/** Frees prepared weights (the log-mask inside is a kept copy). */
export function disposeFused(f: FusedWeights): void {
  f.wkT.dispose();
  f.wqT.dispose();
  f.xiT.dispose();
  f.logMask?.dispose();
}

/** Assigns named weights into variables after checking names and shapes (nothing is changed on error). */
export function setVariables(vars: Record<string, tf.Variable>, weights: Record<string, tf.Tensor>, owner: string): void {
  for (const [name, v] of Object.entries(vars)) {
    const w = weights[name];
    if (!w) throw errors.invalidArgument(`${owner} weights`, `an entry '${name}'`, Object.keys(weights));
    if (w.shape.length !== v.shape.length || w.shape.some((d, i) => d !== v.shape[i])) throw errors.shapeMismatch(`${owner} weight '${name}'`, v.shape, w.shape);
  }
  for (const [name, v] of Object.entries(vars)) v.assign(weights[name]!.toFloat());
}
