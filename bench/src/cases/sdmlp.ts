/** sdmlp-train: SDMLP training throughput through @engram/sdm's own bench hook (fresh model per run, SGD, batch 128). */
import type { BenchCase } from '../harness.js';
import { importPluginExport } from './plugin-import.js';

type SdmlpBench = (o: { images: number; epochs: number }) => Promise<{ imagesPerSecond: number; seconds: number }>;

const IMAGES = 2048;

/** ms per epoch of 2,048 random 784-pixel images; images/s in `extra`. */
export const sdmlpTrain: BenchCase = {
  name: 'sdmlp-train',
  description: `@engram/sdm SDMLP (N=1000 hidden, k=10), ${IMAGES} images x 1 epoch, batch 128, SGD; ms per epoch`,
  warmup: 1,
  reps: 3,
  async setup() {
    const sdmlpTrainingThroughput = await importPluginExport<SdmlpBench>(['@engram/sdm/bench', '@engram/sdm'], 'sdmlpTrainingThroughput');
    const rates: number[] = [];
    return {
      async run() {
        const r = await sdmlpTrainingThroughput({ images: IMAGES, epochs: 1 });
        rates.push(r.imagesPerSecond);
        return r.seconds * 1000;
      },
      dispose: () => undefined,
      extra: () => ({ images_per_s: Math.round([...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)] ?? 0) }),
    };
  },
};
