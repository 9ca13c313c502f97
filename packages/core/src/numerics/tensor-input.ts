import * as tf from '@tensorflow/tfjs';

/** Anything engram accepts where a tensor is expected. */
export type TensorInput = tf.Tensor | tf.TensorLike;

/** A JSON value, for specs and hyper-parameters. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object, for specs and hyper-parameters. */
export type JsonObject = { [key: string]: JsonValue };

/** Converts input to a float32 tensor; a tensor input is returned as is (not copied). */
export function toTensor(x: TensorInput): tf.Tensor {
  if (x instanceof tf.Tensor) return x;
  return tf.tensor(x as tf.TensorLike, undefined, 'float32');
}
