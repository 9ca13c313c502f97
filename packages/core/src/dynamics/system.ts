import type { State } from '../state.js';
import type { EnergyTerms } from '../energy-terms.js';

export type { EnergyTerms };

/** Where the engine is when it asks a system for an update. */
export interface StepContext {
  /** Index of the update being computed (0 for the first). */
  step: number;
  /** Time before the update. */
  t: number;
  /** Step size of this update. */
  dt: number;
}

/** Result of one update of a {@link DynamicsSystem}. */
export interface StepResult {
  /** The next state (new tensors; the engine owns and disposes them). */
  next: State;
  /** Optionally, the energy of the INPUT state, when the update computed it anyway (saves a pass). */
  energy?: EnergyTerms;
}

/**
 * Anything the dynamics engine can run: energy descent on an EnergyModel, or any
 * explicit update rule x <- f(x, t) (asymmetric sequence memory, diffusion
 * samplers), with the energy optional.
 */
export interface DynamicsSystem {
  /** Computes the update from `state`; must not dispose `state`. */
  step(state: State, ctx: StepContext): StepResult;
  /** Energy of a state; absent for systems without one. */
  energy?(state: State): EnergyTerms;
  /** Frees tensors the system holds for one run; the engine's callers (ModelBase.run) call it when the run ends. */
  dispose?(): void;
}

/** What {@link explicitRule} needs. */
export interface ExplicitRuleDefinition {
  /** x_{t+1} = f(x_t, t): returns new tensors and must not dispose its input. */
  update(state: State, ctx: StepContext): State;
  /** Optional energy reported at each step. */
  energy?(state: State): EnergyTerms;
}

/** Wraps an explicit update rule as a {@link DynamicsSystem}. */
export function explicitRule(def: ExplicitRuleDefinition): DynamicsSystem {
  const sys: DynamicsSystem = { step: (state, ctx) => ({ next: def.update(state, ctx) }) };
  if (def.energy) sys.energy = def.energy;
  return sys;
}
