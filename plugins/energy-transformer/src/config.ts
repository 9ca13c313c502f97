/**
 * Configuration of one Energy Transformer block, with the defaults of Hoover et
 * al. (NeurIPS 2023) and their released code, and its validation.
 */
import { errors, type JsonObject } from '@engram/core';

/** Which Hopfield module replaces the transformer's MLP. */
export type HopfieldKind = 'relu' | 'softmax';
/** How dE/dg is computed: the closed form (fast) or autodiff of the energy (reference). */
export type GradientMode = 'closed-form' | 'autodiff';

/** Options of an ET block; every field but `tokenDim` has a default. */
export interface EtBlockOptions {
  /** Token dimension D. */
  tokenDim: number;
  /** Number of attention heads H (default 4). */
  heads?: number;
  /** Key/query dimension per head Y (default D / H). */
  headDim?: number;
  /** Number of Hopfield memories M (default 4 D). */
  memories?: number;
  /** Hopfield module: 'relu' (E = -1/2 sum ReLU(xi.g)^2, default) or 'softmax' (E = -1/beta' sum log sum exp(beta' xi.g)). */
  hopfield?: HopfieldKind;
  /** beta' of the softmax Hopfield module (default 1). */
  hopfieldBeta?: number;
  /** Inverse temperature of attention (default 1 / sqrt(headDim)). */
  attentionBeta?: number;
  /** Exclude B = C from each token's attention sum, as in the paper (default false, as in the released code). */
  excludeDiagonal?: boolean;
  /** Number of descent steps T (default 12). */
  steps?: number;
  /** Step size alpha of x <- x - alpha dE/dg (default 0.1). */
  alpha?: number;
  /** LayerNorm epsilon (default 1e-5). */
  eps?: number;
  /** Seed of the weight initialisation (default 0). */
  seed?: number;
  /** Std of the normal init of W^K, W^Q (default 0.002, as in the released code). */
  attentionInitStd?: number;
  /** Std of the normal init of the memories xi (default 0.02, as in the released code). */
  hopfieldInitStd?: number;
  /** dE/dg by closed form (default) or by autodiff of the energy. */
  gradient?: GradientMode;
}

/** A fully resolved block configuration. */
export type EtBlockConfig = Required<EtBlockOptions>;

const KEYS = [
  'tokenDim', 'heads', 'headDim', 'memories', 'hopfield', 'hopfieldBeta', 'attentionBeta', 'excludeDiagonal',
  'steps', 'alpha', 'eps', 'seed', 'attentionInitStd', 'hopfieldInitStd', 'gradient',
] as const;

function int(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw errors.invalidArgument(`et block ${name}`, `an integer >= ${min}`, v);
  return v;
}
function pos(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw errors.invalidArgument(`et block ${name}`, 'a positive finite number', v);
  return v;
}

/** Fills defaults and validates; throws EngramError INVALID_ARGUMENT on bad values or unknown keys. */
export function resolveBlockConfig(options: EtBlockOptions | JsonObject): EtBlockConfig {
  if (!options || typeof options !== 'object') throw errors.invalidArgument('et block config', 'an object with at least tokenDim', options);
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(KEYS as readonly string[]).includes(k)) throw errors.invalidArgument(`et block config key '${k}'`, `one of ${KEYS.join(', ')}`, k);
  }
  const tokenDim = int('tokenDim', o['tokenDim'], 2);
  const heads = int('heads', o['heads'] ?? 4, 1);
  const headDim = int('headDim', o['headDim'] ?? Math.max(1, Math.floor(tokenDim / heads)), 1);
  const memories = int('memories', o['memories'] ?? 4 * tokenDim, 1);
  const hopfield = o['hopfield'] ?? 'relu';
  if (hopfield !== 'relu' && hopfield !== 'softmax') throw errors.invalidArgument('et block hopfield', "'relu' or 'softmax'", hopfield);
  const gradient = o['gradient'] ?? 'closed-form';
  if (gradient !== 'closed-form' && gradient !== 'autodiff') throw errors.invalidArgument('et block gradient', "'closed-form' or 'autodiff'", gradient);
  const excludeDiagonal = o['excludeDiagonal'] ?? false;
  if (typeof excludeDiagonal !== 'boolean') throw errors.invalidArgument('et block excludeDiagonal', 'a boolean', excludeDiagonal);
  const seed = o['seed'] ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw errors.invalidArgument('et block seed', 'an integer', seed);
  return {
    tokenDim,
    heads,
    headDim,
    memories,
    hopfield,
    hopfieldBeta: pos('hopfieldBeta', o['hopfieldBeta'] ?? 1),
    attentionBeta: pos('attentionBeta', o['attentionBeta'] ?? 1 / Math.sqrt(headDim)),
    excludeDiagonal,
    steps: int('steps', o['steps'] ?? 12, 0),
    alpha: pos('alpha', o['alpha'] ?? 0.1),
    eps: pos('eps', o['eps'] ?? 1e-5),
    seed,
    attentionInitStd: pos('attentionInitStd', o['attentionInitStd'] ?? 0.002),
    hopfieldInitStd: pos('hopfieldInitStd', o['hopfieldInitStd'] ?? 0.02),
    gradient,
  };
}

/** The config as JSON (for specs). */
export function blockConfigToJson(c: EtBlockConfig): JsonObject {
  return { ...c };
}
