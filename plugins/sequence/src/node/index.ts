/**
 * @engram/sequence/node — everything in `@engram/sequence`, plus the parts
 * that need Node: the capacity grid that writes its JSON and plots
 * (`runCapacityExperiment`), the `capacity` command, and the plugin of the
 * same name that registers that command too (its default export; the CLI
 * loads it).
 *
 * @packageDocumentation
 */
export * from '../index.js';
export { runCapacityExperiment, type CapacityExperimentOptions, type CapacityPoint } from './experiments/capacity-grid.js';
export { capacityOptionsSchema, capacityCommand, capacityDetails, type CapacityCommandOptions } from './commands/capacity.js';
export { sequencePlugin, sequencePlugin as default } from './plugin.js';
