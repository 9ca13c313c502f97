import * as tf from '@tensorflow/tfjs';
import { EngramError, ErrorCodes, errors } from '../errors/index.js';
import type { EngramModel } from '../plugins/contributions.js';
import type { Engram } from '../plugins/engram.js';
import { crc32 } from './checksum.js';
import { SPEC_FORMAT, SPEC_FORMAT_VERSION, type ModelArtifacts, type ModelSpec, type WeightEntry } from './spec.js';

/** Turns a model into a spec and a weights byte array (float32, little-endian, concatenated). */
export function serializeModel(model: EngramModel, opts: { engram?: Engram; weightsFile?: string } = {}): ModelArtifacts {
  const weights = model.getWeights();
  const entries: WeightEntry[] = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(weights)) {
    const data = t.dtype === 'float32' ? (t.dataSync() as Float32Array) : Float32Array.from(t.dataSync());
    entries.push({ name, shape: [...t.shape], dtype: 'float32', offset, byteLength: data.byteLength });
    chunks.push(data);
    offset += data.byteLength;
  }
  const bytes = new Uint8Array(offset);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    bytes.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), entries[i]!.offset);
  }
  const pluginName = model.kind.split('/')[0] ?? model.kind;
  const version = opts.engram?.plugins().find((p) => p.name === pluginName)?.version ?? null;
  const spec: ModelSpec = {
    format: SPEC_FORMAT,
    formatVersion: SPEC_FORMAT_VERSION,
    kind: model.kind,
    plugin: { name: pluginName, version },
    config: model.getConfig(),
    weights: { file: opts.weightsFile ?? 'weights.bin', byteLength: bytes.byteLength, crc32: crc32(bytes), entries },
  };
  return { spec, weights: bytes };
}

function invalidSpec(source: string, problem: string): EngramError {
  return new EngramError(ErrorCodes.INVALID_SPEC, `${source}: ${problem}`, { source, problem });
}

/** Checks that a parsed JSON value is a model spec; `source` names the file in messages. */
export function validateSpec(value: unknown, source = 'model spec'): ModelSpec {
  const s = value as Partial<ModelSpec> | null;
  if (!s || typeof s !== 'object') throw invalidSpec(source, 'not a JSON object');
  if (s.format !== SPEC_FORMAT) throw invalidSpec(source, `'format' must be '${SPEC_FORMAT}' (is this an engram model spec?)`);
  if (s.formatVersion !== SPEC_FORMAT_VERSION) throw invalidSpec(source, `unsupported formatVersion ${String(s.formatVersion)}; this engram reads ${SPEC_FORMAT_VERSION}`);
  if (typeof s.kind !== 'string' || !s.kind.includes('/')) throw invalidSpec(source, "'kind' must be a model id such as 'hopfield/modern'");
  if (!s.config || typeof s.config !== 'object') throw invalidSpec(source, "'config' must be an object");
  const w = s.weights;
  if (!w || typeof w !== 'object' || !Array.isArray(w.entries) || typeof w.byteLength !== 'number') {
    throw invalidSpec(source, "'weights' must describe the weights file (file, byteLength, crc32, entries)");
  }
  let end = 0;
  for (const e of w.entries) {
    const n = Array.isArray(e?.shape) ? e.shape.reduce((a, b) => a * b, 1) : NaN;
    if (typeof e?.name !== 'string' || !Number.isFinite(n) || e.dtype !== 'float32' || e.byteLength !== n * 4 || e.offset !== end) {
      throw invalidSpec(source, `weights entry ${JSON.stringify(e)} is inconsistent (shape, dtype float32, offset and byteLength must agree)`);
    }
    end += e.byteLength;
  }
  if (end !== w.byteLength) throw invalidSpec(source, `weights entries cover ${end} bytes but byteLength says ${w.byteLength}`);
  return s as ModelSpec;
}

/**
 * Rebuilds a model from artifacts. Everything is checked before any weight is
 * assigned (kind registered, byte length, checksum, names and shapes); on any
 * failure the half-built model is disposed and nothing else changes.
 */
export async function deserializeModel<M extends EngramModel = EngramModel>(engram: Engram, artifacts: ModelArtifacts, source = 'model'): Promise<M> {
  const spec = validateSpec(artifacts.spec, source);
  const bytes = artifacts.weights;
  if (bytes.byteLength !== spec.weights.byteLength) {
    throw new EngramError(
      ErrorCodes.CORRUPT_WEIGHTS,
      `${source}: the weights file has ${bytes.byteLength} bytes but the spec expects ${spec.weights.byteLength} (truncated or from another model): save the model again`,
      { source, expected: spec.weights.byteLength, actual: bytes.byteLength },
    );
  }
  if (spec.weights.crc32 && crc32(bytes) !== spec.weights.crc32) {
    throw new EngramError(ErrorCodes.CORRUPT_WEIGHTS, `${source}: the weights file fails its CRC-32 check (corrupt): save the model again`, {
      source,
      expected: spec.weights.crc32,
      actual: crc32(bytes),
    });
  }
  if (!engram.find('model', spec.kind)) {
    const plugin = spec.plugin?.name ?? spec.kind.split('/')[0];
    const err = errors.unknownKind('model', spec.kind, engram.ids('model'));
    throw new EngramError(
      ErrorCodes.UNKNOWN_KIND,
      `${source} needs model kind '${spec.kind}' from plugin '${plugin}', which is not loaded: add it to createEngram({ plugins: [...] })`,
      { ...err.details, plugin, source },
    );
  }
  const model = await engram.createModel<M>(spec.kind, spec.config);
  const tensors: Record<string, tf.Tensor> = {};
  try {
    const current = model.getWeights();
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
    const aligned = new Uint8Array(bytes); // copy: Float32Array views need 4-byte alignment
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
      tensors[e.name] = tf.tensor(new Float32Array(aligned.buffer, e.offset, e.byteLength / 4), e.shape, 'float32');
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
