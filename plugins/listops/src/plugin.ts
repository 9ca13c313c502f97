/**
 * @engram/listops as an engram plugin for any platform: the model kind
 * 'listops/transformer'. `@engram/listops/node` exports the same-named plugin
 * that also registers the `listops` study command.
 */
import { definePlugin } from '@engram/core';
import { ListOpsTransformer } from './models/transformer.js';
import { transformerConfigSchema } from './models/transformer-config.js';

/** The plugin object (also the package's default export). */
export const listOpsPlugin = definePlugin({
  name: 'listops',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'ListOps generator, small transformers with parameter counting, and the task-difficulty study of Both et al. (2025)',
  register(ctx) {
    ctx.model('transformer', {
      schema: transformerConfigSchema,
      example: { width: 8, layers: 1, generator: { maxDepth: 1, maxArgs: 3 } },
      create: (config) => new ListOpsTransformer(config),
      description: 'small GPT-style transformer over ListOps expressions (chain of thought or answer classification)',
    });
  },
});

export default listOpsPlugin;
