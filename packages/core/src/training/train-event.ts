/** One event of a training stream. */
export interface TrainEvent {
  /** 'batch' after every optimisation step, 'epoch' after each epoch (with metrics). */
  type: 'batch' | 'epoch';
  /** Epoch index, from 0. */
  epoch: number;
  /** Total number of epochs. */
  epochs: number;
  /** Batch index within the epoch, from 0 (the number of batches on 'epoch' events). */
  batch: number;
  /** Batches per epoch when known (arrays or `batchesPerEpoch`), else null. */
  batches: number | null;
  /** The batch's loss ('batch'), or the epoch's mean loss ('epoch'). */
  loss: number;
  /** Global gradient norm before clipping ('batch' events). */
  gradNorm?: number;
  /** Metrics returned by `evaluate` ('epoch' events). */
  metrics?: Record<string, number>;
  /** Milliseconds since the stream started. */
  elapsedMs: number;
}
