/** One event of a dynamics stream: the state after `step` updates. */
export interface DynamicsStep {
  /** Number of updates applied so far (0 is the initial state). */
  step: number;
  /** Integration time reached (sum of the step sizes). */
  t: number;
  /** Total energy summed over the batch; null when the system has no energy. */
  energy: number | null;
  /** Energy per sample; null when the system has no energy. */
  energies: Float32Array | null;
  /** Each energy term summed over the batch, by name (layers and synapses); empty when not computed. */
  energyTree: Record<string, number>;
  /** Size of the last update: max |x_step - x_(step-1)| over all layers (0 at step 0). */
  delta: number;
  /** True when the stopping tolerance was met at this step (the stream then completes). */
  converged: boolean;
  /** True on the stream's last event (converged or out of steps). */
  done: boolean;
  /** States as plain arrays, only when requested with `snapshot` (a device-to-host copy). */
  states?: Record<string, { shape: number[]; data: Float32Array }>;
}
