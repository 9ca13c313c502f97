/**
 * engram-plugin-softsign — example (b): a third-party plugin. It imports nothing
 * but @engram/core's public entry point, and is loaded by package name:
 *
 *   const engram = await createEngram({ plugins: ['engram-plugin-softsign'] });
 *   engram.lagrangian('softsign/softsign');
 *   engram.synapse('softsign/cosine-memory', { memories: 10, features: 784 });
 */
import { definePlugin } from '@engram/core';
import { cosineMemory } from './cosine-memory.js';
import { softsign } from './softsign.js';

export { softsign } from './softsign.js';
export { cosineMemory } from './cosine-memory.js';

const plugin = definePlugin({
  name: 'softsign',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'A softsign Lagrangian and a cosine-similarity memory synapse (example third-party plugin)',
  register(ctx) {
    ctx.lagrangian('softsign', softsign, 'softsign: L = |x| - log(1+|x|), g = x/(1+|x|)');
    ctx.synapse('cosine-memory', cosineMemory, 'cosine-similarity memory: -(1/beta) lse(beta cos(Xi, g))');
  },
});

export default plugin;
