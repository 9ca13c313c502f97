import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { EngramError, ErrorCodes } from '../errors/index.js';
import type { Model } from '../model/model.js';
import type { Engram } from '../plugins/engram.js';
import { deserializeModel, serializeModel, validateSpec } from './serialize.js';

function specPathOf(path: string): string {
  return path.endsWith('.json') ? path : `${path}.json`;
}

/**
 * Saves a model as `<path>.json` (spec + manifest) and `<path>.weights.bin`
 * (float32 weights). Returns the two paths.
 */
export async function saveModel(model: Model, path: string, opts: { engram?: Engram } = {}): Promise<{ spec: string; weights: string }> {
  const specPath = specPathOf(path);
  const weightsFile = `${basename(specPath, '.json')}.weights.bin`;
  const serializeOpts: { engram?: Engram; weightsFile: string } = { weightsFile };
  if (opts.engram) serializeOpts.engram = opts.engram;
  const { spec, weights } = serializeModel(model, serializeOpts);
  await mkdir(dirname(specPath), { recursive: true });
  const weightsPath = join(dirname(specPath), weightsFile);
  await writeFile(weightsPath, weights);
  await writeFile(specPath, `${JSON.stringify(spec, null, 2)}\n`);
  return { spec: specPath, weights: weightsPath };
}

/**
 * Loads a model saved by {@link saveModel}. A missing or malformed spec, a kind
 * whose plugin is not loaded, and a truncated, corrupt or mismatched weights file
 * each fail with a coded error naming the file; nothing is half-loaded.
 */
export async function loadModel<M extends Model = Model>(engram: Engram, path: string): Promise<M> {
  const specPath = specPathOf(path);
  const valid = validateSpec(await readSpecJson(specPath, 'model spec'), specPath);
  const weightsPath = join(dirname(specPath), valid.weights.file || `${basename(specPath, '.json')}.weights.bin`);
  const weights = await readWeightsBytes(weightsPath, specPath);
  return deserializeModel<M>(engram, { spec: valid, weights }, specPath);
}

/**
 * Reads and parses a JSON spec; an unreadable file or invalid JSON is an
 * ENGRAM_ERR_INVALID_SPEC naming the file (`what` says which kind of spec).
 */
export async function readSpecJson(specPath: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(specPath, 'utf8');
  } catch (err) {
    throw new EngramError(ErrorCodes.INVALID_SPEC, `${specPath}: cannot read the ${what} (${(err as NodeJS.ErrnoException).code ?? 'error'}): check the path`, { source: specPath }, { cause: err });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new EngramError(ErrorCodes.INVALID_SPEC, `${specPath}: not valid JSON (${(err as Error).message})`, { source: specPath }, { cause: err });
  }
}

/** Reads the binary half named by a spec; a missing file is an ENGRAM_ERR_CORRUPT_WEIGHTS. */
export async function readWeightsBytes(weightsPath: string, specPath: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(weightsPath));
  } catch (err) {
    throw new EngramError(ErrorCodes.CORRUPT_WEIGHTS, `${weightsPath}: cannot read the weights file named by ${specPath}: keep both files together`, { source: weightsPath }, { cause: err });
  }
}
