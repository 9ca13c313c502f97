/**
 * The reverse-diffusion samplers as one {@link DynamicsSystem} over a noise
 * schedule: step k maps the state 'x' (VE coordinates, x = x_0 + sigma n) from
 * sigma_k to sigma_(k+1).
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
import type { DynamicsSystem, EnergyTerms, State } from '@engram/core';
import type { Denoiser, SamplerKind } from '../models/denoiser.js';
import { alphaBarOfSigma } from '../models/schedules.js';
import { normalSeed } from './seeds.js';

/** What the sampler needs besides the denoiser and the schedule. */
export interface SamplerSettings {
  sampler: SamplerKind;
  eta: number;
  seed: number;
  /** Report -log p_sigma of each step's input state (when the denoiser has it). */
  energy: boolean;
  /** Clip every denoised estimate to [low, high] (DDPM's clip_denoised). */
  clip?: readonly [number, number] | undefined;
}

/** One update from level s to sn < s, given D0 = D(x, s) (which the step computed, possibly with its energy). */
type Update = (x: tf.Tensor2D, d0: tf.Tensor2D, s: number, sn: number, step: number) => tf.Tensor2D;

function makeUpdate(denoise: (x: tf.Tensor2D, s: number) => tf.Tensor2D, kind: SamplerKind, eta: number, seed: number): Update {
  const drift = (x: tf.Tensor2D, d: tf.Tensor2D, s: number): tf.Tensor2D => tf.div(tf.sub(x, d), s) as tf.Tensor2D;
  switch (kind) {
    case 'euler':
      return (x, d0, s, sn) => tf.add(x, tf.mul(drift(x, d0, s), sn - s)) as tf.Tensor2D;
    case 'heun':
      return (x, d0, s, sn) => {
        const d = drift(x, d0, s);
        const xe = tf.add(x, tf.mul(d, sn - s)) as tf.Tensor2D;
        if (sn === 0) return xe;
        const d2 = drift(xe, denoise(xe, sn), sn);
        return tf.add(x, tf.mul(tf.add(d, d2), 0.5 * (sn - s))) as tf.Tensor2D;
      };
    case 'ddim':
      return (x, x0, s, sn, step) => {
        const a = alphaBarOfSigma(s);
        const an = alphaBarOfSigma(sn);
        const xVp = tf.mul(x, Math.sqrt(a));
        // eps-prediction in VP coordinates: x_vp = sqrt(a) x0 + sqrt(1-a) eps.
        const eps = tf.div(tf.sub(xVp, tf.mul(x0, Math.sqrt(a))), Math.sqrt(1 - a));
        const std = eta * Math.sqrt(((1 - an) / (1 - a)) * (1 - a / an));
        let next = tf.add(tf.mul(x0, Math.sqrt(an)), tf.mul(eps, Math.sqrt(Math.max(0, 1 - an - std * std))));
        if (std > 0) next = tf.add(next, tf.randomNormal(x.shape, 0, std, 'float32', normalSeed(seed * 7919 + step + 1)));
        return tf.div(next, Math.sqrt(an)) as tf.Tensor2D; // back to VE coordinates
      };
    case 'sde':
      return (x, d0, s, sn, step) => {
        const dVar = s * s - sn * sn;
        const score = tf.div(tf.sub(d0, x), s * s);
        const mean = tf.add(x, tf.mul(score, dVar));
        if (sn === 0) return mean as tf.Tensor2D;
        return tf.add(mean, tf.randomNormal(x.shape, 0, Math.sqrt(dVar), 'float32', normalSeed(seed * 7919 + step + 1))) as tf.Tensor2D;
      };
  }
}

/**
 * The sampler as a {@link DynamicsSystem} over `sigmas` (checked, decreasing; run
 * it for at most sigmas.length - 1 steps). With `energy` and a denoiser that has
 * one, each step reports -log p_sigma_k of its input state (from the same pass as
 * the denoising), and the last state is scored at its own level (the smallest
 * positive one once the schedule reached 0). One system per run: it remembers
 * how far the run got.
 */
export function samplerSystem(denoiser: Denoiser, sigmas: readonly number[], settings: SamplerSettings): DynamicsSystem {
  const clip = settings.clip;
  const clipped = (d: tf.Tensor2D): tf.Tensor2D => (clip ? tf.clipByValue(d, clip[0], clip[1]) : d);
  const update = makeUpdate((x, s) => clipped(denoiser.denoise(x, s)), settings.sampler, settings.eta, settings.seed);
  const withEnergy = settings.energy && denoiser.denoiseWithEnergy !== undefined;
  let done = 0;
  const levelOfState = (): number => (sigmas[done]! > 0 ? sigmas[done]! : sigmas[done - 1]!);
  const system: DynamicsSystem = {
    step: (state, ctx) => {
      const s = sigmas[ctx.step]!;
      const sn = sigmas[ctx.step + 1]!;
      let energy: tf.Tensor1D | undefined;
      const x = tf.tidy(() => {
        const xs = state['x'] as tf.Tensor2D;
        let d0: tf.Tensor2D;
        if (withEnergy) {
          const r = denoiser.denoiseWithEnergy!(xs, s);
          d0 = clipped(r.denoised);
          energy = tf.keep(r.energy);
        } else d0 = clipped(denoiser.denoise(xs, s));
        return update(xs, d0, s, sn, ctx.step);
      });
      done = ctx.step + 1;
      const next: State = { x };
      return energy ? { next, energy: { total: energy } } : { next };
    },
  };
  if (withEnergy) {
    system.energy = (state): EnergyTerms => {
      const r = denoiser.denoiseWithEnergy!(state['x'] as tf.Tensor2D, levelOfState());
      r.denoised.dispose();
      return { total: r.energy };
    };
  }
  return system;
}
