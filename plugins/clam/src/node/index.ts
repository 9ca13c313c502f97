/**
 * @engram/clam/node — everything in `@engram/clam`, plus the parts that need
 * Node: the shipped data sets read from the package's data/ folder
 * (`loadShippedDataset`, `dataDirectory`), Fashion-MNIST from disk
 * (`fashionMnistExperiment`), the `engram clam` command and its experiment
 * (`runClamExperiment`, `writeClamOutputs`), and the plugin of the same name
 * that registers the data sets and the command too (its default export; the
 * CLI loads it).
 *
 * @packageDocumentation
 */
export * from '../index.js';
export { dataDirectory, loadShippedDataset } from './datasets/files.js';
export { registerShippedDatasets } from './datasets/registry.js';
export { fashionMnistExperiment } from './experiments/fashion-mnist.js';
export { clamCommand, clamCommandOptions, runClamExperiment, writeClamOutputs, type ClamCommandOptions, type ClamRunResult } from './commands/clam-command.js';
export { clamPlugin, clamPlugin as default } from './plugin.js';
