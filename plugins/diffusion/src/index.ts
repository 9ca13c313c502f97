/**
 * @engram/diffusion — diffusion models as associative memories: noise schedules,
 * an EDM-preconditioned MLP denoiser trained by denoising score matching, the
 * exact denoiser of a finite set (core's memory synapse with beta = 1/sigma^2),
 * reverse sampling as the models' `run`, and the memorization experiments.
 *
 * This entry imports no Node built-in, so it bundles for browsers (training
 * with checkpoint hooks, the experiments on images in memory).
 * `@engram/diffusion/node` adds checkpoints on disk, Fashion-MNIST from disk,
 * the commands, and a plugin of the same name that registers them.
 *
 * @packageDocumentation
 */
import type { ExactDenoiser, ExactDenoiserConfig } from './models/exact.js';
import type { ScoreModel, ScoreModelConfig } from './models/score.js';

export { diffusionPlugin, diffusionPlugin as default } from './plugin.js';
export {
  edmSigmas,
  geometricSigmas,
  vpSigmas,
  vpAlphaBars,
  alphaBarOfSigma,
  checkSigmas,
  edmScheduleSchema,
  geometricScheduleSchema,
  vpScheduleSchema,
  type EdmSigmaOptions,
  type GeometricSigmaOptions,
  type VpScheduleOptions,
} from './models/schedules.js';
export {
  type Denoiser,
  scoreOf,
  DenoiserModel,
  SAMPLERS,
  samplerRunSchema,
  DEFAULT_SIGMA_MAX,
  DEFAULT_SIGMA_MIN,
  type SamplerKind,
  type SamplerRunOptions,
  type SampleOptions,
} from './models/denoiser.js';
export { ExactDenoiser, EXACT_KIND, exactDenoiserSchema, type ExactDenoiserConfig } from './models/exact.js';
export { ScoreModel, SCORE_KIND, scoreModelSchema, edmPreconditioning, type ScoreModelConfig } from './models/score.js';
export {
  scoreTrainingSchema,
  trainDenoiserSchema,
  trainDenoiser,
  type DenoiserCheckpoint,
  type DenoiserResume,
  type DsmBatch,
  type ScoreTrainingSettings,
  type TrainDenoiserOptions,
  type TrainDenoiserSettings,
} from './models/score-training.js';
export { fashionPatternsOf, fashionPatternsOfSchema, type FashionPatternsOfOptions, type FashionPatterns } from './experiments/images.js';
export {
  classifySamples,
  attractorRestarts,
  classifyThresholdsSchema,
  restartSchema,
  DEFAULT_THRESHOLDS,
  type SampleClass,
  type ClassifyThresholds,
  type ClassifyInput,
  type Classification,
  type RestartOptions,
} from './experiments/classify.js';
export { scoreSpectrum, keptPerBlock, scoreSpectrumSchema, type ScoreSpectrum, type ScoreSpectrumOptions } from './experiments/manifold-dim.js';
export { memorizationSweepOn, sweepSettingsSchema, type SweepSettings, type SweepPoint, type SweepResult } from './experiments/sweep.js';
export { manifoldSweep, manifoldSchema, type ManifoldSweepOptions, type ManifoldPoint } from './experiments/manifold.js';

declare module '@engram/core' {
  interface ModelKinds {
    'diffusion/score': { config: ScoreModelConfig; model: ScoreModel };
    'diffusion/exact': { config: ExactDenoiserConfig; model: ExactDenoiser };
  }
}
