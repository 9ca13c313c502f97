/**
 * GPT checkpoints from memory or over HTTP (any platform): the committed one
 * (the package's data/gpt-brown.json and its weights file) can be served and
 * fetched in a browser. Reading them from disk is in `@engram/camelot/node`.
 */
import { EngramError, ErrorCodes, deserializeModel, errors, type Engram, type ModelArtifacts } from '@engram/core';
import { Gpt } from '../models/gpt.js';

/** The committed checkpoint's spec in the package's data/ folder (its weights file, `gpt-brown.<crc32>.weights.bin`, is named in the spec). */
export const COMMITTED_CHECKPOINT = { spec: 'gpt-brown.json' } as const;

/** A GPT from its spec and weight bytes (core's deserializeModel); another kind is a coded error. */
export async function gptFromArtifacts(engram: Engram, artifacts: ModelArtifacts, source = 'GPT checkpoint'): Promise<Gpt> {
  const model = await deserializeModel(engram, artifacts, source);
  if (!(model instanceof Gpt)) {
    model.dispose();
    throw new EngramError(ErrorCodes.INVALID_SPEC, `${source}: holds a '${model.kind}' model, not a camelot/gpt`, { path: source, kind: model.kind });
  }
  return model;
}

/** What {@link loadGptFromUrl} needs of `fetch` (the global one by default). */
export type FetchLike = (url: string) => Promise<{ ok: boolean; status: number; json(): Promise<unknown>; arrayBuffer(): Promise<ArrayBuffer> }>;

/**
 * Fetches a GPT checkpoint: the spec at `specUrl` and its weights file (named
 * in the spec) beside it, e.g. the package's data/ folder served over HTTP
 * (`${base}/${COMMITTED_CHECKPOINT.spec}`).
 *
 * @throws EngramError DATA_NOT_FOUND when a request fails; INVALID_SPEC / CORRUPT_DATA as deserializeModel.
 */
export async function loadGptFromUrl(engram: Engram, specUrl: string, options: { fetch?: FetchLike } = {}): Promise<Gpt> {
  if (typeof specUrl !== 'string' || specUrl.length === 0) throw errors.invalidArgument('specUrl', 'the URL of a GPT spec (.json)', specUrl);
  const get: FetchLike = options.fetch ?? ((u) => globalThis.fetch(u));
  const fetchOk = async (url: string): Promise<Awaited<ReturnType<FetchLike>>> => {
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await get(url);
    } catch (err) {
      throw new EngramError(ErrorCodes.DATA_NOT_FOUND, `could not fetch ${url} (${(err as Error).message}): check the URL and that the checkpoint is served there`, { path: url }, { cause: err });
    }
    if (!res.ok) throw new EngramError(ErrorCodes.DATA_NOT_FOUND, `could not fetch ${url} (HTTP ${res.status}): check the URL and that the checkpoint is served there`, { path: url });
    return res;
  };
  const spec = (await (await fetchOk(specUrl)).json()) as ModelArtifacts['spec'];
  const file = (spec as { weights?: { file?: unknown } } | null)?.weights?.file;
  if (typeof file !== 'string' || file.includes('/') || file.includes('\\')) {
    throw new EngramError(ErrorCodes.INVALID_SPEC, `${specUrl}: 'weights.file' must name the weights file beside the spec`, { path: specUrl });
  }
  const weightsUrl = `${specUrl.slice(0, specUrl.lastIndexOf('/') + 1)}${file}`;
  const weights = new Uint8Array(await (await fetchOk(weightsUrl)).arrayBuffer());
  return gptFromArtifacts(engram, { spec, weights }, specUrl);
}
