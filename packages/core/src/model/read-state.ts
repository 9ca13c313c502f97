/**
 * Reading user state input against a model's layers: one tensor per layer
 * (or a single tensor for a one-layer model), a batch axis added to a lone
 * sample, shapes, batch sizes and finiteness checked. Every model's `run`,
 * `initialState` and `energy` read their input through here.
 */
import * as tf from '@tensorflow/tfjs';
import { errors } from '../errors/index.js';
import { isTensorInput, toTensor, type TensorInput } from '../numerics/tensor-input.js';
import { closestWord } from '../schema/suggest.js';
import { disposeState, type State } from '../state.js';
import type { StateLayer } from './model.js';
import type { ClampInput, StateInput } from './run-options.js';

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !isTensorInput(v);

function unknownLayer(what: string, name: string, layers: readonly StateLayer[]): Error {
  const names = layers.map((l) => l.name);
  const near = closestWord(name, names);
  return errors.invalidArgument(`${what} layer '${name}'`, `one of the model's layers (${names.join(', ')})${near ? `; did you mean '${near}'?` : ''}`, name);
}

/**
 * The layers given in `input` as checked float32 tensors [batch, ...shape]
 * (the caller owns them). Layers missing from a record are absent from the result.
 */
export function readState(input: StateInput, layers: readonly StateLayer[], what = 'initial'): State {
  if (input === undefined || input === null) throw errors.invalidArgument(what, 'a tensor or an object of tensors by layer name', input);
  let entries: [StateLayer, TensorInput][];
  if (isRecord(input)) {
    entries = Object.entries(input).map(([name, v]) => {
      const layer = layers.find((l) => l.name === name);
      if (!layer) throw unknownLayer(what, name, layers);
      return [layer, v as TensorInput];
    });
    if (entries.length === 0) throw errors.invalidArgument(what, `at least one layer (${layers.map((l) => l.name).join(', ')})`, {});
  } else {
    if (layers.length !== 1) {
      throw errors.invalidArgument(what, `an object with one tensor per layer (${layers.map((l) => l.name).join(', ')}): this model has ${layers.length} layers`, 'a single tensor');
    }
    entries = [[layers[0]!, input]];
  }
  const state: State = {};
  try {
    let batch = -1;
    for (const [layer, v] of entries) {
      const name = layers.length === 1 && !isRecord(input) ? what : `${what}.${layer.name}`;
      const x = toTensor(v, name, { shape: ['batch', ...layer.shape], batch: true, finite: true });
      state[layer.name] = x;
      if (batch >= 0 && x.shape[0] !== batch) throw errors.shapeMismatch(`${name} (batch size)`, [batch], [x.shape[0]!]);
      batch = x.shape[0]!;
    }
    if (batch === 0) throw errors.invalidArgument(`${what} batch size`, 'at least 1 sample', 0);
  } catch (err) {
    disposeState(state);
    throw err;
  }
  return state;
}

/** Batch size of a state (its first layer's leading axis). */
export function batchOf(state: State): number {
  const first = Object.values(state)[0];
  return first ? first.shape[0]! : 0;
}

/**
 * Clamp masks by layer name from user input (a single mask for a one-layer
 * model), each a float tensor broadcastable to its layer's state (caller owns them).
 * Entries must be 0 or 1.
 */
export function readClamp(clamp: ClampInput | undefined, state: State, layers: readonly StateLayer[]): Record<string, tf.Tensor | true> | undefined {
  if (clamp === undefined) return undefined;
  const given: [string, TensorInput | true][] = isRecord(clamp)
    ? Object.entries(clamp as Record<string, TensorInput | true>)
    : layers.length === 1
      ? [[layers[0]!.name, clamp as TensorInput]]
      : (() => {
          throw errors.invalidArgument('clamp', `an object with a mask per layer name (${layers.map((l) => l.name).join(', ')})`, 'a single mask');
        })();
  const out: Record<string, tf.Tensor | true> = {};
  try {
    for (const [name, m] of given) {
      if (!layers.some((l) => l.name === name)) throw unknownLayer('clamp', name, layers);
      const x = state[name];
      if (!x) throw errors.invalidArgument(`clamp of layer '${name}'`, 'a layer present in the initial state', 'absent');
      if (m === true) {
        out[name] = true;
        continue;
      }
      const what = layers.length === 1 ? 'clamp' : `clamp.${name}`;
      const mask = toTensor(m, what, { finite: true });
      out[name] = mask;
      const ok = tf.tidy(() => {
        try {
          tf.broadcastTo(mask, x.shape);
        } catch {
          return 'shape';
        }
        return tf.sum(tf.mul(mask, tf.sub(1, mask))).dataSync()[0] === 0 ? 'ok' : 'values';
      });
      if (ok === 'shape') throw errors.shapeMismatch(`${what} (must broadcast to the state)`, x.shape, mask.shape);
      if (ok === 'values') throw errors.invalidArgument(what, 'a mask of 0 (free) and 1 (held) entries', 'other values');
    }
  } catch (err) {
    for (const v of Object.values(out)) if (v !== true) v.dispose();
    throw err;
  }
  return out;
}
