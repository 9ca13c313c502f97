/**
 * The 'sequence' plugin: registers the five sequence memories by id and the
 * `capacity` experiment command.
 */
import { definePlugin, errors, type JsonObject } from '@engram/core';
import { BipartiteSequenceNet } from './bipartite.js';
import { runCapacityCommand, CAPACITY_USAGE } from './capacity-command.js';
import { MixedNet } from './mixed-net.js';
import { SequenceNetwork, type SequenceNetworkKind } from './sequence-network.js';
import { parseSeparation } from './separation.js';
import type { SequencePatternsOptions } from './internal/base.js';

/** Pattern sizes and seed from a JSON config (the weights replace the patterns when loading). */
function patternOptions(config: JsonObject): SequencePatternsOptions {
  if ('patterns' in config) {
    throw errors.invalidArgument('config.patterns', 'absent: patterns are weights (setWeights) or random from neurons/length/sequences/seed', 'an array');
  }
  const o: SequencePatternsOptions = {};
  for (const k of ['neurons', 'length', 'sequences', 'seed', 'bias'] as const) {
    if (config[k] !== undefined) o[k] = config[k] as number;
  }
  return o;
}

function network(kind: SequenceNetworkKind, config: JsonObject): SequenceNetwork {
  return new SequenceNetwork(kind, {
    ...patternOptions(config),
    ...(config['separation'] !== undefined && kind !== 'sequence/seqnet' ? { separation: parseSeparation(config['separation']) } : {}),
    ...(config['excludeSelf'] !== undefined ? { excludeSelf: config['excludeSelf'] as boolean } : {}),
    ...(config['rcond'] !== undefined ? { rcond: config['rcond'] as number } : {}),
  });
}

/** The plugin object (default export of @engram/sequence). */
export const sequencePlugin = definePlugin({
  name: 'sequence',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Long-sequence Hopfield memory: SeqNet, DenseNet, pseudoinverse rule, MixedNet, bipartite form (Chaudhry et al. 2023)',
  register(ctx) {
    ctx.model('seqnet', (config) => network('sequence/seqnet', config), 'SeqNet: asymmetric Hebbian sequence memory, f(x) = x');
    ctx.model('dense', (config) => network('sequence/dense', config), 'DenseNet for sequences: f(x) = x^d or exp((N-1)(x-1))');
    ctx.model('gpi', (config) => network('sequence/gpi', config), 'DenseNet with the generalized pseudoinverse rule (correlated patterns)');
    ctx.model(
      'mixed',
      (config) =>
        new MixedNet({
          ...patternOptions(config),
          ...(config['lambda'] !== undefined ? { lambda: config['lambda'] as number } : {}),
          ...(config['tau'] !== undefined ? { tau: config['tau'] as number } : {}),
          ...(config['symmetric'] !== undefined ? { symmetric: parseSeparation(config['symmetric'], 'symmetric') } : {}),
          ...(config['asymmetric'] !== undefined ? { asymmetric: parseSeparation(config['asymmetric'], 'asymmetric') } : {}),
          ...(config['excludeSelf'] !== undefined ? { excludeSelf: config['excludeSelf'] as boolean } : {}),
        }),
      'MixedNet: symmetric + lambda * delayed asymmetric terms, each element held ~tau steps',
    );
    ctx.model(
      'bipartite',
      (config) =>
        new BipartiteSequenceNet({
          ...patternOptions(config),
          ...(config['separation'] !== undefined ? { separation: parseSeparation(config['separation']) } : {}),
        }),
      'Two-layer DenseNet for sequences: one hidden unit per transition',
    );
    ctx.command('capacity', runCapacityCommand, {
      description: 'Measure DenseNet sequence capacity against N (paper protocol) and plot it with the theory',
      usage: CAPACITY_USAGE,
    });
  },
});
