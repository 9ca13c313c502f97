/** ClAM and k-means on Fashion-MNIST read from disk (Debian's dataset-fashion-mnist, the test split). */
import { loadFashionMnist } from '@engram/data/node';
import { fashionMnistExperimentOn, type FashionMnistOptions, type FashionMnistResult } from '../../experiments/fashion-mnist.js';

/** Loads the images (needs `apt-get install dataset-fashion-mnist`), clusters them, scores both methods. */
export async function fashionMnistExperiment(options: FashionMnistOptions = {}): Promise<FashionMnistResult> {
  const set = loadFashionMnist({ split: 'test', source: 'full', limit: options.count ?? 10000 });
  return fashionMnistExperimentOn(set, options);
}
