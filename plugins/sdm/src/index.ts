/**
 * @engram/sdm — Sparse Distributed Memory as a continual learner: the SDMLP
 * of Bricken, Davies, Singh, Krotov & Kreiman (ICLR 2023) with GABA-switch
 * Top-K, its MLP baselines, and the class-incremental Split Fashion-MNIST
 * protocol on data in memory. This entry imports no Node built-in, so it
 * bundles for browsers; reading Fashion-MNIST from disk, writing results and
 * the `split-fmnist` command are in `@engram/sdm/node` (with a plugin of the
 * same name that adds the command). The bench workload lives at
 * '@engram/sdm/bench'.
 *
 * @packageDocumentation
 */
import type { Sdmlp, SdmlpConfigInput } from './models/sdmlp.js';

export { sdmPlugin, sdmPlugin as default } from './plugin.js';
export { Sdmlp, SDMLP_KIND, DEAD_NEURON_THRESHOLD, sdmlpSchema, type HiddenActivation, type SdmlpConfig, type SdmlpConfigInput } from './models/sdmlp.js';
export { gabaResponse, gabaTopK, inhibitionThreshold, topKMask } from './models/gaba-switch.js';
export { sdmlpTrainingSchema, sdmlpLoss, withLabels, SDMLP_SGD_LR, BASELINE_SGD_LR, type SdmlpTrainingSettings } from './models/sdmlp-training.js';
export {
  SPLIT_MODELS,
  DEFAULT_SPLIT_MODELS,
  SPLIT_TASKS,
  splitProtocolSchema,
  runSplitProtocol,
  type SplitData,
  type SplitModelName,
  type SplitProtocolOptions,
  type SplitModelResult,
  type SplitFashionMnistResult,
  type SplitProgress,
} from './experiments/split-fmnist.js';
export { Ewc, DEFAULT_EWC_LAMBDA } from './experiments/ewc.js';
export { formatSplitTable, splitAccuracyPlot } from './experiments/split-report.js';

declare module '@engram/core' {
  interface ModelKinds {
    'sdm/sdmlp': { config: SdmlpConfigInput; model: Sdmlp };
  }
}
