/**
 * The learning-rate schedule of the authors' training loop (amc_t.py): from
 * epoch 10 on, the mean of the last 10 epoch losses (each the SUM of its batch
 * losses) is compared with the previous such mean; when it improved by less
 * than `threshold` for `patience` epochs in a row, the rate is multiplied by
 * `factor`; training stops once the rate falls below `minLr`.
 */

/** Settings of {@link PlateauSchedule}. */
export interface PlateauOptions {
  /** Epochs averaged (the authors: 10). */
  window: number;
  /** Epochs without enough improvement before a decay (the authors: 5). */
  patience: number;
  /** Improvement of the windowed mean below which an epoch counts as a plateau (the authors: 0.001). */
  threshold: number;
  /** Decay factor (the authors: 0.8). */
  factor: number;
  /** Stop below this rate (the authors: 1e-6). */
  minLr: number;
}

/** The authors' settings. */
export const AUTHORS_PLATEAU: PlateauOptions = { window: 10, patience: 5, threshold: 0.001, factor: 0.8, minLr: 1e-6 };

/** Learning-rate decay on plateaus of the epoch loss. */
export class PlateauSchedule {
  private readonly recent: number[] = [];
  private previousMean = Number.POSITIVE_INFINITY;
  private waited = 0;
  private epochs = 0;

  constructor(
    private rate: number,
    private readonly options: PlateauOptions = AUTHORS_PLATEAU,
  ) {}

  /** The current learning rate. */
  get lr(): number {
    return this.rate;
  }

  /** True once the rate fell below `minLr` (training should stop). */
  get exhausted(): boolean {
    return this.rate < this.options.minLr;
  }

  /** Records one epoch's loss (sum over its batches); returns the rate for the next epoch. */
  update(epochLoss: number): number {
    this.epochs++;
    this.recent.push(epochLoss);
    if (this.recent.length > this.options.window) this.recent.shift();
    if (this.epochs >= this.options.window) {
      const mean = this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
      if (this.previousMean - mean < this.options.threshold) {
        this.waited++;
        if (this.waited === this.options.patience) {
          this.rate *= this.options.factor;
          this.waited = 0;
        }
      } else {
        this.waited = 0;
      }
      this.previousMean = mean;
    }
    return this.rate;
  }
}
