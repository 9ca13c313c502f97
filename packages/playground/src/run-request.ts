/**
 * One playground run, through the model protocol only: build the model from
 * the request's kind and config, fill its memory from the data when it has a
 * memory face, make the cue (clean, noisy, or with the bottom half hidden and
 * the top half clamped), and stream `run` as RunEvents — the same code in the
 * page and on the Node side of `engram serve`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Subscription } from 'rxjs';
import { deserializeModel, disposeState, PausableScheduler, type DynamicsStep, type Engram, type Model, type ModelSpec, type State } from '@engram/core';
import { fromBase64 } from './model-files.js';
import type { RunEvent, RunHandle, RunRequest, StateImages } from './protocol.js';
import { loadSamples } from './samples.js';

/** Per-frame min-max scaling to [0, 1]: arbitrary models have arbitrary ranges. */
function toUnit(data: Float32Array): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of data) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return Array.from(data, (x) => (hi > lo ? (x - lo) / (hi - lo) : 0.5));
}

/** The states of the layers that look like images (square sizes of 16+ or [h, w]), first 8 samples. */
export function stateImages(states: NonNullable<DynamicsStep['states']>, model: Model): StateImages[] {
  const out: StateImages[] = [];
  for (const layer of model.layers) {
    const s = states[layer.name];
    if (!s) continue;
    const shape = s.shape.slice(1);
    const size = shape.reduce((a, b) => a * b, 1);
    const side = Math.sqrt(size);
    const [height, width] = shape.length === 2 && shape[0]! >= 4 && shape[1]! >= 4 ? [shape[0]!, shape[1]!] : Number.isInteger(side) && side >= 4 ? [side, side] : [0, 0];
    if (!width) continue;
    const count = Math.min(8, s.shape[0]!);
    out.push({ layer: layer.name, width, height, count, pixels: toUnit(s.data.subarray(0, count * size)) });
  }
  return out;
}

/** The run's start: initial state and clamp (tensors the run owns), from the request's data and cue. */
async function makeStart(engram: Engram, model: Model, r: RunRequest): Promise<{ initial: State; clamp?: Record<string, tf.Tensor> }> {
  const first = model.layers[0]!;
  if (r.data.source === 'none') return { initial: model.initialState(r.batch, { seed: r.seed, std: 1 }) };
  const samples = await loadSamples(engram, r.data, first);
  const shape = first.shape as number[];
  if (r.cue.store && typeof model.store === 'function') {
    // store copies what it keeps (its input stays the caller's).
    const patterns = tf.tensor(samples.data, [samples.count, ...shape]);
    try {
      model.store(patterns);
    } finally {
      patterns.dispose();
    }
  }
  const batch = Math.min(r.batch, samples.count);
  const rows = samples.data.slice(0, batch * samples.size);
  const keep = Math.round(samples.size / 2);
  return tf.tidy(() => {
    let x = tf.tensor(rows, [batch, samples.size]);
    let clamp: tf.Tensor | undefined;
    if (r.cue.cue === 'noisy') x = tf.add(x, tf.randomNormal(x.shape, 0, r.cue.noise, 'float32', r.seed + 1));
    if (r.cue.cue === 'bottom-half') {
      const visible = tf.concat([tf.ones([keep]), tf.zeros([samples.size - keep])]);
      // The hidden half: the data's mean for real values, random ±1 for binary ones.
      const fill = first.values === 'binary' ? tf.sign(tf.randomUniform(x.shape, -1, 1, 'float32', r.seed + 2)) : tf.mean(x);
      x = tf.add(tf.mul(x, visible), tf.mul(tf.sub(1, visible), fill));
      clamp = tf.keep(visible.reshape([1, ...shape]));
    }
    if (first.values === 'binary') x = tf.where(tf.greaterEqual(x, 0), tf.onesLike(x), tf.onesLike(x).neg());
    // initialState reads (copies) its input: the tidy frees x either way.
    const initial = model.initialState({ [first.name]: x.reshape([batch, ...shape]) });
    for (const t of Object.values(initial)) tf.keep(t);
    return clamp ? { initial, clamp: { [first.name]: clamp } } : { initial };
  });
}

/**
 * Starts the request's run; events go to `listener`. Errors at any point
 * (config, data, run) arrive as a 'status: error' event with the message.
 */
export async function startRun(engram: Engram, r: RunRequest, listener: (e: RunEvent) => void, o: { stepDelayMs?: number; imageIntervalMs?: number } = {}): Promise<RunHandle> {
  const scheduler = new PausableScheduler(o.stepDelayMs ?? 0);
  let model: Model | undefined;
  let start: { initial: State; clamp?: Record<string, tf.Tensor> } | undefined;
  let sub: Subscription | undefined;
  let finished = false;
  const release = (): void => {
    if (finished) return;
    finished = true;
    sub?.unsubscribe();
    scheduler.resume();
    if (start) {
      disposeState(start.initial);
      if (start.clamp) disposeState(start.clamp);
    }
    model?.dispose();
  };
  const fail = (err: unknown): void => {
    release();
    listener({ type: 'status', status: 'error', message: err instanceof Error ? err.message : String(err) });
  };
  try {
    model = r.model ? await deserializeModel(engram, { spec: r.model.spec as unknown as ModelSpec, weights: fromBase64(r.model.weights) }, { source: 'the loaded model' }) : await engram.createModel(r.kind, r.config);
    start = await makeStart(engram, model, r);
  } catch (err) {
    fail(err);
    return { pause: () => {}, resume: () => {}, cancel: () => {} };
  }
  const m = model;
  listener({ type: 'start', title: `${r.kind} (${m.layers.map((l) => `${l.name} [${l.shape.join(', ')}]`).join(', ')})`, layers: m.layers.map((l) => ({ name: l.name, shape: [...l.shape] })) });
  listener({ type: 'status', status: 'running' });
  let lastImages = 0;
  sub = m
    .run({
      ...r.extra,
      initial: start.initial,
      ...(start.clamp ? { clamp: start.clamp } : {}),
      maxSteps: r.maxSteps,
      ...(r.dt !== undefined ? { dt: r.dt } : {}),
      ...(r.tolerance !== undefined ? { tolerance: r.tolerance } : {}),
      snapshot: true,
      scheduler,
    })
    .subscribe({
      next: (s) => {
        const now = Date.now();
        const ev: RunEvent = { type: 'step', step: s.step, t: s.t, energy: s.energy, delta: s.delta, converged: s.converged, done: s.done, energyTree: s.energyTree };
        if (s.states && (s.done || s.step === 0 || now - lastImages >= (o.imageIntervalMs ?? 120))) {
          ev.images = stateImages(s.states, m);
          lastImages = now;
        }
        listener(ev);
      },
      error: fail,
      complete: () => {
        release();
        listener({ type: 'status', status: 'done' });
      },
    });
  return {
    pause: () => {
      if (finished) return;
      scheduler.pause();
      listener({ type: 'status', status: 'paused' });
    },
    resume: () => {
      if (finished) return;
      scheduler.resume();
      listener({ type: 'status', status: 'running' });
    },
    cancel: () => {
      if (finished) return;
      release();
      listener({ type: 'status', status: 'cancelled' });
    },
  };
}
