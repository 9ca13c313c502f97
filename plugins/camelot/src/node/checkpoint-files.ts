/** The committed GPT checkpoint on disk, and loading a checkpoint from a file. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngramError, ErrorCodes, type Engram } from '@engram/core';
import { loadModel } from '@engram/core/node';
import { COMMITTED_CHECKPOINT } from '../internal/checkpoint.js';
import { Gpt } from '../models/gpt.js';

/** The package's data/ folder (the same from src/node/ and dist/node/). */
export function packageDataDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data');
}

/** Path of the committed checkpoint's spec (data/gpt-brown.json). */
export function defaultCheckpoint(): string {
  return join(packageDataDir(), COMMITTED_CHECKPOINT.spec);
}

/** Loads a GPT checkpoint (default: the committed one); a missing file or another kind is a coded error. */
export async function loadGpt(engram: Engram, path: string = defaultCheckpoint(), cwd = process.cwd()): Promise<Gpt> {
  const full = resolve(cwd, path);
  if (!existsSync(full)) {
    throw new EngramError(ErrorCodes.DATA_NOT_FOUND, `${full}: no GPT checkpoint there; use the committed data/gpt-brown.json or make one with \`engram camelot-train\``, { path: full });
  }
  const model = await loadModel(engram, full);
  if (!(model instanceof Gpt)) {
    model.dispose();
    throw new EngramError(ErrorCodes.INVALID_SPEC, `${full}: holds a '${model.kind}' model, not a camelot/gpt`, { path: full, kind: model.kind });
  }
  return model;
}
