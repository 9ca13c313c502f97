/**
 * Any model as a live run of `engram serve`, through the model protocol only:
 * a generated initial state (seeded), `run` with snapshots on the server's
 * pausable scheduler, and states drawn as images when a layer's per-sample
 * size is a square (e.g. 784 = 28x28) or its shape is [h, w].
 */
import { disposeState, type Model, type State } from '@engram/core';
import type { LiveRun } from './session.js';
import type { PausableScheduler } from './pausable-scheduler.js';

/** Options of {@link modelLiveRun}. */
export interface ModelLiveRunOptions {
  steps?: number;
  dt?: number;
  /** Samples run (and drawn), default 4. */
  batch?: number;
  seed?: number;
  /** The model's own run options (validated by its run schema). */
  extra?: Readonly<Record<string, unknown>>;
  /** Frees the model with the run (default true). */
  disposeModel?: boolean;
}

/** Per-frame min-max scaling to [0, 1]: arbitrary models have arbitrary ranges. */
function toUnit(data: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of data) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  return data.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 0.5));
}

/** The side of a per-sample shape drawn as a square image, or undefined. */
function imageSide(shape: readonly number[]): { width: number; height: number } | undefined {
  if (shape.length === 2 && shape[0]! >= 4 && shape[1]! >= 4) return { height: shape[0]!, width: shape[1]! };
  const size = shape.reduce((a, b) => a * b, 1);
  const side = Math.sqrt(size);
  return Number.isInteger(side) && side >= 4 ? { width: side, height: side } : undefined;
}

/** A live run of `model` from a generated state. */
export function modelLiveRun(model: Model, title: string, scheduler: PausableScheduler, o: ModelLiveRunOptions = {}): LiveRun {
  const initial: State = model.initialState(o.batch ?? 4, { seed: o.seed ?? 0, std: 1 });
  const steps = model.run({
    ...(o.extra ?? {}),
    initial,
    maxSteps: o.steps ?? 600,
    ...(o.dt !== undefined ? { dt: o.dt } : {}),
    snapshot: true,
    scheduler,
  });
  return {
    title,
    steps,
    images: (states) => {
      for (const layer of model.layers) {
        const s = states[layer.name];
        if (!s) continue;
        const side = imageSide(s.shape.slice(1));
        if (side) return { data: toUnit(s.data), count: s.shape[0]!, ...side };
      }
      return null;
    },
    dispose: () => {
      disposeState(initial);
      if (o.disposeModel !== false) model.dispose();
    },
  };
}
