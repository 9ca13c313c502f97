/**
 * A run's data as samples sized to the model's first layer: Fashion-MNIST
 * (the registered data set), seeded random patterns, or an uploaded image
 * (grey levels, resized to the layer's square).
 */
import { EngramError, ErrorCodes, type Engram, type StateLayer } from '@engram/core';
import type { DataChoice } from './protocol.js';

/** Samples as one flat array, `count` rows of `size` values. */
export interface Samples {
  count: number;
  size: number;
  data: Float32Array;
}

const sizeOf = (layer: StateLayer): number => {
  if (layer.shape.some((d) => d === null)) {
    throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `layer '${layer.name}' has a size that varies per run: this kind takes no data from the playground`, { layer: layer.name });
  }
  return (layer.shape as number[]).reduce((a, b) => a * b, 1);
};

/** Nearest-neighbour resize of a grey image to side x side. */
function resize(pixels: ArrayLike<number>, width: number, height: number, side: number): Float32Array {
  const out = new Float32Array(side * side);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) out[r * side + c] = pixels[Math.floor((r * height) / side) * width + Math.floor((c * width) / side)]!;
  }
  return out;
}

/** ±1 by each row's mean: data for a layer whose states are binary. */
function binarize(samples: Samples): Samples {
  const data = new Float32Array(samples.data.length);
  for (let i = 0; i < samples.count; i++) {
    const row = samples.data.subarray(i * samples.size, (i + 1) * samples.size);
    let mean = 0;
    for (const x of row) mean += x / samples.size;
    for (let j = 0; j < samples.size; j++) data[i * samples.size + j] = row[j]! > mean ? 1 : -1;
  }
  return { ...samples, data };
}

/** True when a layer of `size` values shows as a square image (16 values or more). */
export const isImageSized = (size: number): boolean => size >= 16 && Number.isInteger(Math.sqrt(size));

/**
 * The chosen data, sized to `layer` (or a coded error saying what to change);
 * ±1 patterns for a layer whose values are binary.
 */
export async function loadSamples(engram: Engram, choice: Exclude<DataChoice, { source: 'none' }>, layer: StateLayer): Promise<Samples> {
  const samples = await loadRaw(engram, choice, layer);
  return layer.values === 'binary' ? binarize(samples) : samples;
}

async function loadRaw(engram: Engram, chosen: Exclude<DataChoice, { source: 'none' }>, layer: StateLayer): Promise<Samples> {
  const size = sizeOf(layer);
  const choice: Exclude<DataChoice, { source: 'none' } | { source: 'auto' }> =
    chosen.source !== 'auto'
      ? chosen
      : isImageSized(size)
        ? { source: 'fashion-mnist', count: chosen.count }
        : { source: 'random', kind: layer.values === 'binary' ? 'binary' : 'gaussian', count: chosen.count, seed: chosen.seed };
  if (choice.source === 'upload') {
    const side = Math.round(Math.sqrt(size));
    if (side * side !== size) {
      throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `an image needs a square first layer; '${layer.name}' has ${size} values: choose a size such as 784 (28 x 28)`, { size });
    }
    return { count: 1, size, data: resize(choice.pixels, choice.width, choice.height, side) };
  }
  if (choice.source === 'random') {
    const id = choice.kind === 'binary' ? 'data/binary-patterns' : 'data/gaussian-patterns';
    const set = await engram.dataset(id, { count: choice.count, size, seed: choice.seed });
    return { count: set.count, size, data: set.data };
  }
  const set = await engram.dataset('data/fashion-mnist', { split: 'test', limit: choice.count });
  const per = set.shape.reduce((a, b) => a * b, 1);
  if (per !== size) {
    const side = Math.round(Math.sqrt(size));
    if (side * side !== size) {
      throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `Fashion-MNIST images have ${per} values but the first layer '${layer.name}' has ${size}: set the model's size to 784 (or a square number to resize to)`, { size });
    }
    const data = new Float32Array(set.count * size);
    for (let i = 0; i < set.count; i++) data.set(resize(set.data.subarray(i * per, (i + 1) * per), 28, 28, side), i * size);
    return { count: set.count, size, data };
  }
  return { count: set.count, size, data: set.data };
}
