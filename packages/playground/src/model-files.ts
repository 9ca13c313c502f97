/**
 * Models through the browser: a model of the form's kind and config (with its
 * memory filled from the chosen data) serialized to a spec and weights, and
 * back; bytes travel as base64 where JSON carries them (to the server runner).
 */
import { serializeModel, type Engram, type ModelArtifacts } from '@engram/core';

/** Bytes as base64. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** base64 as bytes. */
export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A new model of `kind` from `config`, serialized (its memory filled from `patterns` when it has a memory face). */
export async function modelArtifacts(engram: Engram, kind: string, config: Record<string, unknown>): Promise<ModelArtifacts> {
  const model = await engram.createModel(kind, config);
  try {
    return serializeModel(model, { engram, weightsFile: 'model.weights.bin' });
  } finally {
    model.dispose();
  }
}

/** Offers bytes as a file download. */
export function download(name: string, data: Uint8Array | string, type: string): void {
  const blob = new Blob([data as BlobPart], { type });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
