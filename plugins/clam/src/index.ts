/**
 * @engram/clam — ClAM, end-to-end differentiable clustering with associative
 * memories (Saha, Krotov, Zaki & Ram, ICML 2023): the prototype energy as a
 * core synapse, the assignment dynamics as the 'clam/clam' model kind,
 * mask-and-complete training through the unrolled dynamics, a scikit-learn
 * style estimator, the paper's hyper-parameter search, baselines (k-means++,
 * soft k-means, agglomerative), metrics (Silhouette, ARI), the paper's data
 * sets (parsed from text or fetched from a URL) and the plots and tables of
 * the comparison. This entry imports no Node built-in, so it bundles for
 * browsers; reading the data sets and Fashion-MNIST from disk, the `engram
 * clam` command and a plugin of the same name that registers them are in
 * `@engram/clam/node`.
 *
 * @packageDocumentation
 */
import { clamPlugin } from './plugin.js';
import type { ClamConfigInput } from './models/clam-schema.js';
import type { ClamModel } from './models/clam-model.js';

export { clamPlugin } from './plugin.js';

export {
  prototypeSynapse,
  prototypeSynapseSchema,
  prototypeEnergy,
  prototypeGradient,
  prototypeEnergyAndGradient,
  prototypeLogits,
  type PrototypeSynapseConfig,
  type PrototypeSynapseOptions,
} from './models/prototype-synapse.js';
export {
  clamConfigSchema,
  clamTrainingSchema,
  fillSchema,
  resolveSteps,
  type ClamConfig,
  type ClamConfigInput,
  type ClamTrainingSettings,
  type FillRule,
} from './models/clam-schema.js';
export { clamSystem, CLAM_LAYER, CLAM_TERM, type ClamSystemOptions } from './models/clam-dynamics.js';
export { maskedBatches, fillValues, hiddenCount, type ClamBatch, type MaskedBatchOptions } from './models/masked-batches.js';
export { completionLoss, complete, maskedInput, type CompletionSetup } from './models/completion-loss.js';
export { ClamModel, CLAM_KIND, type SettleOptions } from './models/clam-model.js';

export { Clam, type ClamFitEvent, type ClamEpoch } from './clusterer/clam.js';
export { clamOptionsSchema, type ClamOptions, type ResolvedClamOptions } from './clusterer/clam-options.js';

export { silhouetteScore, silhouetteSamples, type SilhouetteOptions } from './metrics/silhouette.js';
export { adjustedRandIndex } from './metrics/adjusted-rand.js';
export { inertiaOf } from './metrics/inertia.js';

export { kMeans, type KMeansOptions, type KMeansResult, type CentroidClustering } from './baselines/kmeans.js';
export { softKMeans, type SoftKMeansOptions } from './baselines/soft-kmeans.js';
export { agglomerative, type Linkage } from './baselines/agglomerative.js';

export { readMatrix, type HostMatrix, type DataInput, type FlatData } from './internal/host-matrix.js';
export { standardize, fitStandardization, applyStandardization, type Standardization } from './datasets/standardize.js';
export {
  SHIPPED_DATASETS,
  shippedDataset,
  shippedDatasetFromText,
  loadShippedDatasetFromUrl,
  type ShippedDataset,
  type ShippedTable,
  type ShippedDatasetUrlOptions,
} from './datasets/catalogue.js';
export { gaussianBlobs, type BlobOptions, type Blobs } from './datasets/blobs.js';
export { parseLabelledTable, type LabelledTable } from './datasets/parse.js';
export { shippedDatasetOptionsSchema, blobsOptionsSchema, shippedArrayDataset } from './datasets/registry.js';

export { searchClam, silhouetteOrMinusOne, PAPER_GRID, BANK_MAX_FEATURES, type SearchGrid, type SearchTrial, type SearchResult, type SearchBase, type SearchOptions } from './experiments/search.js';
export { trainBank, type BankConfig, type BankOutcome, type BankOptions } from './experiments/grid-bank.js';
export { kmeansBaseline, softKmeansBaseline, agglomerativeBaseline, SOFT_KMEANS_STIFFNESS, LINKAGES, type BaselineOutcome } from './experiments/baseline-suite.js';
export { benchmarkDataset, type BenchmarkRow, type BenchmarkSettings, type MethodScore } from './experiments/benchmark.js';
export { landscape2d, type Landscape, type LandscapeOptions } from './experiments/landscape.js';
export { fashionMnistExperimentOn, type FashionMnistOptions, type FashionMnistResult, type FashionMnistScore } from './experiments/fashion-mnist.js';

export { comparisonTable, acceptanceSummary } from './experiments/table.js';
export { silhouetteBarsSvg, trajectoriesSvg, landscapeSvg } from './experiments/plots.js';

declare module '@engram/core' {
  interface ModelKinds {
    'clam/clam': { config: ClamConfigInput; model: ClamModel };
  }
}

export default clamPlugin;
