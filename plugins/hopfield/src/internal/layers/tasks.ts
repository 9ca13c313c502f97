/**
 * The small seeded default tasks of the hopfield-layers modules' training
 * faces (what `engram train` and `trainModel` train on when the caller brings
 * no data), each an ArrayDataset batched by core's `datasetBatches`.
 */
import * as tf from '@tensorflow/tfjs';
import { datasetBatches, trainingSettingsSchema, z, type ArrayDataset } from '@engram/core';
import { createRng } from '@engram/data';

/** Settings of every module's default training (core's, with the modules' defaults). */
export const moduleTrainingSchema = trainingSettingsSchema.extend({
  epochs: z.number().int().min(1).default(20).describe('passes over the training data'),
  batchSize: z.number().int().min(1).default(32).describe('samples per batch'),
  limit: z.number().int().min(1).default(256).describe('training samples generated'),
  lr: z.number().positive().default(0.02).describe('learning rate'),
});

/** The settings of a module's training. */
export type ModuleTraining = z.output<typeof moduleTrainingSchema>;

/** Instances per bag of the multiple-instance task. */
export const BAG_SIZE = 6;
/** Stored patterns per sample of the retrieval task. */
export const RETRIEVAL_PATTERNS = 4;
/** Held-out samples of every task's evaluation. */
export const HELD_OUT = 64;

/**
 * Multiple-instance learning (hopfield-layers' pooling use case): bags of
 * BAG_SIZE standard-normal instances of `depth` entries; half of the bags hold
 * one marker instance (first two entries 3, the rest 0). Label 1 iff marked.
 */
export function bagTask(count: number, depth: number, seed: number): ArrayDataset {
  const rng = createRng(seed);
  const data = new Float32Array(count * BAG_SIZE * depth);
  const labels = new Int32Array(count);
  for (let b = 0; b < count; b++) {
    const off = b * BAG_SIZE * depth;
    for (let i = 0; i < BAG_SIZE * depth; i++) data[off + i] = rng.normal(0, 1);
    if (b % 2 === 0) {
      labels[b] = 1;
      const slot = rng.int(BAG_SIZE);
      for (let j = 0; j < depth; j++) data[off + slot * depth + j] = j < 2 ? 3 : 0;
    }
  }
  return { count, shape: [BAG_SIZE, depth], data, labels, classes: 2 };
}

/**
 * Prototype classification (hopfield-layers' HopfieldLayer use case): `classes`
 * clusters centred at ±2 on the first axes (class c at +2 or -2 on axis
 * floor(c / 2)), noise std 0.3; one state pattern per sample [1, depth].
 */
export function prototypeTask(count: number, depth: number, classes: number, seed: number): ArrayDataset {
  const rng = createRng(seed);
  const data = new Float32Array(count * depth);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % classes;
    labels[i] = c;
    for (let j = 0; j < depth; j++) data[i * depth + j] = rng.normal(0, 0.3);
    data[i * depth + (Math.floor(c / 2) % depth)]! += c % 2 === 0 ? 2 : -2;
  }
  return { count, shape: [1, depth], data, labels, classes };
}

/**
 * Retrieval (the association's use case): per sample RETRIEVAL_PATTERNS
 * standard-normal stored patterns of `storedDepth` entries and one state
 * pattern of `stateDepth` entries, a noisy copy (std 0.3) of the first entries
 * of the stored pattern named by the label. Packed flat: stored rows, then the state.
 */
export function retrievalTask(count: number, storedDepth: number, stateDepth: number, seed: number): ArrayDataset {
  const rng = createRng(seed);
  const per = RETRIEVAL_PATTERNS * storedDepth + stateDepth;
  const data = new Float32Array(count * per);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const off = i * per;
    for (let j = 0; j < RETRIEVAL_PATTERNS * storedDepth; j++) data[off + j] = rng.normal(0, 1);
    const k = rng.int(RETRIEVAL_PATTERNS);
    labels[i] = k;
    for (let j = 0; j < stateDepth; j++) data[off + RETRIEVAL_PATTERNS * storedDepth + j] = (j < storedDepth ? data[off + k * storedDepth + j]! : 0) + rng.normal(0, 0.3);
  }
  return { count, shape: [per], data, labels, classes: RETRIEVAL_PATTERNS };
}

/** Seeded shuffled batches of a task (core's datasetBatches). */
export function taskBatches(set: ArrayDataset, s: ModuleTraining) {
  return datasetBatches(set, { batchSize: s.batchSize, seed: s.seed, limit: s.limit });
}

/** Fraction of equal entries of two int label vectors (host). */
export function accuracy(predicted: tf.Tensor, labels: Int32Array | Uint8Array): number {
  const p = predicted.dataSync();
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (p[i] === labels[i]) right++;
  return right / labels.length;
}

/** Options of {@link keyBagTask}. */
export interface KeyBagOptions {
  /** Instances per bag. */
  instances: number;
  /** Entries per instance. */
  size: number;
  /** Seed of the bags (instances, labels, where the key instance sits). */
  seed: number;
  /** Seed of the key distribution's centre: train and test sets share it. */
  keySeed: number;
  /** Std of the key instances around their centre (default 0.3). */
  keyStd?: number;
}

/**
 * Multiple-instance learning with a key distribution: every instance is
 * standard normal, except that a positive bag holds one instance drawn from
 * N(mu, keyStd^2 I) instead, mu a seeded direction of norm sqrt(size) (a key
 * instance is as long as the others, so the layer norms keep it apart only by
 * its direction). Label 1 iff the bag holds a key instance; bags alternate
 * positive, negative.
 */
export function keyBagTask(count: number, o: KeyBagOptions): ArrayDataset {
  const { instances, size } = o;
  const keyStd = o.keyStd ?? 0.3;
  const centre = new Float64Array(size);
  const keyRng = createRng(o.keySeed);
  let norm = 0;
  for (let j = 0; j < size; j++) {
    centre[j] = keyRng.normal(0, 1);
    norm += centre[j]! * centre[j]!;
  }
  for (let j = 0; j < size; j++) centre[j] = (centre[j]! / Math.sqrt(norm)) * Math.sqrt(size);
  const rng = createRng(o.seed);
  const data = new Float32Array(count * instances * size);
  const labels = new Int32Array(count);
  for (let b = 0; b < count; b++) {
    const off = b * instances * size;
    for (let i = 0; i < instances * size; i++) data[off + i] = rng.normal(0, 1);
    if (b % 2 === 0) {
      labels[b] = 1;
      const slot = off + rng.int(instances) * size;
      for (let j = 0; j < size; j++) data[slot + j] = centre[j]! + rng.normal(0, keyStd);
    }
  }
  return { count, shape: [instances, size], data, labels, classes: 2 };
}
