/**
 * The 'sequence' plugin for any platform: registers the five sequence memories
 * by id (configs checked by their schemas). `@engram/sequence/node` exports the
 * same-named plugin that also registers the `capacity` command.
 */
import { definePlugin } from '@engram/core';
import { BipartiteNet, bipartiteNetSchema } from './models/bipartite.js';
import { DenseNet, denseNetSchema } from './models/dense.js';
import { GpiNet, gpiNetSchema } from './models/gpi.js';
import { MixedNet, mixedNetSchema } from './models/mixed.js';
import { SeqNet, seqNetSchema } from './models/seqnet.js';

/** The plugin object for browsers and Node (named and default export of @engram/sequence). */
export const sequencePlugin = definePlugin({
  name: 'sequence',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Long-sequence Hopfield memory: SeqNet, DenseNet, pseudoinverse rule, MixedNet, bipartite form (Chaudhry et al. 2023)',
  register(ctx) {
    ctx.model('seqnet', {
      schema: seqNetSchema,
      example: { size: 16, length: 3, seed: 1 },
      create: (config) => new SeqNet(config),
      description: 'SeqNet: asymmetric Hebbian sequence memory, F(x) = x',
    });
    ctx.model('dense', {
      schema: denseNetSchema,
      example: { size: 16, length: 4, separation: { kind: 'power', n: 2 }, seed: 1 },
      create: (config) => new DenseNet(config),
      description: "DenseNet for sequences: F = x^n ('power') or exp((N-1)(x-1)) ('exp')",
    });
    ctx.model('gpi', {
      schema: gpiNetSchema,
      example: { size: 16, length: 4, bias: 0.75, separation: { kind: 'power', n: 2 }, seed: 1 },
      create: (config) => new GpiNet(config),
      description: 'DenseNet with the generalized pseudoinverse rule (correlated patterns)',
    });
    ctx.model('mixed', {
      schema: mixedNetSchema,
      example: { size: 16, length: 3, delay: 2, symmetric: { kind: 'power', n: 4 }, seed: 1 },
      create: (config) => new MixedNet(config),
      description: 'MixedNet: symmetric + lambda x delayed asymmetric term; each element held ~delay steps',
    });
    ctx.model('bipartite', {
      schema: bipartiteNetSchema,
      example: { size: 16, length: 4, separation: { kind: 'power', n: 3 }, seed: 1 },
      create: (config) => new BipartiteNet(config),
      description: 'Two-layer DenseNet for sequences: one hidden unit per transition',
    });
  },
});

export default sequencePlugin;
