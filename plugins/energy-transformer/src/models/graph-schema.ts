/** The config of the graph Energy Transformer and its training settings. */
import { trainingSettingsSchema, z } from '@engram/core';
import { blockFields, tokenSize } from './block-schema.js';

/**
 * The graph model's block: the block's keys without `tokens` (the nodes), with
 * D = 32, 4 heads of 8, M = 128, the diagonal excluded (as in the paper) and a
 * larger init (0.1) than the image default: graph training is short and the
 * node energies read out must carry signal from the start.
 */
export const graphBlockSchema = z.strictObject({
  size: tokenSize.default(32),
  ...blockFields({ heads: 4, headSize: 8, memories: 128, excludeDiagonal: true, attentionStd: 0.1, hopfieldStd: 0.1 }),
});

/** energy-transformer/graph: node tokens from features and Laplacian encodings, ET descent on the edges, a node readout. */
export const graphSchema = z.strictObject({
  features: z.number().int().positive().describe('node feature size F'),
  nodes: z.number().int().min(2).describe('nodes n of the graphs it reads (its token count)'),
  encodingSize: z.number().int().positive().default(8).describe('Laplacian positional encodings per node k'),
  block: graphBlockSchema.prefault({}).describe('the ET block (its tokens are the nodes)'),
  seed: z.number().int().default(0).describe('seed of the encoder and readout weights (the block has its own)'),
});

/** A graph ET config as written. */
export type GraphOptions = z.input<typeof graphSchema>;

/** Settings of the graph ET's training: node anomaly detection on a seeded benchmark graph of the model's size. */
export const graphTrainingSchema = trainingSettingsSchema.extend({
  epochs: z.number().int().min(1).default(30).describe('passes over the labelled nodes (a full-graph forward per batch)'),
  batchSize: z.number().int().min(1).default(1024).describe('labelled nodes whose loss one step takes'),
  limit: z.number().int().min(2).default(1024).describe('labelled nodes used at most'),
  lr: z.number().positive().default(3e-3).describe('learning rate'),
  clipNorm: z.number().positive().default(5).describe('clip the global gradient norm to this'),
  labelled: z.number().gt(0).lt(1).default(0.3).describe('fraction of the nodes whose labels are used (stratified)'),
  communities: z.number().int().min(1).default(6).describe('communities of the benchmark graph'),
  meanDegree: z.number().positive().default(8).describe('mean degree of the base graph'),
  homophily: z.number().min(0).max(1).default(0.8).describe("fraction of a node's edges inside its community"),
  cliques: z.number().int().min(0).optional().describe('injected cliques (default: one per 200 nodes)'),
  cliqueSize: z.number().int().min(2).optional().describe('nodes per clique (default nodes / 20 within [3, 10])'),
  contextual: z.number().int().min(0).optional().describe('contextual outliers (default 5% of the nodes)'),
  candidates: z.number().int().min(1).default(50).describe('candidates a contextual outlier takes the farthest features from'),
  degreeTail: z.number().positive().default(1.8).describe('Pareto exponent of the degree propensities'),
});

/** The graph ET's training settings (defaults filled in). */
export type GraphTrainingSettings = z.output<typeof graphTrainingSchema>;
