import * as tf from '@tensorflow/tfjs';
import { errors } from '../errors/index.js';
import type { State } from '../state.js';
import { applyClamp, disposeClamp, prepareClamp, type ClampSpec } from './clamp.js';
import type { DynamicsSystem } from './system.js';

/** Options of {@link integrate}. */
export interface IntegrateOptions {
  /** Number of updates. */
  steps: number;
  /** Step size (default 0.1). */
  dt?: number;
  /** Entries held at their initial values. */
  clamp?: ClampSpec;
}

/**
 * Applies `steps` updates of a system synchronously and returns the final state
 * (new tensors owned by the caller; `initial` is not disposed). Differentiable:
 * call it inside tf.grads / optimizer.minimize to train through the unrolled
 * dynamics (this needs the second-order gradient fixes that initBackend installs).
 */
export function integrate(system: DynamicsSystem, initial: State, options: IntegrateOptions): State {
  const steps = options.steps;
  if (!Number.isInteger(steps) || steps < 0) throw errors.invalidArgument('steps', 'a non-negative integer', steps);
  const dt = options.dt ?? 0.1;
  if (!Number.isFinite(dt) || dt <= 0) throw errors.invalidArgument('dt', 'a positive finite number', options.dt);
  const clamp = prepareClamp(options.clamp, initial);
  try {
    let state: State = {};
    for (const [k, v] of Object.entries(initial)) state[k] = v.clone();
    let t = 0;
    for (let i = 0; i < steps; i++) {
      const prev = state;
      state = tf.tidy(() => {
        const { next, energy } = system.step(prev, { step: i, t, dt });
        if (energy) {
          energy.total.dispose();
          for (const e of Object.values(energy.terms ?? {})) e.dispose();
        }
        return applyClamp(next, clamp);
      });
      for (const x of Object.values(prev)) x.dispose();
      t += dt;
    }
    return state;
  } finally {
    disposeClamp(clamp);
  }
}
