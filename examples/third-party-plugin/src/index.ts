/**
 * engram-plugin-softsign — example (b): a third-party plugin. It imports nothing
 * but @engram/core's public entry point, and is loaded by package name:
 *
 *   const engram = await createEngram({ plugins: ['engram-plugin-softsign'] });
 *   engram.lagrangian('softsign/softsign');
 *   engram.synapse('softsign/cosine-memory', { memories: 10, size: 784 });
 */
import { definePlugin } from '@engram/core';
import { cosineMemory, cosineMemorySchema } from './cosine-memory.js';
import { softsign, softsignSchema } from './softsign.js';

export { softsign, softsignSchema } from './softsign.js';
export { cosineMemory, cosineMemorySchema } from './cosine-memory.js';

const plugin = definePlugin({
  name: 'softsign',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'A softsign Lagrangian and a cosine-similarity memory synapse (example third-party plugin)',
  register(ctx) {
    ctx.lagrangian('softsign', { schema: softsignSchema, create: (p) => softsign(p), description: 'softsign: L = |x| - log(1+|x|), g = x/(1+|x|)' });
    ctx.synapse('cosine-memory', { schema: cosineMemorySchema, create: (c) => cosineMemory(c), description: 'cosine-similarity memory: -(1/beta) lse(beta cos(Xi, g))' });
  },
});

export default plugin;
