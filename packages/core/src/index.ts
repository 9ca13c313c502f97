/**
 * @engram/core — the energy-model graph, Lagrangians, autodiff, the model
 * protocol, streaming dynamics, training through the unrolled dynamics,
 * config schemas, serialization and the plugin host.
 *
 * @packageDocumentation
 */
export { coreVersion } from './version.js';
export { ErrorCodes, type ErrorCode, EngramError, isEngramError, type ErrorDetails, errors } from './errors/index.js';
export { initVariable, isLoading, whileLoading, type InitOptions } from './numerics/parameters.js';
export { randomNormal, randomUniform, tfSeed } from './numerics/random.js';
export { withAllocationLimit } from './backend/allocation-limit.js';
export { toTensor, isTensorInput, type TensorInput, type ToTensorOptions, type JsonObject, type JsonValue } from './numerics/tensor-input.js';
export * from './schema/index.js';
export { type State, disposeState, keepState, snapshotState } from './state.js';
export { type EnergyTerms, disposeEnergy } from './energy-terms.js';
export { type ArrayDataset, type ArrayBatch, isArrayDataset, datasetBatches, seededRandom, shuffledIndices } from './dataset.js';
export {
  initBackend,
  isBackendAvailable,
  backendInfo,
  type BackendInfo,
  installWasmFastPath,
  uninstallWasmFastPath,
  wasmFastPathInstalled,
  type BackendName,
  type BackendOptions,
} from './backend/index.js';
export * from './lagrangians/index.js';
export * as ops from './numerics/ops.js';
export * as linalg from './linalg/index.js';
export {
  gradCheck,
  gradCheckArgs,
  gradCheckVariables,
  gradGradCheck,
  gradGradCheckArgs,
  type GradCheckOptions,
  type GradGradCheckOptions,
  type GradCheckEntry,
  type GradCheckResult,
} from './numerics/gradcheck.js';
export { installGradientFixes, fixedGradientKernels, gradientFixesInstalled } from './numerics/gradient-fixes.js';
export * from './synapses/index.js';
export * from './graph/index.js';
export * from './dynamics/index.js';
export * from './model/index.js';
export * from './training/index.js';
export * from './plugins/index.js';
export * from './serialization/index.js';
