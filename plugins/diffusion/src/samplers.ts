/**
 * Samplers of the reverse diffusion, each an update rule on the core dynamics
 * engine (runDynamics), so sampling is an Observable<DynamicsStep> like any
 * associative-memory descent: step k maps the state at level sigma_k to sigma_(k+1).
 * The state is layer 'x' [B, dim] in VE coordinates (x = x_0 + sigma n).
 *
 * - 'euler': probability-flow ODE dx/dsigma = (x - D(x, sigma)) / sigma, Euler steps.
 * - 'heun': the same ODE with Heun's 2nd-order correction (Karras et al. 2022, Alg. 1),
 *   Euler on the last step to sigma = 0.
 * - 'ddim': DDIM (Song, Meng & Ermon 2021) in VP coordinates x_vp = sqrt(abar) x with
 *   abar = 1/(1+sigma^2); eta = 0 is deterministic (and equals Euler, a tested identity),
 *   eta = 1 is ancestral DDPM-like sampling.
 * - 'sde': the VE reverse SDE (Song et al. 2021) by Euler-Maruyama:
 *   x' = x + (s^2 - s'^2) score + sqrt(s^2 - s'^2) z, no noise on the final step to 0.
 */
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, Observable, type SchedulerLike } from 'rxjs';
import { errors, explicitRule, runDynamics, toTensor, type DynamicsStep, type DynamicsSystem, type State, type TensorInput } from '@engram/core';
import type { Denoiser } from './denoiser.js';
import { alphaBarOfSigma, checkSigmas, edmSigmas } from './schedules.js';
import { numIn, posInt } from './internal/validate.js';

/** The available samplers. */
export type SamplerKind = 'euler' | 'heun' | 'ddim' | 'sde';

/** The sampler names, for validation and CLIs. */
export const SAMPLERS: readonly SamplerKind[] = ['euler', 'heun', 'ddim', 'sde'];

/** Options of {@link sampleStream}. */
export interface SampleOptions {
  /** Default 'heun'. */
  sampler?: SamplerKind;
  /** Decreasing noise levels, usually ending at 0 (default `edmSigmas()`: 18 EDM levels from 80 to 0.002, then 0). */
  sigmas?: ArrayLike<number>;
  /** Number of samples when `initial` is absent (default 16). */
  count?: number;
  /** Starting state [B, dim] at level sigmas[0] (default: N(0, sigmas[0]^2) noise, seeded). Copied. */
  initial?: TensorInput;
  /** Seed of the starting noise and of the 'sde'/'ddim' noise (default 0). */
  seed?: number;
  /** DDIM stochasticity in [0, 1] (default 0). */
  eta?: number;
  /** Report -log p_sigma(x) per step when the denoiser has an energy (default true). */
  energy?: boolean;
  /** As RunOptions: copy states into the events. */
  snapshot?: boolean;
  snapshotEvery?: number;
  yieldEvery?: number;
  scheduler?: SchedulerLike;
  /** Receives the final samples (you own the tensors), when the run ends by itself. */
  onFinal?: (state: State) => void;
}

/** The sampler's update from level s to level sn (sn < s), on x [B, dim]. */
type Update = (x: tf.Tensor2D, s: number, sn: number, step: number) => tf.Tensor2D;

function makeUpdate(denoiser: Denoiser, kind: SamplerKind, eta: number, seed: number): Update {
  const drift = (x: tf.Tensor2D, s: number): tf.Tensor2D => tf.div(tf.sub(x, denoiser.denoise(x, s)), s) as tf.Tensor2D;
  switch (kind) {
    case 'euler':
      return (x, s, sn) => tf.add(x, tf.mul(drift(x, s), sn - s)) as tf.Tensor2D;
    case 'heun':
      return (x, s, sn) => {
        const d = drift(x, s);
        const xe = tf.add(x, tf.mul(d, sn - s)) as tf.Tensor2D;
        if (sn === 0) return xe;
        const d2 = drift(xe, sn);
        return tf.add(x, tf.mul(tf.add(d, d2), 0.5 * (sn - s))) as tf.Tensor2D;
      };
    case 'ddim':
      return (x, s, sn, step) => {
        const a = alphaBarOfSigma(s);
        const an = alphaBarOfSigma(sn);
        const x0 = denoiser.denoise(x, s);
        const xVp = tf.mul(x, Math.sqrt(a));
        // eps-prediction in VP coordinates: x_vp = sqrt(a) x0 + sqrt(1-a) eps.
        const eps = tf.div(tf.sub(xVp, tf.mul(x0, Math.sqrt(a))), Math.sqrt(1 - a));
        const std = eta * Math.sqrt(((1 - an) / (1 - a)) * (1 - a / an));
        let next = tf.add(tf.mul(x0, Math.sqrt(an)), tf.mul(eps, Math.sqrt(Math.max(0, 1 - an - std * std))));
        if (std > 0) next = tf.add(next, tf.randomNormal(x.shape, 0, std, 'float32', seed * 7919 + step + 1));
        return tf.div(next, Math.sqrt(an)) as tf.Tensor2D; // back to VE coordinates
      };
    case 'sde':
      return (x, s, sn, step) => {
        const dVar = s * s - sn * sn;
        const score = tf.div(tf.sub(denoiser.denoise(x, s), x), s * s);
        const mean = tf.add(x, tf.mul(score, dVar));
        if (sn === 0) return mean as tf.Tensor2D;
        return tf.add(mean, tf.randomNormal(x.shape, 0, Math.sqrt(dVar), 'float32', seed * 7919 + step + 1)) as tf.Tensor2D;
      };
    default:
      throw errors.invalidArgument('sampler', SAMPLERS.map((k) => `'${k}'`).join(', '), kind);
  }
}

/**
 * The sampler as a {@link DynamicsSystem} over the schedule `sigmas` (step k goes
 * from sigmas[k] to sigmas[k+1]; run it for sigmas.length - 1 steps). When
 * `withEnergy` and the denoiser has one, each step reports -log p_sigma_k of its
 * input state, and the final state is scored at the smallest positive level.
 */
export function samplerSystem(denoiser: Denoiser, sigmas: ArrayLike<number>, opts: { sampler?: SamplerKind; eta?: number; seed?: number; withEnergy?: boolean } = {}): DynamicsSystem {
  const s = checkSigmas(sigmas);
  const kind = opts.sampler ?? 'heun';
  if (!SAMPLERS.includes(kind)) throw errors.invalidArgument('sampler', SAMPLERS.map((k) => `'${k}'`).join(', '), kind);
  const eta = numIn('eta', opts.eta ?? 0, 0, 1);
  const seed = opts.seed ?? 0;
  const update = makeUpdate(denoiser, kind, eta, seed);
  const n = s.length - 1;
  const at = (step: number): [number, number] => {
    if (step >= n) throw errors.invalidArgument('step', `an index below the schedule length ${n}`, step);
    return [s[step]!, s[step + 1]!];
  };
  const rule = (state: State, step: number): State => ({
    x: tf.tidy(() => {
      const [a, b] = at(step);
      return update(state['x'] as tf.Tensor2D, a, b, step);
    }),
  });
  const energyOf = denoiser.energy?.bind(denoiser);
  if (!(opts.withEnergy ?? true) || !energyOf) return explicitRule({ update: (state, ctx) => rule(state, ctx.step) });
  const floor = s[n]! > 0 ? s[n]! : s[n - 1]!;
  return {
    step: (state, ctx) => ({ next: rule(state, ctx.step), energy: { total: energyOf(state['x'] as tf.Tensor2D, at(ctx.step)[0]) } }),
    energy: (state) => ({ total: energyOf(state['x'] as tf.Tensor2D, floor) }),
  };
}

/**
 * Samples from a denoiser as a cold Observable of dynamics steps (step 0 is the
 * starting noise; the last event holds the samples). Unsubscribing stops the
 * sampler and frees every tensor.
 */
export function sampleStream(denoiser: Denoiser, options: SampleOptions = {}): Observable<DynamicsStep> {
  const sigmas = checkSigmas(options.sigmas ?? edmSigmas());
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw errors.invalidArgument('seed', 'an integer', options.seed);
  const sysOpts: { sampler?: SamplerKind; eta?: number; seed: number; withEnergy?: boolean } = { seed };
  if (options.sampler !== undefined) sysOpts.sampler = options.sampler;
  if (options.eta !== undefined) sysOpts.eta = options.eta;
  if (options.energy !== undefined) sysOpts.withEnergy = options.energy;
  const system = samplerSystem(denoiser, sigmas, sysOpts);
  if (options.initial !== undefined) {
    const probe = toTensor(options.initial);
    const shape = probe.shape;
    if (probe !== options.initial) probe.dispose();
    if (shape.length !== 2 || shape[1] !== denoiser.dim) throw errors.shapeMismatch('initial', ['batch', denoiser.dim], shape);
  }
  const count = options.initial === undefined ? posInt('count', options.count ?? 16) : 0;
  const runOptions = {
    maxSteps: sigmas.length - 1,
    dt: 1,
    energyTree: false,
    ...(options.snapshot !== undefined ? { snapshot: options.snapshot } : {}),
    ...(options.snapshotEvery !== undefined ? { snapshotEvery: options.snapshotEvery } : {}),
    ...(options.yieldEvery !== undefined ? { yieldEvery: options.yieldEvery } : {}),
    ...(options.scheduler !== undefined ? { scheduler: options.scheduler } : {}),
    ...(options.onFinal !== undefined ? { onFinal: options.onFinal } : {}),
  };
  if (options.initial !== undefined) return runDynamics(system, { ...runOptions, initial: { x: options.initial } });
  // Fresh seeded noise per subscription, freed when the subscription ends (the engine copies it on start).
  return new Observable<DynamicsStep>((subscriber) => {
    const noise = tf.randomNormal([count, denoiser.dim], 0, sigmas[0]!, 'float32', seed);
    const inner = runDynamics(system, { ...runOptions, initial: { x: noise } }).subscribe(subscriber);
    return () => {
      inner.unsubscribe();
      noise.dispose();
    };
  });
}

/** Runs a sampler to the end and returns the samples [B, dim] (the caller owns them). */
export async function sample(denoiser: Denoiser, options: SampleOptions = {}): Promise<tf.Tensor2D> {
  let out: tf.Tensor2D | undefined;
  const user = options.onFinal;
  await lastValueFrom(
    sampleStream(denoiser, {
      yieldEvery: 1000,
      ...options,
      onFinal: (state) => {
        out = state['x'] as tf.Tensor2D;
        for (const [k, t] of Object.entries(state)) if (k !== 'x') t.dispose();
        user?.({ x: out.clone() });
      },
    }),
  );
  if (!out) throw errors.invalidArgument('sampler run', 'a run that ends by itself', 'cancelled');
  return out;
}
