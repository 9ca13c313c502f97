/**
 * Optimizer state on disk, next to a checkpoint: `<base>.optimizer.json` and
 * `<base>.optimizer.<crc>.bin`, saved atomically as a pair and read with the
 * same checks as model files.
 */
import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { ErrorCodes } from '../errors/index.js';
import { restoreOptimizerState, serializeOptimizerState, validateOptimizerStateSpec, type RestoreOptimizerStateOptions } from '../serialization/optimizer-state.js';
import { readSpecJson, readWeightsBytes } from './model-files.js';
import { fileBesideSpec, readRegularFile, removeFile, writeFileAtomic } from './safe-file.js';

/**
 * The files of an optimizer state saved at `path`: `<base>.optimizer.json`, and
 * the state's bytes as named by that spec (`<base>.optimizer.<crc>.bin` when
 * saved by {@link saveOptimizerState}; `weights` gives the stem).
 */
export function optimizerStatePaths(path: string): { spec: string; weights: string } {
  // Accept the checkpoint's base path, its model spec ('x.json') or the state spec itself.
  const base = path.endsWith('.optimizer.json') ? path.slice(0, -'.optimizer.json'.length) : path.endsWith('.json') ? path.slice(0, -'.json'.length) : path;
  return { spec: `${base}.optimizer.json`, weights: `${base}.optimizer.bin` };
}

/**
 * Saves the optimizer state next to a checkpoint: `<path>.optimizer.json` +
 * `<path>.optimizer.<crc>.bin`, atomic as a pair (as saveModel). Returns the two paths.
 */
export async function saveOptimizerState(optimizer: tf.Optimizer, path: string): Promise<{ spec: string; weights: string }> {
  const paths = optimizerStatePaths(path);
  const first = await serializeOptimizerState(optimizer);
  const file = `${basename(paths.spec, '.optimizer.json')}.optimizer.${first.spec.weights.crc32}.bin`;
  const spec = { ...first.spec, weights: { ...first.spec.weights, file } };
  let previous: string | undefined;
  try {
    const old = JSON.parse(new TextDecoder().decode(await readRegularFile(paths.spec, { maxBytes: 2 ** 26, code: ErrorCodes.INVALID_SPEC, what: 'optimizer state' }))) as { weights?: { file?: unknown } };
    previous = fileBesideSpec(paths.spec, old.weights?.file, 'weights.file');
  } catch {
    previous = undefined;
  }
  const weightsPath = join(dirname(paths.spec), file);
  await writeFileAtomic(weightsPath, first.weights);
  await writeFileAtomic(paths.spec, `${JSON.stringify(spec, null, 2)}\n`);
  if (previous && previous !== weightsPath) await removeFile(previous);
  return { spec: paths.spec, weights: weightsPath };
}

/**
 * Restores an optimizer state saved by {@link saveOptimizerState}. Returns true
 * when restored; with `optional: true` a checkpoint without a state (e.g. written
 * before states were saved) returns false and leaves the optimizer unchanged.
 * Bad files fail with coded errors naming the file.
 */
export async function loadOptimizerState(
  optimizer: tf.Optimizer,
  path: string,
  options: Omit<RestoreOptimizerStateOptions, 'source'> & { optional?: boolean } = {},
): Promise<boolean> {
  const paths = optimizerStatePaths(path);
  if (options.optional) {
    try {
      await access(paths.spec);
    } catch {
      return false;
    }
  }
  const spec = validateOptimizerStateSpec(await readSpecJson(paths.spec, 'optimizer state'), paths.spec);
  const weightsPath = fileBesideSpec(paths.spec, spec.weights.file, "the state spec's weights.file");
  const weights = await readWeightsBytes(weightsPath, paths.spec, spec.weights.byteLength);
  const restoreOpts: RestoreOptimizerStateOptions = { source: paths.spec };
  if (options.variables) restoreOpts.variables = options.variables;
  await restoreOptimizerState(optimizer, { spec, weights }, restoreOpts);
  return true;
}

