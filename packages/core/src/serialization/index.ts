export { SPEC_FORMAT, SPEC_FORMAT_VERSION, type ModelSpec, type ModelArtifacts, type WeightEntry } from './spec.js';
export { serializeModel, deserializeModel, validateSpec, type SpecCheckOptions, type DeserializeOptions } from './serialize.js';
export { crc32 } from './checksum.js';
export {
  OPTIMIZER_STATE_FORMAT,
  OPTIMIZER_STATE_FORMAT_VERSION,
  serializeOptimizerState,
  restoreOptimizerState,
  validateOptimizerStateSpec,
  type OptimizerStateSpec,
  type OptimizerStateEntry,
  type OptimizerStateArtifacts,
  type RestoreOptimizerStateOptions,
} from './optimizer-state.js';
