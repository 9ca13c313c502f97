export type { Model, StateLayer, GenerateOptions } from './model.js';
export { isModel } from './model.js';
export { runOptionsSchema, type RunOptions, type RunSettings, type StateInput, type ClampInput, type RunDefaults } from './run-options.js';
export { ModelBase } from './model-base.js';
export { readState, readClamp, batchOf } from './read-state.js';
export { assignWeights } from './weights.js';
export { trainingSettingsSchema, type TrainingFace, type TrainingData, type TrainingSettings } from './training.js';
export { EnergyModel, graphTrainingSchema } from './energy-model.js';
export { graphConfigSchema, graphFromConfig, type GraphConfig, type GraphConfigInput } from './graph-from-config.js';
