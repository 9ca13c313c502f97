import * as tf from '@tensorflow/tfjs';
import { EngramError, ErrorCodes, errors } from '../errors/index.js';
import type { Model } from '../model/model.js';
import type { Engram } from '../plugins/engram.js';
import { withAllocationLimit } from '../backend/allocation-limit.js';
import { whileLoading } from '../numerics/parameters.js';
import { crc32 } from './checksum.js';
import { alignedCopy, checkBytes, checkChecksumField, checkDepth, checkEntries, invalidSpec, packTensors, unpackTensor } from './tensor-bytes.js';
import { SPEC_FORMAT, SPEC_FORMAT_VERSION, type ModelArtifacts, type ModelSpec } from './spec.js';

/** Turns a model into a spec and a weights byte array (float32, little-endian, concatenated). */
export function serializeModel(model: Model, opts: { engram?: Engram; weightsFile?: string } = {}): ModelArtifacts {
  if (model.isDisposed) throw errors.disposed(`${model.kind} model`);
  const weights = model.variables();
  // Model weights are always stored as float32 (converted if a weight has another dtype).
  const { entries, bytes } = packTensors(
    Object.entries(weights).map(([name, tensor]) => ({ name, tensor })),
    (): 'float32' => 'float32',
  );
  const pluginName = model.kind.split('/')[0] ?? model.kind;
  const version = opts.engram?.plugins().find((p) => p.name === pluginName)?.version ?? null;
  const spec: ModelSpec = {
    format: SPEC_FORMAT,
    formatVersion: SPEC_FORMAT_VERSION,
    kind: model.kind,
    plugin: { name: pluginName, version },
    config: model.getConfig() as ModelSpec['config'],
    weights: { file: opts.weightsFile ?? 'weights.bin', byteLength: bytes.byteLength, crc32: crc32(bytes), entries },
  };
  return { spec, weights: bytes };
}

/** Options of {@link validateSpec} and {@link deserializeModel}. */
export interface SpecCheckOptions {
  /** Accept a spec without a CRC-32 (hand-written specs); default false: the checksum is mandatory. */
  allowMissingChecksum?: boolean;
}

/** Options of {@link deserializeModel}. */
export interface DeserializeOptions extends SpecCheckOptions {
  /** Names the model in messages (default 'model'). */
  source?: string;
  /**
   * Most bytes building the model may allocate (default: 4x its weights plus
   * 256 MiB): a config inconsistent with its weights fails before it allocates.
   */
  maxBytes?: number;
}

/** Checks that a parsed JSON value is a model spec; `source` names the file in messages. */
export function validateSpec(value: unknown, source = 'model spec', options: SpecCheckOptions = {}): ModelSpec {
  const s = value as Partial<ModelSpec> | null;
  if (!s || typeof s !== 'object') throw invalidSpec(source, 'not a JSON object');
  checkDepth(s, source);
  if (s.format !== SPEC_FORMAT) throw invalidSpec(source, `'format' must be '${SPEC_FORMAT}' (is this an engram model spec?)`);
  if (s.formatVersion !== SPEC_FORMAT_VERSION) throw invalidSpec(source, `unsupported formatVersion ${String(s.formatVersion)}; this engram reads ${SPEC_FORMAT_VERSION}`);
  if (typeof s.kind !== 'string' || !s.kind.includes('/')) throw invalidSpec(source, "'kind' must be a model id such as 'hopfield/modern'");
  if (!s.config || typeof s.config !== 'object') throw invalidSpec(source, "'config' must be an object");
  const w = s.weights;
  if (!w || typeof w !== 'object') throw invalidSpec(source, "'weights' must describe the weights file (file, byteLength, crc32, entries)");
  checkEntries(w.entries, w.byteLength, source, ['float32'] as const);
  checkChecksumField(w.crc32, source, options);
  return s as ModelSpec;
}

/**
 * Rebuilds a model from artifacts. Everything is checked before any weight is
 * assigned (kind registered, byte length, checksum, names and shapes); on any
 * failure the half-built model is disposed and nothing else changes.
 */
export async function deserializeModel<M extends Model = Model>(engram: Engram, artifacts: ModelArtifacts, options: DeserializeOptions | string = {}): Promise<M> {
  const o: DeserializeOptions = typeof options === 'string' ? { source: options } : options;
  const source = o.source ?? 'model';
  const spec = validateSpec(artifacts.spec, source, o);
  const bytes = artifacts.weights;
  checkBytes(bytes, spec.weights, source, 'save the model again');
  if (!engram.find('model', spec.kind)) {
    const plugin = spec.plugin?.name ?? spec.kind.split('/')[0];
    const err = errors.unknownKind('model', spec.kind, engram.ids('model'));
    throw new EngramError(
      ErrorCodes.UNKNOWN_KIND,
      `${source} needs model kind '${spec.kind}' from plugin '${plugin}', which is not loaded: add it to createEngram({ plugins: [...] })`,
      { ...err.details, plugin, source },
    );
  }
  const budget = o.maxBytes ?? 4 * spec.weights.byteLength + 256 * 2 ** 20;
  const model = (await withAllocationLimit(budget, source, () => whileLoading(() => engram.createModel(spec.kind, spec.config)))) as M;
  const tensors: Record<string, tf.Tensor> = {};
  try {
    const current = model.variables();
    const names = new Set(spec.weights.entries.map((e) => e.name));
    const missing = Object.keys(current).filter((k) => !names.has(k));
    const extra = [...names].filter((k) => !(k in current));
    if (missing.length || extra.length) {
      throw new EngramError(
        ErrorCodes.WEIGHTS_MISMATCH,
        `${source}: the weights do not match model '${spec.kind}' (missing: ${missing.join(', ') || 'none'}; unexpected: ${extra.join(', ') || 'none'})`,
        { source, missing, extra },
      );
    }
    const aligned = alignedCopy(bytes); // Float32Array views need 4-byte alignment
    for (const e of spec.weights.entries) {
      const want = current[e.name]!.shape;
      if (!tf.util.arraysEqual(want, e.shape)) {
        throw new EngramError(ErrorCodes.WEIGHTS_MISMATCH, `${source}: weight '${e.name}' has shape [${e.shape}] but the model expects [${want}]`, {
          source,
          name: e.name,
          expected: want,
          actual: e.shape,
        });
      }
      tensors[e.name] = unpackTensor(aligned, e);
    }
    model.setWeights(tensors);
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}
