/**
 * @engram/sdm — Sparse Distributed Memory as a continual learner: the SDMLP
 * of Bricken, Davies, Singh, Krotov & Kreiman (ICLR 2023) with GABA-switch
 * Top-K, its MLP baselines, and the class-incremental Split Fashion-MNIST protocol.
 *
 * @packageDocumentation
 */
import { sdmPlugin } from './plugin.js';

export { sdmPlugin } from './plugin.js';
export { type HiddenActivation, type SdmlpConfig, DEFAULT_SDMLP_CONFIG, resolveSdmlpConfig } from './config.js';
export { gabaResponse, gabaTopK, inhibitionThreshold, topKMask } from './gaba-switch.js';
export { Sdmlp, SDMLP_KIND, DEAD_NEURON_THRESHOLD } from './sdmlp.js';
export {
  type OptimizerName,
  type LabelledTensors,
  type TrainSdmlpOptions,
  DEFAULT_LEARNING_RATES,
  createOptimizer,
  trainSdmlp,
} from './train.js';
export {
  type SplitModelName,
  type SplitFashionMnistOptions,
  type SplitModelResult,
  type SplitFashionMnistResult,
  SPLIT_MODELS,
  DEFAULT_SPLIT_MODELS,
  SPLIT_TASKS,
  runSplitFashionMnist,
  formatSplitTable,
} from './split-fmnist.js';
export { SPLIT_USAGE, parseSplitArgs, splitAccuracyPlot, writeSplitOutputs, runSplitCommand } from './split-command.js';
export { Ewc, DEFAULT_EWC_LAMBDA } from './ewc.js';
export { type SdmlpThroughputOptions, type SdmlpThroughput, sdmlpTrainingThroughput } from './bench.js';

export default sdmPlugin;
