/**
 * @engram/diffusion — diffusion models as associative memories: noise schedules,
 * an EDM-preconditioned MLP denoiser trained by denoising score matching, the
 * exact denoiser of a finite set (one modern-Hopfield update with beta = 1/sigma^2),
 * samplers on the core dynamics engine, and the memorization experiments.
 *
 * @packageDocumentation
 */
import { diffusionPlugin } from './plugin.js';

export { diffusionPlugin } from './plugin.js';
export { edmSigmas, geometricSigmas, vpSigmas, vpAlphaBars, alphaBarOfSigma, checkSigmas, type EdmSigmaOptions, type GeometricSigmaOptions, type VpScheduleOptions } from './schedules.js';
export { type Denoiser, scoreOf } from './denoiser.js';
export { ExactDenoiser, EXACT_KIND, type ExactDenoiserConfig } from './exact.js';
export { ScoreModel, SCORE_KIND, edmPreconditioning, type ScoreModelConfig } from './score-model.js';
export { sampleStream, sample, samplerSystem, SAMPLERS, type SamplerKind, type SampleOptions } from './samplers.js';
export { trainDenoiser, loadCheckpoint, type TrainDenoiserOptions } from './train.js';
export { downsampleImages, fashionPatterns, type FashionPatternOptions } from './images.js';
export {
  classifySamples,
  attractorRestarts,
  DEFAULT_THRESHOLDS,
  type SampleClass,
  type ClassifyThresholds,
  type ClassifyInput,
  type Classification,
  type RestartOptions,
} from './classify.js';
export { symmetricEigen, type SymmetricEigen } from './eigen.js';
export { scoreSpectrum, keptPerBlock, type ScoreSpectrum, type ScoreSpectrumOptions } from './manifold-dim.js';
export { memorizationSweep, type SweepOptions, type SweepPoint } from './sweep.js';
export { manifoldSweep, type ManifoldSweepOptions, type ManifoldPoint } from './manifold-experiment.js';
export { runSweepCommand, SWEEP_USAGE } from './commands/sweep-command.js';
export { runManifoldCommand, MANIFOLD_USAGE } from './commands/manifold-command.js';

export default diffusionPlugin;
