import type { JsonObject } from '../numerics/tensor-input.js';

/** Format tag of an engram model spec. */
export const SPEC_FORMAT = 'engram-model';
/** Current spec format version. */
export const SPEC_FORMAT_VERSION = 1;

/** One tensor in the weights file. */
export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  /** Byte offset in the weights file. */
  offset: number;
  byteLength: number;
}

/** The JSON half of a saved model: what to build and where each weight is. */
export interface ModelSpec {
  format: typeof SPEC_FORMAT;
  formatVersion: number;
  /** Registered model id, e.g. 'hopfield/modern'. */
  kind: string;
  /** Plugin that supplied the kind, and its version at save time. */
  plugin: { name: string; version: string | null };
  /** The model's config (its factory's input). */
  config: JsonObject;
  weights: {
    /** File name of the binary weights, relative to the spec. */
    file: string;
    byteLength: number;
    crc32: string;
    entries: WeightEntry[];
  };
}

/** A model in memory: its spec and its weight bytes. */
export interface ModelArtifacts {
  spec: ModelSpec;
  weights: Uint8Array;
}
