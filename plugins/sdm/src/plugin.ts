/** The 'sdm' plugin: registers the SDMLP model ('sdm/sdmlp') and the `split-fmnist` experiment command. */
import { definePlugin } from '@engram/core';
import { Sdmlp } from './sdmlp.js';
import { SPLIT_USAGE, runSplitCommand } from './split-command.js';

/** The plugin object (default export of @engram/sdm). */
export const sdmPlugin = definePlugin({
  name: 'sdm',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Sparse Distributed Memory as a continual learner: the SDMLP with GABA-switch Top-K (Bricken et al., ICLR 2023)',
  register(ctx) {
    ctx.model('sdmlp', (config) => new Sdmlp(config), 'SDMLP: L2-normalised non-negative addresses, GABA-switch Top-K, non-negative readout');
    ctx.command('split-fmnist', (args, io) => runSplitCommand(args, io), {
      description: 'Class-incremental Split Fashion-MNIST: SDMLP against ReLU (SGD, Adam) and Top-K MLPs',
      usage: SPLIT_USAGE,
    });
  },
});
