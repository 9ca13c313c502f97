/**
 * A temporary limit on the bytes tensors may allocate, so that loading a model
 * from a spec fails BEFORE a hostile config (`memories: 1e8`) allocates
 * gigabytes: the backend's allocation entry point (wasm `move`, which mallocs;
 * cpu `write`) is wrapped for the duration of one call and counts gross bytes.
 */
import * as tf from '@tensorflow/tfjs';
import { EngramError, ErrorCodes } from '../errors/index.js';

type Allocating = { move?: (...a: unknown[]) => unknown; write?: (...a: unknown[]) => unknown };

const bytesOf = (shape: unknown, dtype: unknown): number => {
  const size = Array.isArray(shape) ? shape.reduce((a: number, b: number) => a * b, 1) : 0;
  return size * (dtype === 'string' ? 0 : dtype === 'bool' ? 1 : 4);
};

/**
 * Runs `fn` with tensor allocations limited to `maxBytes` in total (gross,
 * counting temporaries). Going over throws ENGRAM_ERR_INVALID_SPEC naming
 * `what` before the offending allocation is made. Other tfjs work running
 * concurrently in the same window counts too.
 */
export async function withAllocationLimit<T>(maxBytes: number, what: string, fn: () => Promise<T>): Promise<T> {
  const backend = tf.engine().backend as unknown as Allocating;
  const method = typeof backend.move === 'function' ? 'move' : 'write';
  const original = backend[method];
  if (typeof original !== 'function') return fn();
  let used = 0;
  const guarded = function (this: unknown, ...args: unknown[]): unknown {
    // move(dataId, values, shape, dtype, refCount) / write(values, shape, dtype)
    const [shape, dtype] = method === 'move' ? [args[2], args[3]] : [args[1], args[2]];
    used += bytesOf(shape, dtype);
    if (used > maxBytes) {
      throw new EngramError(
        ErrorCodes.INVALID_SPEC,
        `${what}: building the model would allocate more than ${maxBytes} bytes, more than its weights file accounts for: the config is inconsistent with the weights (raise the limit with { maxBytes } if it is not)`,
        { what, maxBytes },
      );
    }
    return original.apply(this, args);
  };
  backend[method] = guarded;
  try {
    return await fn();
  } finally {
    if (backend[method] === guarded) backend[method] = original;
  }
}
