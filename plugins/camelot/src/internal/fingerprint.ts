/** A bit-exact fingerprint of tensors' values: to prove a frozen model's weights did not change. */
import type * as tf from '@tensorflow/tfjs';
import { crc32 } from '@engram/core';

/** CRC-32 of every variable's float32 bytes, by sorted name, joined. */
export function weightsFingerprint(variables: Record<string, tf.Variable>): string {
  return Object.keys(variables)
    .sort()
    .map((name) => {
      const data = variables[name]!.dataSync() as Float32Array;
      return `${name}:${crc32(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))}`;
    })
    .join(',');
}
