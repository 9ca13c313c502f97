/**
 * The settings the hopfield-layers modules share. Names are ml-jku/hopfield-layers'
 * own documented names (inputSize for input_size, hiddenSize, scaling for beta,
 * updateStepsMax, ...), so that their documentation applies; defaults follow it:
 * one head, hidden (per-head) size inputSize / heads, beta = 1/sqrt(hiddenSize),
 * no extra update steps (eps 1e-4), affine layer norms on the inputs.
 */
import { EngramError, ErrorCodes, z } from '@engram/core';

const size = (what: string) => z.number().int().positive().optional().describe(what);
const flag = (what: string, dflt: boolean) => z.boolean().default(dflt).describe(what);

/** Keys every module takes. */
export const moduleShape = {
  inputSize: z.number().int().positive().describe('depth of the state patterns (hopfield-layers input_size)'),
  hiddenSize: size('depth of the association space per head (default inputSize / heads)'),
  outputSize: size('depth of the output (default inputSize)'),
  patternSize: size('depth of the projected patterns per head (default hiddenSize)'),
  storedPatternSize: size('depth of the stored patterns (default inputSize)'),
  patternProjectionSize: size('depth of the pattern projections (default storedPatternSize)'),
  heads: z.number().int().positive().default(1).describe('number of heads'),
  scaling: z.number().positive().optional().describe('beta, the inverse temperature (default 1/sqrt(hiddenSize))'),
  updateStepsMax: z.number().int().min(0).default(0).describe('state updates before the read-out (and the default maxSteps of run)'),
  updateStepsEps: z.number().positive().default(1e-4).describe('stop the updates when max |change| < this (the default tolerance of run)'),
  normalizeStoredPattern: flag('affine layer norm on the stored patterns', true),
  normalizeStatePattern: flag('affine layer norm on the state patterns', true),
  normalizePatternProjection: flag('affine layer norm on the pattern projections', true),
  disableOutProjection: flag('skip the output projection (output depth heads * patternSize)', false),
  seed: z.number().int().default(0).describe('seed of the initial parameters'),
};

/** The shared keys with every default resolved. */
export type ModuleSettings = {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
  patternSize: number;
  storedPatternSize: number;
  patternProjectionSize: number;
  heads: number;
  scaling: number;
  updateStepsMax: number;
  updateStepsEps: number;
  normalizeStoredPattern: boolean;
  normalizeStatePattern: boolean;
  normalizePatternProjection: boolean;
  disableOutProjection: boolean;
  seed: number;
};

const shared = z.strictObject(moduleShape);
type Parsed = z.output<typeof shared>;

/** Fills in the derived defaults (hidden size from heads, beta from the hidden size, ...). */
export function resolveModule(kind: string, c: Parsed): ModuleSettings {
  const hiddenSize = c.hiddenSize ?? Math.floor(c.inputSize / c.heads);
  if (hiddenSize < 1) {
    throw new EngramError(ErrorCodes.INVALID_CONFIG, `config key 'heads' of ${kind} must be at most inputSize (${c.inputSize}) unless hiddenSize is given, got ${c.heads}`, {
      owner: kind,
      key: 'heads',
    });
  }
  const storedPatternSize = c.storedPatternSize ?? c.inputSize;
  return {
    inputSize: c.inputSize,
    hiddenSize,
    outputSize: c.outputSize ?? c.inputSize,
    patternSize: c.patternSize ?? hiddenSize,
    storedPatternSize,
    patternProjectionSize: c.patternProjectionSize ?? storedPatternSize,
    heads: c.heads,
    scaling: c.scaling ?? 1 / Math.sqrt(hiddenSize),
    updateStepsMax: c.updateStepsMax,
    updateStepsEps: c.updateStepsEps,
    normalizeStoredPattern: c.normalizeStoredPattern,
    normalizeStatePattern: c.normalizeStatePattern,
    normalizePatternProjection: c.normalizePatternProjection,
    disableOutProjection: c.disableOutProjection,
    seed: c.seed,
  };
}
