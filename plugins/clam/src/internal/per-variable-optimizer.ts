/**
 * A tf.Optimizer that gives every variable its own Adam (own learning rate,
 * own moments): what lets one trainStream train a whole grid of ClAM
 * configurations at once, each exactly as if it trained alone. A rate of 0
 * freezes a variable (its configuration has stopped).
 */
import * as tf from '@tensorflow/tfjs';

/** Adam per variable name. */
export class PerVariableAdam extends tf.Optimizer {
  private readonly adams = new Map<string, tf.AdamOptimizer>();
  private readonly rates = new Map<string, number>();

  /** `rates`: the initial learning rate of each variable, by variable name. */
  constructor(rates: ReadonlyMap<string, number>) {
    super();
    for (const [name, lr] of rates) {
      this.rates.set(name, lr);
      this.adams.set(name, tf.train.adam(lr));
    }
  }

  static get className(): string {
    return 'PerVariableAdam';
  }

  /** Sets one variable's learning rate (0 freezes it). */
  setRate(name: string, lr: number): void {
    this.rates.set(name, lr);
    (this.adams.get(name) as unknown as { learningRate: number }).learningRate = lr;
  }

  override applyGradients(grads: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const entries = Array.isArray(grads) ? grads.map((g) => [g.name, g.tensor] as const) : Object.entries(grads);
    for (const [name, g] of entries) {
      if (this.rates.get(name) === 0) continue;
      const adam = this.adams.get(name);
      if (!adam) throw new Error(`PerVariableAdam has no rate for variable '${name}'`);
      adam.applyGradients([{ name, tensor: g }]);
    }
  }

  override dispose(): void {
    for (const a of this.adams.values()) a.dispose();
    this.adams.clear();
    super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { rates: Object.fromEntries(this.rates) };
  }
}
