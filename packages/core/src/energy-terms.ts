import type * as tf from '@tensorflow/tfjs';

/** Energy of a state per sample, with its named terms (the energy tree). */
export interface EnergyTerms {
  /** Total energy per sample: [batch]. */
  total: tf.Tensor1D;
  /** Each term per sample, by name (layer and synapse names for an energy graph). */
  terms?: Record<string, tf.Tensor1D>;
}

/** Disposes an energy and its terms. */
export function disposeEnergy(energy: EnergyTerms | undefined): void {
  if (!energy) return;
  energy.total.dispose();
  for (const e of Object.values(energy.terms ?? {})) e.dispose();
}
