/**
 * @engram/listops as an engram plugin: the model kind 'listops/transformer'
 * and the command `engram listops`.
 */
import { definePlugin } from '@engram/core';
import { listOpsCommand } from './commands/listops-command.js';
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
    ctx.command('listops', listOpsCommand);
  },
});

export default listOpsPlugin;
