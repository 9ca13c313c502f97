/**
 * @engram/diffusion/node — everything in `@engram/diffusion`, plus the parts
 * that need Node: `trainDenoiser` with checkpoints saved to and resumed from
 * files (`loadCheckpoint`, `fileCheckpoint`, `fileResume`), Fashion-MNIST
 * images from disk (`fashionPatterns`), the memorization sweep reading them
 * (`memorizationSweep`), the diffusion-sweep and diffusion-manifold commands,
 * and the plugin of the same name that registers them too (its default
 * export; the CLI loads it).
 *
 * @packageDocumentation
 */
export * from '../index.js';
export { trainDenoiser, loadCheckpoint, fileCheckpoint, fileResume, type TrainDenoiserOptions } from './models/score-files.js';
export { fashionPatterns, fashionPatternsSchema, type FashionPatternOptions } from './experiments/images.js';
export { memorizationSweep, sweepSchema, type SweepOptions } from './experiments/sweep.js';
export { sweepCommand, sweepCommandOptions, sweepTable } from './commands/sweep.js';
export { manifoldCommand, manifoldCommandOptions, manifoldTable } from './commands/manifold.js';
export { diffusionPlugin, diffusionPlugin as default } from './plugin.js';
