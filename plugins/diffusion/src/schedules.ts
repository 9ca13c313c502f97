/**
 * Noise schedules as decreasing noise levels sigma_0 > sigma_1 > ... > sigma_N = 0,
 * all in the variance-exploding (VE) parametrisation x_sigma = x_0 + sigma n.
 * A variance-preserving (VP) process x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) n
 * is the same process rescaled: x_t / sqrt(abar_t) has VE noise level
 * sigma_t = sqrt((1 - abar_t) / abar_t) (Karras et al. 2022, "Elucidating the
 * design space", table 1), so every sampler here works on sigma levels and the
 * DDIM sampler converts to VP coordinates itself.
 */
import { errors } from '@engram/core';

/** Options of {@link edmSigmas} (defaults from Karras et al. 2022). */
export interface EdmSigmaOptions {
  /** Number of noise levels before the final 0 (default 18). */
  steps?: number;
  /** Smallest non-zero level (default 0.002). */
  sigmaMin?: number;
  /** Largest level (default 80). */
  sigmaMax?: number;
  /** Curvature rho (default 7): larger spends more steps at small sigma. */
  rho?: number;
}

function posInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw errors.invalidArgument(name, 'a positive integer', v);
  return v;
}

function posNum(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw errors.invalidArgument(name, 'a positive finite number', v);
  return v;
}

/**
 * The EDM (VE) schedule: sigma_i = (smax^(1/rho) + i/(N-1) (smin^(1/rho) - smax^(1/rho)))^rho
 * for i = 0..N-1, then sigma_N = 0. Returns N + 1 levels.
 */
export function edmSigmas(opts: EdmSigmaOptions = {}): Float64Array {
  const n = posInt('steps', opts.steps ?? 18);
  const smin = posNum('sigmaMin', opts.sigmaMin ?? 0.002);
  const smax = posNum('sigmaMax', opts.sigmaMax ?? 80);
  const rho = posNum('rho', opts.rho ?? 7);
  if (smin >= smax && n > 1) throw errors.invalidArgument('sigmaMin', `a level below sigmaMax (${smax})`, smin);
  const out = new Float64Array(n + 1);
  const a = smax ** (1 / rho);
  const b = smin ** (1 / rho);
  for (let i = 0; i < n; i++) out[i] = (a + (n === 1 ? 0 : i / (n - 1)) * (b - a)) ** rho;
  out[n] = 0;
  return out;
}

/** Options of {@link geometricSigmas} (Song & Ermon's VE SDE levels). */
export interface GeometricSigmaOptions {
  steps?: number;
  sigmaMin?: number;
  sigmaMax?: number;
}

/** Geometric VE levels sigma_i = smax (smin/smax)^(i/(N-1)), then 0 (Song et al. 2021, VE SDE). */
export function geometricSigmas(opts: GeometricSigmaOptions = {}): Float64Array {
  const n = posInt('steps', opts.steps ?? 50);
  const smin = posNum('sigmaMin', opts.sigmaMin ?? 0.01);
  const smax = posNum('sigmaMax', opts.sigmaMax ?? 50);
  const out = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) out[i] = smax * (smin / smax) ** (n === 1 ? 0 : i / (n - 1));
  out[n] = 0;
  return out;
}

/** Options of {@link vpSigmas}: the DDPM discrete linear beta schedule (Ho et al. 2020). */
export interface VpScheduleOptions {
  /** Sampling steps: timesteps taken evenly from the training chain, as DDIM does (default 50). */
  steps?: number;
  /** Length T of the training chain (default 1000). */
  trainSteps?: number;
  /** beta_1 (default 1e-4). */
  betaStart?: number;
  /** beta_T (default 0.02). */
  betaEnd?: number;
}

/** abar_t = prod_{s<=t} (1 - beta_s) for the linear beta schedule, t = 1..T (index t-1). */
export function vpAlphaBars(opts: VpScheduleOptions = {}): Float64Array {
  const T = posInt('trainSteps', opts.trainSteps ?? 1000);
  const b0 = posNum('betaStart', opts.betaStart ?? 1e-4);
  const b1 = posNum('betaEnd', opts.betaEnd ?? 0.02);
  if (b0 >= 1 || b1 >= 1) throw errors.invalidArgument('betaEnd', 'betas below 1', [b0, b1]);
  const out = new Float64Array(T);
  let prod = 1;
  for (let t = 0; t < T; t++) {
    prod *= 1 - (T === 1 ? b0 : b0 + (t / (T - 1)) * (b1 - b0));
    out[t] = prod;
  }
  return out;
}

/**
 * VP (DDPM) levels as VE sigmas: sigma_t = sqrt((1 - abar_t)/abar_t) at `steps`
 * timesteps evenly spaced from T down to 1, then 0. Use with any sampler; DDIM
 * is the natural one.
 */
export function vpSigmas(opts: VpScheduleOptions = {}): Float64Array {
  const abar = vpAlphaBars(opts);
  const T = abar.length;
  const n = posInt('steps', opts.steps ?? 50);
  if (n > T) throw errors.invalidArgument('steps', `at most trainSteps (${T})`, n);
  const out = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const t = Math.round((T - 1) * (1 - (n === 1 ? 0 : i / (n - 1)))); // T-1 .. 0
    const a = abar[t]!;
    out[i] = Math.sqrt((1 - a) / a);
  }
  out[n] = 0;
  return out;
}

/** abar for a VE level: abar = 1 / (1 + sigma^2). */
export function alphaBarOfSigma(sigma: number): number {
  return 1 / (1 + sigma * sigma);
}

/** Checks a schedule: finite, non-negative, strictly decreasing, at least two levels. */
export function checkSigmas(sigmas: ArrayLike<number>, name = 'sigmas'): Float64Array {
  const s = Float64Array.from(sigmas as ArrayLike<number>);
  if (s.length < 2) throw errors.invalidArgument(name, 'at least two noise levels (e.g. [sigmaMax, 0])', sigmas);
  for (let i = 0; i < s.length; i++) {
    if (!Number.isFinite(s[i]!) || s[i]! < 0) throw errors.invalidArgument(`${name}[${i}]`, 'a finite level >= 0', s[i]);
    if (i > 0 && !(s[i]! < s[i - 1]!)) throw errors.invalidArgument(name, 'strictly decreasing levels', Array.from(s));
  }
  if (s[0] === 0) throw errors.invalidArgument(`${name}[0]`, 'a positive starting level', 0);
  return s;
}
