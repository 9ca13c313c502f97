/** The 'diffusion' plugin: models 'diffusion/score' and 'diffusion/exact', commands diffusion-sweep and diffusion-manifold. */
import { definePlugin, type JsonObject } from '@engram/core';
import { ExactDenoiser, type ExactDenoiserConfig } from './exact.js';
import { ScoreModel, type ScoreModelConfig } from './score-model.js';
import { MANIFOLD_USAGE, runManifoldCommand } from './commands/manifold-command.js';
import { SWEEP_USAGE, runSweepCommand } from './commands/sweep-command.js';

/** The plugin object (default export of @engram/diffusion). */
export const diffusionPlugin = definePlugin({
  name: 'diffusion',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Diffusion models as associative memories: EDM denoisers, samplers on the dynamics engine, the exact (Hopfield) denoiser, memorization experiments',
  register(ctx) {
    ctx.model('score', (config: JsonObject) => new ScoreModel(config as unknown as ScoreModelConfig), 'Sigma-conditioned MLP denoiser with EDM preconditioning (denoising score matching)');
    ctx.model('exact', (config: JsonObject) => new ExactDenoiser(config as unknown as ExactDenoiserConfig), 'Optimal denoiser of a finite set: a modern Hopfield update with beta = 1/sigma^2');
    ctx.command('diffusion-sweep', (args, io) => runSweepCommand(args, io), {
      description: 'Memorized / spurious / generalized samples vs training-set size on Fashion-MNIST 14x14',
      usage: SWEEP_USAGE,
    });
    ctx.command('diffusion-manifold', (args, io) => runManifoldCommand(args, io), {
      description: 'Geometric memorization: manifold dimensions kept per variance block vs training-set size',
      usage: MANIFOLD_USAGE,
    });
  },
});
