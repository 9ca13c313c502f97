/**
 * The base of the binary (±1) models, classical and dense: one state layer
 * 'x', input binarised, generated states seeded ±1 noise, and a run that is an
 * explicit system of host sweeps (seeded asynchronous order or synchronous),
 * skipping the clamped neurons so the fields stay consistent.
 */
import * as tf from '@tensorflow/tfjs';
import {
  explicitRule,
  ModelBase,
  readState,
  runOptionsSchema,
  z,
  type DynamicsSystem,
  type EnergyTerms,
  type GenerateOptions,
  type RunOptions,
  type State,
  type StateInput,
  type StateLayer,
  type TensorInput,
} from '@engram/core';
import { binarize, binaryNoise, hostClamp, hostState } from '../internal/binary.js';
import { sweepOrder } from '../internal/seeded-order.js';
import { finalState, STATE_LAYER } from '../internal/single-layer.js';

/** How neurons update: one at a time in a seeded random order, or all at once. */
export type BinaryUpdateMode = 'async' | 'sync';

/** The binary models' own run keys. */
export interface BinaryRunKeys {
  /** 'async' (default): one step is one sweep over all neurons in a seeded random order; 'sync': all at once. */
  mode?: BinaryUpdateMode;
  /** Seed of the visiting order (default 0); the order of sweep k depends only on (seed, k). */
  seed?: number;
}

/** Options of a binary model's run. */
export type BinaryRunOptions = RunOptions & BinaryRunKeys;

/** Run options of the binary models: core's, plus the update mode and the seed of the visiting order. */
export const binaryRunSchema = runOptionsSchema.extend({
  mode: z.enum(['async', 'sync']).optional().describe("'async' (default): seeded sweeps, one neuron at a time; 'sync': every neuron at once"),
  seed: z.number().int().optional().describe('seed of the asynchronous visiting order (default 0)'),
});

/** One update of a batch of ±1 host states in place (`order` null: synchronous; clamp 1 = held). */
export type Sweep = (s: Float32Array, batch: number, order: Int32Array | null, clamp?: Uint8Array) => void;

/** Base of the binary models; `Config` is the model's parsed config. */
export abstract class BinaryModel<Config extends object> extends ModelBase<Config, BinaryRunKeys> {
  override readonly runSchema = binaryRunSchema;
  readonly layers: readonly StateLayer[];
  /** Number of neurons N. */
  readonly size: number;

  protected constructor(size: number) {
    super();
    this.size = size;
    this.layers = [{ name: STATE_LAYER, shape: [size], values: 'binary' }];
  }

  /** The energy per sample with its terms, of a state read as given (not binarised; caller owns the tensors). */
  energy(state: StateInput): EnergyTerms {
    this.assertAlive();
    this.assertReady();
    const s = readState(state, this.layers, 'state');
    try {
      return this.energyOf(s[STATE_LAYER]!);
    } finally {
      s[STATE_LAYER]!.dispose();
    }
  }

  /** Iterates until no neuron changes (or `maxSteps` sweeps, default 100) and resolves with the final states [B, N] (caller owns them). */
  async recall(cues: TensorInput, options: Omit<BinaryRunOptions, 'initial' | 'onFinal'> = {}): Promise<tf.Tensor2D> {
    return (await finalState((onFinal) => this.run({ tolerance: 0.5, ...options, initial: cues, onFinal }), STATE_LAYER)) as tf.Tensor2D;
  }

  /** The sweep over the current weights (a snapshot: a later store does not change a running stream). */
  protected abstract sweeper(): Sweep;

  /** The energy of binarised or given states [B, N]. */
  protected abstract energyOf(s: tf.Tensor): EnergyTerms;

  /** Throws when the model cannot run yet (e.g. nothing stored); default: always ready. */
  protected assertReady(): void {}

  /** Input states are binarised: entries >= 0 become +1, the others -1. */
  protected override prepareState(state: State): State {
    const x = state[STATE_LAYER]!;
    const out = { [STATE_LAYER]: binarize(x) };
    x.dispose();
    return out;
  }

  /** A generated state: seeded ±1 noise (each entry +1 with probability 1/2; `std` is ignored). */
  protected override generateState(batch: number, options: GenerateOptions): State {
    return { [STATE_LAYER]: binaryNoise(batch, this.size, options.seed ?? 0) };
  }

  protected dynamics(options: BinaryRunOptions, initial: State): DynamicsSystem {
    this.assertReady();
    const mode = options.mode ?? 'async';
    const seed = options.seed ?? 0;
    const clamp = hostClamp(options.clamp, initial, this.layers);
    const sweep = this.sweeper();
    return explicitRule({
      update: (st, ctx) => {
        const x = st[STATE_LAYER]!;
        const s = hostState(x);
        sweep(s, x.shape[0]!, mode === 'async' ? sweepOrder(this.size, seed, ctx.step) : null, clamp);
        return { [STATE_LAYER]: tf.tensor2d(s, x.shape as [number, number]) };
      },
      energy: (st) => this.energyOf(st[STATE_LAYER]!),
    });
  }
}
