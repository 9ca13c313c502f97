/**
 * @engram/data/node — data on Node: IDX files (synchronous decoding, reading,
 * writing), Fashion-MNIST from disk (Debian's package or the committed subset),
 * and the data plugin reading from disk (its default export; the CLI loads it).
 *
 * @packageDocumentation
 */
export { decodeIdx, readIdx } from './idx-files.js';
export { encodeIdxGzip, writeIdx, type EncodeIdxOptions } from './idx-write-files.js';
export { resolveFashionMnistDir, hasFashionMnist, loadFashionMnist, loadFashionMnistSubset } from './fashion-mnist-files.js';
export { FASHION_MNIST_SUBSET_DIR } from './fixtures.js';
export { dataPlugin, dataPlugin as default } from './plugin.js';
