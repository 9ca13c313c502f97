/**
 * The 'diffusion' plugin for any platform: models 'diffusion/score' and
 * 'diffusion/exact'. `@engram/diffusion/node` exports the same-named plugin
 * that also registers the commands diffusion-sweep and diffusion-manifold.
 */
import { definePlugin } from '@engram/core';
import { ExactDenoiser, exactDenoiserSchema } from './models/exact.js';
import { ScoreModel, scoreModelSchema } from './models/score.js';

/** The plugin object for browsers and Node (also the default export of @engram/diffusion). */
export const diffusionPlugin = definePlugin({
  name: 'diffusion',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Diffusion models as associative memories: EDM denoisers, samplers as their run, the exact (Hopfield) denoiser on core parts, memorization experiments',
  register(ctx) {
    ctx.model('score', {
      schema: scoreModelSchema,
      example: { size: 16, hiddenSize: [16], embedSize: 4 },
      create: (config) => new ScoreModel(config),
      description: 'sigma-conditioned MLP denoiser with EDM preconditioning, trained by denoising score matching; run = reverse sampling',
    });
    ctx.model('exact', {
      schema: exactDenoiserSchema,
      example: { memories: 4, size: 8 },
      create: (config) => new ExactDenoiser(config),
      description: 'optimal denoiser of a finite set: core memory synapse (lse) at beta = 1/sigma^2; run = reverse sampling',
    });
  },
});

export default diffusionPlugin;
