/**
 * The engram plugin object of @engram/hopfield: registers the Hopfield models
 * under 'hopfield/...' (each with its config schema and a small example) and
 * the DrDAM random-feature memory as the synapse kind 'hopfield/drdam'.
 */
import { definePlugin } from '@engram/core';
import { ClassicalHopfield, classicalSchema } from './models/classical.js';
import { DenseAssociativeMemory, denseSchema } from './models/dense.js';
import { ModernHopfield, modernSchema } from './models/modern.js';
import { DrDAM, drdamSchema } from './models/drdam.js';
import { Hopfield, associationSchema } from './models/association.js';
import { HopfieldPooling, poolingSchema } from './models/pooling.js';
import { HopfieldLayer, layerSchema } from './models/layer.js';
import { drdamSynapse, drdamSynapseSchema } from './synapses/drdam.js';

/** The plugin: seven model kinds and one synapse kind. */
export const hopfieldPlugin = definePlugin({
  name: 'hopfield',
  version: '0.1.0',
  engram: '^0.1.0',
  description: 'Classical, dense, modern and random-feature (DrDAM) Hopfield networks, and the hopfield-layers modules',
  register(ctx) {
    ctx.model('classical', {
      schema: classicalSchema,
      example: { size: 8 },
      create: (c) => new ClassicalHopfield(c),
      description: 'Classical binary Hopfield network (Hebbian / pseudo-inverse), exact ties',
    });
    ctx.model('dense', {
      schema: denseSchema,
      example: { size: 8, memories: 3 },
      create: (c) => new DenseAssociativeMemory(c),
      description: 'Dense associative memory (Krotov-Hopfield / Demircigil) on core separation functions',
    });
    ctx.model('modern', {
      schema: modernSchema,
      example: { size: 8, memories: 4, beta: 2 },
      create: (c) => new ModernHopfield(c),
      description: 'Modern continuous Hopfield network (Ramsauer et al.): core identity layer + memory synapse',
    });
    ctx.model('drdam', {
      schema: drdamSchema,
      example: { size: 4, features: 32, beta: 1 },
      create: (c) => new DrDAM(c),
      description: 'Random-feature dense associative memory (DrDAM, Hoover et al.) on the hopfield/drdam synapse',
    });
    ctx.model('association', {
      schema: associationSchema,
      example: { inputSize: 4, heads: 2 },
      create: (c) => new Hopfield(c),
      description: 'Trainable Hopfield association module (hopfield-layers Hopfield)',
    });
    ctx.model('pooling', {
      schema: poolingSchema,
      example: { inputSize: 4, outputSize: 1 },
      create: (c) => new HopfieldPooling(c),
      description: 'Hopfield pooling with learned queries (hopfield-layers HopfieldPooling)',
    });
    ctx.model('layer', {
      schema: layerSchema,
      example: { inputSize: 4, memories: 4, outputSize: 4 },
      create: (c) => new HopfieldLayer(c),
      description: 'Hopfield layer with learned stored patterns (hopfield-layers HopfieldLayer)',
    });
    ctx.synapse('drdam', {
      schema: drdamSynapseSchema,
      create: (c) => drdamSynapse(c),
      description: 'DrDAM random-feature memory: E = -1/beta log(max(phi(g) . T, eps)), closed-form dE/dg',
    });
  },
});

export default hopfieldPlugin;
