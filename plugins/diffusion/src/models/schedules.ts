/**
 * Noise schedules as decreasing noise levels sigma_0 > sigma_1 > ... > sigma_N = 0,
 * all in the variance-exploding (VE) parametrisation x_sigma = x_0 + sigma n.
 * A variance-preserving (VP) process x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) n
 * is the same process rescaled: x_t / sqrt(abar_t) has VE noise level
 * sigma_t = sqrt((1 - abar_t) / abar_t) (Karras et al. 2022, "Elucidating the
 * design space", table 1), so every sampler here works on sigma levels and the
 * DDIM sampler converts to VP coordinates itself.
 *
 * Options are checked by zod schemas (ENGRAM_ERR_INVALID_CONFIG naming the key).
 */
import { EngramError, ErrorCodes, errors, parseConfig, z } from '@engram/core';

const levels = (n: number) => z.number().int().positive().default(n).describe('noise levels above 0 (= sampler steps)');
const level = (v: number, what: string) => z.number().positive().default(v).describe(what);

/** Options of {@link edmSigmas} (defaults from Karras et al. 2022). */
export const edmScheduleSchema = z.strictObject({
  levels: levels(18),
  sigmaMin: level(0.002, 'smallest non-zero level'),
  sigmaMax: level(80, 'largest level'),
  rho: level(7, 'curvature rho: larger spends more steps at small sigma'),
});
/** Options of {@link edmSigmas}. */
export type EdmSigmaOptions = z.input<typeof edmScheduleSchema>;

/** Options of {@link geometricSigmas} (Song & Ermon's VE SDE levels). */
export const geometricScheduleSchema = z.strictObject({
  levels: levels(50),
  sigmaMin: level(0.01, 'smallest non-zero level'),
  sigmaMax: level(50, 'largest level'),
});
/** Options of {@link geometricSigmas}. */
export type GeometricSigmaOptions = z.input<typeof geometricScheduleSchema>;

/** Options of {@link vpSigmas} and {@link vpAlphaBars}: the DDPM discrete linear beta schedule (Ho et al. 2020). */
export const vpScheduleSchema = z.strictObject({
  levels: levels(50),
  trainSteps: z.number().int().positive().default(1000).describe('length T of the training chain'),
  betaStart: z.number().positive().lt(1).default(1e-4).describe('beta_1'),
  betaEnd: z.number().positive().lt(1).default(0.02).describe('beta_T'),
});
/** Options of {@link vpSigmas}. */
export type VpScheduleOptions = z.input<typeof vpScheduleSchema>;

/**
 * The EDM (VE) schedule: sigma_i = (smax^(1/rho) + i/(N-1) (smin^(1/rho) - smax^(1/rho)))^rho
 * for i = 0..N-1, then sigma_N = 0. Returns N + 1 levels.
 */
export function edmSigmas(options: EdmSigmaOptions = {}): number[] {
  const { levels: n, sigmaMin, sigmaMax, rho } = parseConfig(edmScheduleSchema, options, 'edmSigmas', 'options');
  if (sigmaMin >= sigmaMax && n > 1) throw errors.invalidArgument('sigmaMin', `a level below sigmaMax (${sigmaMax})`, sigmaMin);
  const a = sigmaMax ** (1 / rho);
  const b = sigmaMin ** (1 / rho);
  const out = Array.from({ length: n }, (_, i) => (a + (n === 1 ? 0 : i / (n - 1)) * (b - a)) ** rho);
  out.push(0);
  return out;
}

/** Geometric VE levels sigma_i = smax (smin/smax)^(i/(N-1)), then 0 (Song et al. 2021, VE SDE). */
export function geometricSigmas(options: GeometricSigmaOptions = {}): number[] {
  const { levels: n, sigmaMin, sigmaMax } = parseConfig(geometricScheduleSchema, options, 'geometricSigmas', 'options');
  const out = Array.from({ length: n }, (_, i) => sigmaMax * (sigmaMin / sigmaMax) ** (n === 1 ? 0 : i / (n - 1)));
  out.push(0);
  return out;
}

/** abar_t = prod_{s<=t} (1 - beta_s) for the linear beta schedule, t = 1..T (index t-1). */
export function vpAlphaBars(options: VpScheduleOptions = {}): number[] {
  const { trainSteps: T, betaStart: b0, betaEnd: b1 } = parseConfig(vpScheduleSchema, options, 'vpAlphaBars', 'options');
  const out: number[] = [];
  let prod = 1;
  for (let t = 0; t < T; t++) {
    prod *= 1 - (T === 1 ? b0 : b0 + (t / (T - 1)) * (b1 - b0));
    out.push(prod);
  }
  return out;
}

/**
 * VP (DDPM) levels as VE sigmas: sigma_t = sqrt((1 - abar_t)/abar_t) at `levels`
 * timesteps evenly spaced from T down to 1, then 0. Use with any sampler; DDIM
 * is the natural one.
 */
export function vpSigmas(options: VpScheduleOptions = {}): number[] {
  const { levels: n, ...chain } = parseConfig(vpScheduleSchema, options, 'vpSigmas', 'options');
  const abar = vpAlphaBars(chain);
  const T = abar.length;
  if (n > T) throw errors.invalidArgument('levels', `at most trainSteps (${T})`, n);
  const out = Array.from({ length: n }, (_, i) => {
    const a = abar[Math.round((T - 1) * (1 - (n === 1 ? 0 : i / (n - 1))))]!; // T-1 .. 0
    return Math.sqrt((1 - a) / a);
  });
  out.push(0);
  return out;
}

/** abar for a VE level: abar = 1 / (1 + sigma^2). */
export function alphaBarOfSigma(sigma: number): number {
  return 1 / (1 + sigma * sigma);
}

/** Checks a schedule: finite, non-negative, strictly decreasing, at least two levels, a positive start. */
export function checkSigmas(sigmas: ArrayLike<number>, name = 'sigmas'): number[] {
  const s = Array.from(sigmas);
  const bad = (expected: string): EngramError =>
    new EngramError(ErrorCodes.INVALID_CONFIG, `${name} must be ${expected}, got [${s.slice(0, 8).join(', ')}${s.length > 8 ? ', ...' : ''}]`, { key: name, expected, actual: s });
  if (s.length < 2) throw bad('at least two noise levels (e.g. [sigmaMax, 0])');
  if (s.some((v) => !Number.isFinite(v) || v < 0)) throw bad('finite levels >= 0');
  if (s.some((v, i) => i > 0 && !(v < s[i - 1]!))) throw bad('strictly decreasing levels');
  if (s[0] === 0) throw bad('levels starting above 0');
  return s;
}
