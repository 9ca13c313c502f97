/**
 * `engram et-graph`: the graph anomaly-detection experiment (see
 * runGraphExperiment); prints the ROC-AUCs and writes results.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z, type CommandDefinitionEntry } from '@engram/core';
import { runGraphExperiment } from '../../experiments/graph-anomaly.js';
import { progressLine } from './progress.js';

/** The options of `engram et-graph` (one flag per key). */
export const etGraphOptions = z.strictObject({
  out: z.string().min(1).default('engram-out/et-graph').describe('output directory (results.json)'),
  nodes: z.number().int().min(10).default(600).describe('nodes of the benchmark graph'),
  features: z.number().int().positive().default(16).describe('node features of the benchmark graph'),
  cliques: z.number().int().min(0).optional().describe('injected cliques (default one per 200 nodes)'),
  cliqueSize: z.number().int().min(2).optional().describe('nodes per clique (default nodes / 20 within [3, 10])'),
  contextual: z.number().int().min(0).optional().describe('contextual outliers (default 5% of the nodes)'),
  labelled: z.number().gt(0).lt(1).default(0.3).describe('fraction of the nodes whose labels train the models'),
  epochs: z.number().int().positive().default(30).describe('full-graph training steps of the ET and the MLP'),
  lr: z.number().positive().default(3e-3).describe('Adam learning rate'),
  size: z.number().int().min(2).default(32).describe('token size D'),
  heads: z.number().int().positive().default(4).describe('attention heads'),
  headSize: z.number().int().positive().optional().describe('key/query size per head (default size / heads)'),
  memories: z.number().int().positive().optional().describe('Hopfield memories (default 4 size)'),
  maxSteps: z.number().int().min(0).default(12).describe('descent steps T'),
  encodingSize: z.number().int().positive().default(8).describe('Laplacian positional encodings per node'),
  seed: z.number().int().default(0).describe('seed of the graph, the split and the weights'),
});

/** Parsed options of `engram et-graph`. */
export type EtGraphOptions = z.output<typeof etGraphOptions>;

/** The `et-graph` command. */
export const etGraphCommand: CommandDefinitionEntry<typeof etGraphOptions> = {
  description: 'Graph anomaly detection (injected cliques and contextual outliers): ET vs feature MLP vs degree/feature heuristic',
  options: etGraphOptions,
  details: 'Writes results.json under --out.',
  async run({ options: o }, io, engram) {
    const r = await runGraphExperiment({
      engram,
      nodes: o.nodes,
      features: o.features,
      ...(o.cliques !== undefined ? { cliques: o.cliques } : {}),
      ...(o.cliqueSize !== undefined ? { cliqueSize: o.cliqueSize } : {}),
      ...(o.contextual !== undefined ? { contextual: o.contextual } : {}),
      labelled: o.labelled,
      epochs: o.epochs,
      lr: o.lr,
      encodingSize: o.encodingSize,
      seed: o.seed,
      block: {
        size: o.size,
        heads: o.heads,
        headSize: o.headSize ?? Math.max(1, Math.floor(o.size / o.heads)),
        memories: o.memories ?? 4 * o.size,
        maxSteps: o.maxSteps,
      },
      onEvent: (model, ev) => {
        if (ev.type === 'epoch' && ((ev.epoch + 1) % 10 === 0 || ev.epoch + 1 === ev.epochs)) io.stderr(`${progressLine(`${model} step`, ev.epoch + 1, ev.epochs, `loss ${ev.loss.toFixed(4)}`)}\n`);
      },
    });
    const out = resolve(io.cwd, o.out);
    await mkdir(out, { recursive: true });
    const file = join(out, 'results.json');
    await writeFile(file, `${JSON.stringify({ ...r, options: o, backend: tf.getBackend() }, null, 2)}\n`);
    const f = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(4));
    io.stdout(
      [
        `node anomaly detection, ROC-AUC on the ${r.nodes - r.labelledNodes} unlabelled nodes (${r.nodes} nodes, ${r.anomalies} anomalies, ${r.labelledNodes} labelled; backend ${tf.getBackend()}):`,
        `  energy transformer          ${f(r.etAuc)}  (structural ${f(r.byKind.structural.et)}, contextual ${f(r.byKind.contextual.et)}; ${r.seconds.et.toFixed(0)} s)`,
        `  feature-only MLP            ${f(r.mlpAuc)}  (structural ${f(r.byKind.structural.mlp)}, contextual ${f(r.byKind.contextual.mlp)})`,
        `  degree/feature heuristic    ${f(r.heuristicAuc)}  (structural ${f(r.byKind.structural.heuristic)}, contextual ${f(r.byKind.contextual.heuristic)})`,
        `  neighbourhood heuristic     ${f(r.neighbourhoodAuc)}  (reference: hand-made for this injection protocol)`,
        `results: ${file}`,
        '',
      ].join('\n'),
    );
    return 0;
  },
};
