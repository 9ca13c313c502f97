/**
 * Pieces shared by the binary (±1) models, classical and dense: binarising
 * states, seeded ±1 noise, checked host copies of ±1 patterns and of a run's
 * clamp mask (the host sweeps must skip held neurons).
 */
import * as tf from '@tensorflow/tfjs';
import { errors, readClamp, toTensor, type ClampInput, type State, type StateLayer, type TensorInput } from '@engram/core';

/** ±1 copy of x: entries >= 0 become +1, the others -1 (new tensor). */
export function binarize(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.mul(tf.cast(tf.greaterEqual(x, 0), 'float32'), 2), 1));
}

/** Seeded ±1 noise [batch, size], each entry +1 with probability 1/2 (new tensor). */
export function binaryNoise(batch: number, size: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => binarize(tf.sub(tf.randomUniform([batch, size], 0, 1, 'float32', seed), 0.5))) as tf.Tensor2D;
}

/** A checked host copy of patterns [rows >= 1, size] (a lone [size] vector is one row). */
export function hostPatterns(x: TensorInput, size: number, name = 'patterns'): { data: Float32Array; rows: number } {
  const t = toTensor(x, name, { shape: [null, size], batch: true, finite: true });
  try {
    const rows = t.shape[0]!;
    if (rows === 0) throw errors.invalidArgument(`${name} (shape [${t.shape.join(', ')}])`, 'at least one pattern', 0);
    return { data: Float32Array.from(t.dataSync() as Float32Array), rows };
  } finally {
    t.dispose();
  }
}

/** A checked host copy of a vector [size]. */
export function hostVector(x: TensorInput, size: number, name: string): Float32Array {
  const t = toTensor(x, name, { shape: [size], finite: true });
  const data = Float32Array.from(t.dataSync() as Float32Array);
  t.dispose();
  return data;
}

/** Throws INVALID_ARGUMENT unless every entry is +1 or -1. */
export function checkBinary(data: ArrayLike<number>, name: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== 1 && v !== -1) throw errors.invalidArgument(name, 'entries of +1 or -1 only', `an entry ${v}`);
  }
}

/** Checked host copy of ±1 patterns [rows, size]. */
export function hostBinaryPatterns(x: TensorInput, size: number, name = 'patterns'): { data: Float32Array; rows: number } {
  const m = hostPatterns(x, size, name);
  checkBinary(m.data, name);
  return m;
}

/**
 * The run's clamp mask on the host, broadcast to the state [batch, size]
 * (1 = held), or undefined without a clamp. Read the same way core reads it
 * for the engine (readClamp), so the host sweep and the engine agree.
 */
export function hostClamp(clamp: ClampInput | undefined, initial: State, layers: readonly StateLayer[]): Uint8Array | undefined {
  const masks = readClamp(clamp, initial, layers);
  if (!masks) return undefined;
  const name = layers[0]!.name;
  const x = initial[name]!;
  const m = masks[name];
  try {
    if (m === undefined) return undefined;
    if (m === true) return new Uint8Array(x.size).fill(1);
    const full = tf.tidy(() => tf.broadcastTo(m, x.shape));
    const data = full.dataSync();
    full.dispose();
    return Uint8Array.from(data, (v) => (v !== 0 ? 1 : 0));
  } finally {
    for (const v of Object.values(masks)) if (v !== true) v.dispose();
  }
}

/** A state tensor [batch, size] as a host copy the sweeps may overwrite. */
export function hostState(x: tf.Tensor): Float32Array {
  return Float32Array.from(x.dataSync() as Float32Array);
}
