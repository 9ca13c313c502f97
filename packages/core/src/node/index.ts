/**
 * @engram/core/node — the Node-only half of core: models and optimizer state
 * on disk, and the safe file access they use. The main entry (`@engram/core`)
 * imports no Node built-in, so it bundles for browsers; its in-memory
 * equivalents (`serializeModel` / `deserializeModel`, bytes in and out) work
 * everywhere.
 *
 * @packageDocumentation
 */
export { saveModel, loadModel, readSpecJson, readWeightsBytes, type LoadModelOptions } from './model-files.js';
export { saveOptimizerState, loadOptimizerState, optimizerStatePaths } from './optimizer-files.js';
export { readRegularFile, readRegularFileSync, fileBesideSpec, writeFileAtomic, syncFolder, removeFile, type ReadFileOptions } from './safe-file.js';
