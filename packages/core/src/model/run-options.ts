/**
 * The one set of run options every model takes (`model.run(options)`), and
 * its schema. Models add their own keys by extending {@link runOptionsSchema};
 * unknown keys are rejected like a config typo.
 */
import type { SchedulerLike } from 'rxjs';
import { z } from 'zod';
import type { RunSettings } from '../dynamics/run-options.js';
import type { State } from '../state.js';
import type { TensorInput } from '../numerics/tensor-input.js';

export type { RunSettings };

/**
 * A state as users give it: one tensor per layer name, or a single tensor for
 * a model with one state layer. [batch, ...shape], or [...shape] for one sample.
 */
export type StateInput = TensorInput | Readonly<Record<string, TensorInput>>;

/**
 * A clamp mask as users give it (1 = held at the initial value, 0 = free):
 * per layer name (`true` holds the whole layer), or a single mask for a
 * one-layer model. Masks broadcast against [batch, ...shape].
 */
export type ClampInput = TensorInput | Readonly<Record<string, TensorInput | true>>;

/** Options of `model.run`: where to start, what to hold, and the {@link RunSettings}. */
export interface RunOptions extends RunSettings {
  /** Initial state (copied: the caller keeps ownership). */
  initial: StateInput;
  /** Entries held at their initial values (pattern completion); 1 = held. */
  clamp?: ClampInput;
}

const tensorish = z.custom<StateInput>((v) => v !== undefined && v !== null, { message: 'expected a tensor, an array or an object of them' });

/** The schema of {@link RunOptions}; a model's own run keys extend it. */
export const runOptionsSchema = z.strictObject({
  initial: tensorish.describe('initial state: one tensor per layer name, or a single tensor for one-layer models'),
  clamp: z.custom<ClampInput>().optional().describe('clamp mask: 1 holds an entry at its initial value'),
  maxSteps: z.number().int().min(0).optional().describe('maximum number of updates (default 100)'),
  dt: z.number().positive().optional().describe('step size (default 0.1)'),
  tolerance: z.number().min(0).optional().describe('stop when max|dx| falls below this (default 0: never)'),
  energyTolerance: z.number().min(0).optional().describe('stop when the energy changes by less than this (default 0: never)'),
  every: z.number().int().min(1).optional().describe('emit every k-th step (default 1)'),
  snapshot: z
    .union([z.boolean(), z.array(z.string()), z.strictObject({ layers: z.array(z.string()).optional(), every: z.number().int().min(1).optional() })])
    .optional()
    .describe('copy states to the events: true, layer names, or { layers, every }'),
  energyTree: z.boolean().optional().describe('compute each energy term (default true)'),
  yieldEvery: z.number().int().min(1).optional().describe('yield to the event loop every k steps (default 1)'),
  scheduler: z.custom<SchedulerLike>().optional(),
  onFinal: z.custom<(state: State) => void>((v) => typeof v === 'function', { message: 'expected a function' }).optional(),
});

/** The run settings a model may give defaults for (its own `runDefaults`). */
export type RunDefaults = Pick<RunSettings, 'maxSteps' | 'dt' | 'tolerance' | 'energyTolerance'>;
