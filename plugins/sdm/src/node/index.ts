/**
 * @engram/sdm/node — everything in `@engram/sdm`, plus the parts that need
 * Node: Split Fashion-MNIST reading the data from disk
 * (`runSplitFashionMnist`), writing its results, the `split-fmnist` command,
 * and the plugin of the same name that registers that command too (its default
 * export; the CLI loads it).
 *
 * @packageDocumentation
 */
export * from '../index.js';
export { splitSchema, runSplitFashionMnist, type SplitFashionMnistOptions } from './experiments/split-fmnist.js';
export { splitCommand, splitCommandOptions, writeSplitOutputs } from './commands/split-fmnist.js';
export { sdmPlugin, sdmPlugin as default } from './plugin.js';
