/**
 * Models on disk: `<name>.json` (spec + manifest) and `<name>.<crc>.weights.bin`
 * (float32 weights). Saving writes the weights under a new name first, then
 * replaces the spec atomically, then removes the old weights: after a crash at
 * any point the previous pair (or the new one) loads. Loading checks the path
 * named by the spec (inside the spec's folder, a regular file), the sizes
 * against the file and a limit before reading, and the CRC-32 before anything
 * is built.
 */
import { basename, dirname, join } from 'node:path';
import { EngramError, ErrorCodes } from '../errors/index.js';
import type { Model } from '../model/model.js';
import type { Engram } from '../plugins/engram.js';
import { fileBesideSpec, readRegularFile, removeFile, writeFileAtomic } from './safe-file.js';
import { deserializeModel, serializeModel, validateSpec, type SpecCheckOptions } from '../serialization/serialize.js';

/** Largest spec file read (a spec is JSON of hyper-parameters and a manifest). */
const MAX_SPEC_BYTES = 64 * 2 ** 20;

function specPathOf(path: string): string {
  if (typeof path !== 'string' || path.length === 0) {
    throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `the model path must be a non-empty string, got ${JSON.stringify(path) ?? String(path)}`, { path });
  }
  return path.endsWith('.json') ? path : `${path}.json`;
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions extends SpecCheckOptions {
  /** Largest weights file accepted, in bytes (default 2 GiB); checked before the file is read. */
  maxBytes?: number;
}

/**
 * Saves a model as `<path>.json` (spec + manifest) and `<path>.<crc32>.weights.bin`.
 * Atomic as a pair: a crash during the save leaves the previous model loadable.
 * Returns the two paths.
 */
export async function saveModel(model: Model, path: string, opts: { engram?: Engram } = {}): Promise<{ spec: string; weights: string }> {
  const specPath = specPathOf(path);
  const base = basename(specPath, '.json');
  const first = serializeModel(model, opts.engram ? { engram: opts.engram } : {});
  const weightsFile = `${base}.${first.spec.weights.crc32}.weights.bin`;
  const spec = { ...first.spec, weights: { ...first.spec.weights, file: weightsFile } };
  const previous = await previousWeights(specPath);
  const weightsPath = join(dirname(specPath), weightsFile);
  await writeFileAtomic(weightsPath, first.weights);
  await writeFileAtomic(specPath, `${JSON.stringify(spec, null, 2)}\n`);
  if (previous && previous !== weightsPath) await removeFile(previous);
  return { spec: specPath, weights: weightsPath };
}

/** The weights file the spec at `specPath` names now, if there is a readable one. */
async function previousWeights(specPath: string): Promise<string | undefined> {
  try {
    const spec = JSON.parse(new TextDecoder().decode(await readRegularFile(specPath, { maxBytes: MAX_SPEC_BYTES, code: ErrorCodes.INVALID_SPEC, what: 'model spec' }))) as {
      weights?: { file?: unknown };
    };
    return fileBesideSpec(specPath, spec.weights?.file, "the previous spec's weights.file");
  } catch {
    return undefined;
  }
}

/**
 * Loads a model saved by {@link saveModel}. A missing or malformed spec, a
 * weights path outside the spec's folder or not a regular file, a kind whose
 * plugin is not loaded, and a truncated, oversized, corrupt or mismatched
 * weights file each fail with a coded error naming the file; nothing is
 * half-loaded.
 */
export async function loadModel<M extends Model = Model>(engram: Engram, path: string, options: LoadModelOptions = {}): Promise<M> {
  const specPath = specPathOf(path);
  const valid = validateSpec(await readSpecJson(specPath, 'model spec'), specPath, options);
  const weightsPath = fileBesideSpec(specPath, valid.weights.file, "the spec's weights.file");
  const limit = options.maxBytes ?? 2 ** 31;
  if (valid.weights.byteLength > limit) {
    throw new EngramError(ErrorCodes.CORRUPT_WEIGHTS, `${specPath}: the spec declares ${valid.weights.byteLength} bytes of weights, more than the limit of ${limit}: raise { maxBytes } if the model is really that large`, {
      source: specPath,
      expected: limit,
      actual: valid.weights.byteLength,
    });
  }
  const weights = await readWeightsBytes(weightsPath, specPath, valid.weights.byteLength);
  return deserializeModel<M>(engram, { spec: valid, weights }, { ...options, source: specPath });
}

/**
 * Reads and parses a JSON spec (a regular file of at most 64 MiB); an unreadable
 * file or invalid JSON is an ENGRAM_ERR_INVALID_SPEC naming the file.
 */
export async function readSpecJson(specPath: string, what: string): Promise<unknown> {
  const bytes = await readRegularFile(specPath, { maxBytes: MAX_SPEC_BYTES, code: ErrorCodes.INVALID_SPEC, what, remedy: 'check the path' });
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch (err) {
    throw new EngramError(ErrorCodes.INVALID_SPEC, `${specPath}: not valid JSON (${(err as Error).message})`, { source: specPath }, { cause: err });
  }
}

/**
 * Reads the binary half named by a spec (a regular file of at most `maxBytes`,
 * the size the spec declares); a missing or irregular file is an ENGRAM_ERR_CORRUPT_WEIGHTS.
 */
export async function readWeightsBytes(weightsPath: string, specPath: string, maxBytes: number): Promise<Uint8Array> {
  try {
    return await readRegularFile(weightsPath, { maxBytes, code: ErrorCodes.CORRUPT_WEIGHTS, what: `weights file named by ${specPath}`, remedy: 'keep both files together and save the model again' });
  } catch (err) {
    if (err instanceof EngramError && /more than the limit/.test(err.message)) {
      throw new EngramError(ErrorCodes.CORRUPT_WEIGHTS, `${weightsPath}: the weights file is larger than the ${maxBytes} bytes the spec expects (padded or from another save): save the model again`, {
        source: weightsPath,
        expected: maxBytes,
      });
    }
    throw err;
  }
}
