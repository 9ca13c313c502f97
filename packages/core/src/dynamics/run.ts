import * as tf from '@tensorflow/tfjs';
import { fusedDifferenceStats } from '../numerics/difference-stats.js';
import { Observable } from 'rxjs';
import { errors } from '../errors/index.js';
import { disposeState, snapshotState, type State } from '../state.js';
import { toTensor } from '../numerics/tensor-input.js';
import { applyClamp, disposeClamp, prepareClamp, type PreparedClamp } from './clamp.js';
import type { DynamicsOptions, SnapshotOptions } from './run-options.js';
import type { DynamicsStep } from './step-event.js';
import type { DynamicsSystem, EnergyTerms } from './system.js';

const nextMacrotask = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

function positiveInt(name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < 0) throw errors.invalidArgument(name, 'a non-negative integer', v);
  return x;
}

/** Validated numeric options with defaults. */
function readOptions(o: DynamicsOptions) {
  const dt = o.dt ?? 0.1;
  if (!Number.isFinite(dt) || dt <= 0) throw errors.invalidArgument('dt', 'a positive finite number', o.dt);
  const tolerance = o.tolerance ?? 0;
  const energyTolerance = o.energyTolerance ?? 0;
  if (!(tolerance >= 0)) throw errors.invalidArgument('tolerance', 'a number >= 0', o.tolerance);
  if (!(energyTolerance >= 0)) throw errors.invalidArgument('energyTolerance', 'a number >= 0', o.energyTolerance);
  return {
    dt,
    tolerance,
    energyTolerance,
    maxSteps: positiveInt('maxSteps', o.maxSteps, 100),
    yieldEvery: Math.max(1, positiveInt('yieldEvery', o.yieldEvery, 1)),
    every: Math.max(1, positiveInt('every', o.every, 1)),
  };
}

/** Copies the initial state, checking that it is finite. */
export function copyInitialState(initial: DynamicsOptions['initial']): State {
  if (!initial || typeof initial !== 'object' || Object.keys(initial).length === 0) {
    throw errors.invalidArgument('initial', 'an object with one tensor per layer', initial);
  }
  const state: State = {};
  try {
    for (const [name, v] of Object.entries(initial)) {
      const t = toTensor(v);
      // A caller's tensor is copied (the caller keeps it); a tensor made here from
      // an array is used directly unless it needs a cast.
      if (t === v) state[name] = t.dtype === 'float32' ? t.clone() : t.toFloat();
      else if (t.dtype === 'float32') state[name] = t;
      else {
        state[name] = t.toFloat();
        t.dispose();
      }
    }
    const finite = tf.tidy(() => tf.addN(Object.values(state).map((x) => tf.sum(tf.sub(x, x)))).dataSync()[0]);
    if (!Number.isFinite(finite)) {
      const bad = Object.entries(state).find(([, x]) => tf.tidy(() => !Number.isFinite(tf.sum(tf.sub(x, x)).dataSync()[0]!)));
      throw errors.nonFiniteInput(`initial state of layer '${bad?.[0] ?? '?'}'`);
    }
  } catch (err) {
    disposeState(state);
    throw err;
  }
  return state;
}

/** Reads energy, tree and update size of one step with a single device-to-host copy. */
function readScalars(energy: EnergyTerms | undefined, prev: State | undefined, cur: State) {
  const termNames = energy?.terms ? Object.keys(energy.terms) : [];
  const batch = energy ? energy.total.shape[0]! : 0;
  // (max |dx|, sum dx) pairs at the end of the packed read: one per layer from the fused kernel, else one.
  let pairs = prev ? Object.keys(cur).length : 1;
  const packed = tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    if (energy) {
      parts.push(energy.total);
      for (const n of termNames) parts.push(tf.sum(energy.terms![n]!).reshape([1]));
    }
    if (prev) {
      // max |dx| for the update size; sum(dx) is NaN/inf exactly when some entry is. One kernel per
      // layer where the backend has it (the layers' pairs combined on the host below).
      const keys = Object.keys(cur);
      const fused = keys.map((k) => fusedDifferenceStats(cur[k]!, prev[k]!));
      if (fused.every((f) => f !== undefined)) parts.push(...(fused as tf.Tensor1D[]));
      else {
        tf.dispose(fused.filter((f) => f !== undefined));
        const diffs = keys.map((k) => tf.sub(cur[k]!, prev[k]!).reshape([-1]));
        const all = diffs.length === 1 ? diffs[0]! : tf.concat(diffs);
        parts.push(tf.max(tf.abs(all)).reshape([1]), tf.sum(all).reshape([1]));
        pairs = 1;
      }
    } else {
      const all = tf.concat(Object.values(cur).map((x) => x.reshape([-1])));
      parts.push(tf.zeros([1]), tf.sum(tf.sub(all, all)).reshape([1]));
    }
    return tf.concat(parts);
  });
  const data = packed.dataSync() as Float32Array;
  packed.dispose();
  const energies = energy ? data.slice(0, batch) : null;
  const tree: Record<string, number> = {};
  termNames.forEach((n, i) => (tree[n] = data[batch + i]!));
  const base = energy ? batch + termNames.length : 0;
  let total: number | null = null;
  if (energies) {
    total = 0;
    for (const e of energies) total += e;
  }
  let delta = 0;
  let check = 0;
  for (let p = 0; p < pairs; p++) {
    const m = data[base + 2 * p]!;
    // NaN wins (Math.max keeps it), as the composed max does.
    delta = Math.max(delta, m);
    check += data[base + 2 * p + 1]!;
  }
  return { energies, total, tree, delta, check };
}

/**
 * Runs a {@link DynamicsSystem} as a cold Observable of {@link DynamicsStep}s.
 * Subscribing starts the run; unsubscribing stops it at once and frees every
 * tensor it made. The loop yields to the event loop between steps (every
 * `yieldEvery`), so take, sample, throttleTime, share and takeUntil behave as usual.
 * A non-finite energy or state ends the stream with an ENGRAM_ERR_DIVERGED error.
 */
export function runDynamics(system: DynamicsSystem, options: DynamicsOptions): Observable<DynamicsStep> {
  return new Observable<DynamicsStep>((subscriber) => {
    let state: State | undefined;
    let prevState: State | undefined;
    let clamp: PreparedClamp | undefined;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      disposeState(state);
      disposeState(prevState);
      disposeClamp(clamp);
      state = undefined;
      prevState = undefined;
      clamp = undefined;
    };
    const pause = options.scheduler
      ? (): Promise<void> => new Promise((resolve) => options.scheduler!.schedule(() => resolve()))
      : nextMacrotask;

    // Copy the inputs at subscribe time, so the caller may dispose its tensors right
    // after subscribing; bad options are an error notification.
    let o: ReturnType<typeof readOptions>;
    try {
      o = readOptions(options);
      state = copyInitialState(options.initial);
      clamp = prepareClamp(options.clamp, state);
    } catch (err) {
      release();
      subscriber.error(err);
      return undefined;
    }
    const loop = async (): Promise<void> => {
      // Start on a microtask so that every subscriber of a shared run, subscribed in
      // the same tick, sees the initial step.
      await Promise.resolve();
      if (subscriber.closed || !state) return;
      const snap = options.snapshot;
      const snapSpec = snap === true ? {} : Array.isArray(snap) ? { layers: snap as readonly string[] } : snap && typeof snap === 'object' ? (snap as SnapshotOptions) : undefined;
      const snapLayers = snapSpec === undefined ? undefined : snapSpec.layers ? new Set(snapSpec.layers) : null;
      const snapEvery = Math.max(1, snapSpec?.every ?? 1);
      let t = 0;
      let prevEnergy: number | null = null;
      for (let k = 0; ; k++) {
        const last = k >= o.maxSteps;
        const result = last ? undefined : system.step(state, { step: k, t, dt: o.dt });
        const energy = result?.energy ?? system.energy?.(state);
        const scalars = readScalars(energy, prevState, state);
        if (energy) {
          energy.total.dispose();
          for (const e of Object.values(energy.terms ?? {})) e.dispose();
        }
        disposeState(prevState);
        prevState = undefined;
        if (!Number.isFinite(scalars.check) || !Number.isFinite(scalars.delta)) {
          disposeState(result?.next);
          throw errors.diverged(k, 'the state');
        }
        if (scalars.total !== null && !Number.isFinite(scalars.total)) {
          disposeState(result?.next);
          throw errors.diverged(k, 'the energy');
        }
        const converged =
          k > 0 &&
          ((o.tolerance > 0 && scalars.delta < o.tolerance) ||
            (o.energyTolerance > 0 && prevEnergy !== null && scalars.total !== null && Math.abs(scalars.total - prevEnergy) < o.energyTolerance));
        const done = last || converged;
        const emit = k % o.every === 0 || done;
        let event: DynamicsStep | undefined;
        if (emit) {
          event = {
            step: k,
            t,
            energy: scalars.total,
            energies: scalars.energies,
            energyTree: scalars.tree,
            delta: k === 0 ? 0 : scalars.delta,
            converged,
            done,
          };
          if (snapLayers !== undefined && (k % snapEvery === 0 || done)) {
            const picked: State = {};
            for (const [n, x] of Object.entries(state)) if (snapLayers === null || snapLayers.has(n)) picked[n] = x;
            event.states = snapshotState(picked);
          }
        }
        if (done) disposeState(result?.next);
        else {
          const next = applyClamp(result!.next, clamp);
          for (const n of Object.keys(next)) if (next[n] !== result!.next[n]) result!.next[n]!.dispose();
          prevState = state;
          state = next;
          t += o.dt;
        }
        prevEnergy = scalars.total;
        if (event) {
          subscriber.next(event);
          if (subscriber.closed) return; // the teardown has released every tensor
        }
        if (done) break;
        // The previous state is only needed for the update size; keep it across the pause.
        if ((k + 1) % o.yieldEvery === 0) {
          await pause();
          if (subscriber.closed) return;
        }
      }
      if (options.onFinal && state) {
        const final = state;
        state = undefined;
        options.onFinal(final);
      }
      release();
      subscriber.complete();
    };

    loop().catch((err: unknown) => {
      release();
      if (!subscriber.closed) subscriber.error(err);
    });
    return release;
  });
}
