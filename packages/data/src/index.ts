/**
 * @engram/data — real data (an IDX reader/writer, Fashion-MNIST, a committed
 * subset of it) and seeded synthetic patterns and masks for engram's demos,
 * tests and benchmarks.
 *
 * @packageDocumentation
 */
export { type HostArray, hostArrayToTensor, sizeOf } from './host-array.js';
export {
  type IdxDtype,
  type IdxTypedArrays,
  type IdxArray,
  type ReadIdxOptions,
  IDX_TYPE_CODES,
  IDX_ELEMENT_BYTES,
  IDX_MAX_BYTES,
  isGzip,
  parseIdx,
  decodeIdxAsync,
} from './idx.js';
export { encodeIdx } from './idx-write.js';
export {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_DEFAULT_DIR,
  FASHION_MNIST_DIR_ENV,
  FASHION_MNIST_INSTALL_HINT,
  type FashionMnistSplit,
  type FashionMnistSource,
  type LoadFashionMnistOptions,
  type FashionMnistSet,
  type FashionMnistOrigin,
  FASHION_MNIST_FILES,
  fashionMnistFromIdx,
} from './fashion-mnist.js';
export { loadFashionMnistFromUrl, type FashionMnistUrlOptions } from './fashion-mnist-url.js';
export { type FashionMnistTensorOptions, type FashionMnistTensors, fashionMnistToTensors } from './fashion-mnist-tensors.js';
export { balancedSubsetIndices } from './subset.js';
export { type Rng, createRng } from './rng.js';
export {
  type Patterns,
  type PatternOptions,
  type BinaryPatternOptions,
  type ZeroOnePatternOptions,
  type GaussianPatternOptions,
  binaryPatterns,
  zeroOnePatterns,
  gaussianPatterns,
  patternsToTensor,
} from './generators.js';
export {
  type CorrelationStructure,
  type CorrelatedPatternOptions,
  type CorrelatedPatterns,
  correlatedPatterns,
} from './correlated.js';
export {
  type ManifoldBlock,
  type LinearManifoldOptions,
  type LinearManifoldPoints,
  DEFAULT_MANIFOLD_BLOCKS,
  linearManifoldPoints,
} from './manifold.js';
export { type OcclusionKind, occlusionMask, invertMask, applyMask } from './masks.js';
export {
  dataPlugin,
  dataPlugin as default,
  createDataPlugin,
  fashionMnistDataset,
  FASHION_MNIST_DEFAULT_URL,
  fashionMnistOptionsSchema,
  binaryPatternsOptionsSchema,
  gaussianPatternsOptionsSchema,
  type FashionMnistDatasetOptions,
} from './plugin.js';
