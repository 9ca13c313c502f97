/**
 * Optimizer state (PyTorch's `optimizer.state_dict()`): the iteration count and
 * per-variable slots (Adam's first/second moments, momentum accumulators, ...)
 * of a tf.train optimizer, saved next to a checkpoint so that a resumed run takes
 * exactly the step the uninterrupted run would have taken instead of restarting
 * its moments from zero. Same conventions as model weights: a JSON spec plus a
 * little-endian binary file checked by length and CRC-32.
 */
import * as tf from '@tensorflow/tfjs';
import { EngramError, ErrorCodes } from '../errors/index.js';
import type { JsonObject } from '../numerics/tensor-input.js';
import { crc32 } from './checksum.js';
import { alignedCopy, checkBytes, checkChecksumField, checkDepth, checkEntries, invalidSpec, packTensors, unpackTensor, type PackedEntry } from './tensor-bytes.js';

/** Format tag of an engram optimizer-state spec. */
export const OPTIMIZER_STATE_FORMAT = 'engram-optimizer-state';
/** Current optimizer-state format version. */
export const OPTIMIZER_STATE_FORMAT_VERSION = 1;

/** One tensor of the optimizer state: 'iter' (int32 scalar) first, then the slots in tfjs order. */
export type OptimizerStateEntry = PackedEntry;

/** The JSON half of a saved optimizer state. */
export interface OptimizerStateSpec {
  format: typeof OPTIMIZER_STATE_FORMAT;
  formatVersion: number;
  /** tfjs class name, e.g. 'Adam', 'Momentum', 'SGD'; must match on restore. */
  className: string;
  /** The optimizer's config at save time (recorded, not enforced: a resumed run may change the learning rate). */
  config: JsonObject;
  /** Optimizer steps taken so far (also stored as the 'iter' tensor). */
  iterations: number;
  weights: { file: string; byteLength: number; crc32: string; entries: OptimizerStateEntry[] };
}

/** An optimizer state in memory: its spec and its bytes. */
export interface OptimizerStateArtifacts {
  spec: OptimizerStateSpec;
  weights: Uint8Array;
}

/** Options of {@link restoreOptimizerState} and {@link loadOptimizerState}. */
export interface RestoreOptimizerStateOptions {
  /**
   * The variables the optimizer will train (as passed to trainStream): tfjs keeps
   * slots by position, so their shapes are checked against these, taken in the
   * order trainStream's name-keyed gradient map presents them to the optimizer.
   */
  variables?: readonly tf.Variable[];
  /** Names the state in error messages (default 'optimizer state'). */
  source?: string;
}

/** Slots per trained variable of the tfjs optimizers (null: not known, only divisibility is checked). */
function slotsPerVariable(className: string, config: JsonObject): number | null {
  const table: Record<string, number> = { SGD: 0, Momentum: 1, Adagrad: 1, Adam: 2, Adadelta: 2 };
  if (className === 'RMSProp') return config['centered'] === true ? 3 : 2;
  return table[className] ?? null;
}

async function weightsOf(optimizer: tf.Optimizer): Promise<Array<{ name: string; tensor: tf.Tensor }>> {
  try {
    return await optimizer.getWeights();
  } catch (err) {
    throw new EngramError(
      ErrorCodes.INVALID_ARGUMENT,
      `optimizer ${optimizer.getClassName()} cannot report its state (${(err as Error).message}): use Adam, SGD, momentum, RMSProp, Adagrad or Adadelta to checkpoint it`,
      { className: optimizer.getClassName() },
      { cause: err },
    );
  }
}

/** The optimizer's state as a spec and bytes ('iter' int32, slots float32). */
export async function serializeOptimizerState(optimizer: tf.Optimizer, opts: { weightsFile?: string } = {}): Promise<OptimizerStateArtifacts> {
  const list = await weightsOf(optimizer);
  try {
    const { entries, bytes } = packTensors(list, (t) => (t.dtype === 'int32' ? 'int32' : 'float32'));
    const spec: OptimizerStateSpec = {
      format: OPTIMIZER_STATE_FORMAT,
      formatVersion: OPTIMIZER_STATE_FORMAT_VERSION,
      className: optimizer.getClassName(),
      // round trip through JSON: tfjs configs are plain numbers/booleans/strings
      config: JSON.parse(JSON.stringify(optimizer.getConfig())) as JsonObject,
      iterations: optimizer.iterations,
      weights: { file: opts.weightsFile ?? 'optimizer.bin', byteLength: bytes.byteLength, crc32: crc32(bytes), entries },
    };
    return { spec, weights: bytes };
  } finally {
    // getWeights hands out the optimizer's own variables plus a fresh 'iter' scalar: free only the latter.
    for (const { tensor } of list) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  }
}

/** Checks that a parsed JSON value is an optimizer-state spec; `source` names the file in messages. */
export function validateOptimizerStateSpec(value: unknown, source = 'optimizer state', options: { allowMissingChecksum?: boolean } = {}): OptimizerStateSpec {
  const s = value as Partial<OptimizerStateSpec> | null;
  if (!s || typeof s !== 'object') throw invalidSpec(source, 'not a JSON object');
  checkDepth(s, source);
  if (s.format !== OPTIMIZER_STATE_FORMAT) throw invalidSpec(source, `'format' must be '${OPTIMIZER_STATE_FORMAT}' (is this an engram optimizer state?)`);
  if (s.formatVersion !== OPTIMIZER_STATE_FORMAT_VERSION) {
    throw invalidSpec(source, `unsupported formatVersion ${String(s.formatVersion)}; this engram reads ${OPTIMIZER_STATE_FORMAT_VERSION}`);
  }
  if (typeof s.className !== 'string' || !s.className) throw invalidSpec(source, "'className' must name the tfjs optimizer class, e.g. 'Adam'");
  if (!s.config || typeof s.config !== 'object') throw invalidSpec(source, "'config' must be an object");
  const w = s.weights;
  if (!w || typeof w !== 'object') throw invalidSpec(source, "'weights' must describe the state file (file, byteLength, crc32, entries)");
  const entries = checkEntries(w.entries, w.byteLength, source, ['float32', 'int32'] as const);
  checkChecksumField(w.crc32, source, options);
  const first = entries[0];
  if (!first || first.name !== 'iter' || first.dtype !== 'int32' || first.shape.length !== 0) {
    throw invalidSpec(source, "the first entry must be the iteration count 'iter' (int32 scalar)");
  }
  if (entries.slice(1).some((e) => e.dtype !== 'float32')) throw invalidSpec(source, "only 'iter' may be int32; slots are float32");
  return s as OptimizerStateSpec;
}

function mismatch(source: string, problem: string, details: JsonObject): EngramError {
  return new EngramError(ErrorCodes.WEIGHTS_MISMATCH, `${source}: ${problem}`, { source, ...details });
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => tf.util.arraysEqual([...a], [...b]);

/**
 * Loads a saved state into `optimizer` (which should be fresh or trained on the
 * same variables). Everything is checked before anything changes: spec, byte
 * length and CRC-32, class name, and slot count and shapes against the
 * optimizer's current slots and against `options.variables`.
 */
export async function restoreOptimizerState(optimizer: tf.Optimizer, artifacts: OptimizerStateArtifacts, options: RestoreOptimizerStateOptions = {}): Promise<void> {
  const source = options.source ?? 'optimizer state';
  const spec = validateOptimizerStateSpec(artifacts.spec, source);
  checkBytes(artifacts.weights, spec.weights, source, 'save the optimizer state again');
  const cls = optimizer.getClassName();
  if (spec.className !== cls) {
    throw mismatch(source, `the state is of a ${spec.className} optimizer but this optimizer is ${cls}: resume with the same optimizer class`, {
      expected: cls,
      actual: spec.className,
    });
  }
  const slots = spec.weights.entries.slice(1);
  const current = await weightsOf(optimizer);
  const oldSlots = current.slice(1).map((w) => w.tensor);
  for (const w of current.slice(0, 1)) w.tensor.dispose();
  if (oldSlots.length > 0) {
    const fits = oldSlots.length === slots.length && oldSlots.every((t, i) => sameShape(t.shape, slots[i]!.shape));
    if (!fits) {
      throw mismatch(source, `the ${slots.length} saved slots do not match the optimizer's ${oldSlots.length} (shapes differ): restore into a fresh optimizer for these variables`, {
        expected: oldSlots.map((t) => [...t.shape]),
        actual: slots.map((e) => e.shape),
      });
    }
  }
  // trainStream applies gradients as an object keyed by variable name, and object keys
  // put integer-like names (tfjs's default variable names) first, in ascending order.
  const vars = options.variables ? Object.values(Object.fromEntries(options.variables.map((v) => [v.name, v]))) : undefined;
  if (vars && slots.length > 0) {
    const per = slotsPerVariable(cls, spec.config);
    const perOk = per === null ? slots.length % vars.length === 0 : slots.length === per * vars.length;
    if (vars.length === 0 || !perOk) {
      throw mismatch(source, `${slots.length} saved ${cls} slots do not fit ${vars.length} variables${per === null ? '' : ` (${per} per variable)`}: the state is from another model`, {
        slots: slots.length,
        variables: vars.length,
      });
    }
    slots.forEach((e, k) => {
      const v = vars[k % vars.length]!;
      if (!sameShape(v.shape, e.shape)) {
        throw mismatch(source, `slot '${e.name}' has shape [${e.shape}] but variable ${k % vars.length} ('${v.name}') has shape [${v.shape}]: the state is from another model`, {
          name: e.name,
          expected: [...v.shape],
          actual: e.shape,
        });
      }
    });
  }
  const aligned = alignedCopy(artifacts.weights);
  const tensors = spec.weights.entries.map((e) => ({ name: e.name, tensor: unpackTensor(aligned, e) }));
  try {
    // setWeights wraps each slot tensor in a new variable sharing its data, so ours can be freed after.
    await optimizer.setWeights(tensors);
  } finally {
    for (const { tensor } of tensors) tensor.dispose();
  }
  // The replaced slot variables are no longer referenced by the optimizer.
  for (const t of oldSlots) t.dispose();
}

