/**
 * @engram/energy-transformer/node — everything in `@engram/energy-transformer`,
 * plus the parts that need Node: the hidden-patch image experiment
 * (`runImageExperiment`: checkpoints, resume and PNGs on disk), the `et-train`
 * and `et-graph` commands, and the plugin of the same name that registers them
 * too (its default export; the CLI loads it).
 *
 * @packageDocumentation
 */
export * from '../index.js';
export { type ImageExperimentOptions, type ImageExperimentResult, runImageExperiment } from './experiments/image-completion.js';
export { etTrainCommand, etTrainOptions, type EtTrainOptions } from './commands/et-train.js';
export { etGraphCommand, etGraphOptions, type EtGraphOptions } from './commands/et-graph.js';
export { energyTransformerPlugin, energyTransformerPlugin as default } from './plugin.js';
