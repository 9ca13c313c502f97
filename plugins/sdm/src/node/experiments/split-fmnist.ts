/**
 * Split Fashion-MNIST with the data read from disk: the Debian package's full
 * set when installed, else the committed subset (or `dataDir`).
 */
import { parseConfig, z } from '@engram/core';
import { loadFashionMnist } from '@engram/data/node';
import { runSplitProtocol, splitProtocolSchema, type SplitFashionMnistResult, type SplitProgress } from '../../experiments/split-fmnist.js';

/** Options of {@link runSplitFashionMnist}: the protocol's, and where the data comes from. */
export const splitSchema = splitProtocolSchema.extend({
  source: z.enum(['auto', 'full', 'subset']).default('auto').describe('Fashion-MNIST: full (installed), subset (committed) or auto'),
  dataDir: z.string().min(1).optional().describe('directory of the Fashion-MNIST IDX files (default: the Debian package)'),
});
/** Options of {@link runSplitFashionMnist}, as given. */
export type SplitFashionMnistOptions = z.input<typeof splitSchema>;

/**
 * Loads Fashion-MNIST from disk and runs the protocol ({@link runSplitProtocol})
 * for every model and seed. Frees every tensor it makes. Bad options reject
 * with ENGRAM_ERR_INVALID_CONFIG before any file is read.
 */
export async function runSplitFashionMnist(options: SplitFashionMnistOptions = {}, onProgress?: (p: SplitProgress) => void): Promise<SplitFashionMnistResult> {
  const { source, dataDir, ...protocol } = parseConfig(splitSchema, options, 'split-fmnist', 'options');
  const dir = dataDir ? { dir: dataDir } : {};
  const train = loadFashionMnist({ split: 'train', source, ...dir });
  const test = loadFashionMnist({ split: 'test', source, ...dir, ...(protocol.testLimit ? { limit: protocol.testLimit } : {}) });
  return runSplitProtocol({ train, test }, protocol, onProgress);
}
