/**
 * The graph ET's default data: the seeded PyGOD-style benchmark graph with the
 * model's node count, a stratified labelled subset, and batches of labelled
 * nodes (each step runs the whole graph and takes the loss on a batch's nodes,
 * class-balanced), with random sign flips of the Laplacian encodings (they are
 * only defined up to sign).
 */
import * as tf from '@tensorflow/tfjs';
import { errors, type TrainingData } from '@engram/core';
import { createRng } from '@engram/data';
import { anomalyGraph, type AnomalyGraph } from '../data/anomaly-graph.js';
import { anomalyGraphInputs, type GraphInputArrays } from '../data/graph-inputs.js';
import type { GraphTrainingSettings } from './graph-schema.js';

/** A graph's model inputs as tensors (shared by every batch of a training run). */
export interface GraphTensors {
  features: tf.Tensor2D;
  encodings: tf.Tensor2D;
  adjacency: tf.Tensor2D;
  labels: tf.Tensor1D;
}

/** One step's batch: loss weights per node (0 off the batch) and encoding signs [1, k]. */
export interface GraphBatch {
  weights: tf.Tensor1D;
  signs: tf.Tensor2D;
  /** Not disposed with the batch (a nested object): disposed with the data. */
  graph: GraphTensors;
}

/** The default data of a graph ET, with what an experiment needs to evaluate on the unlabelled nodes. */
export interface GraphTrainingSet {
  data: TrainingData<GraphBatch>;
  graph: AnomalyGraph;
  inputs: GraphInputArrays;
  /** 1 for the labelled (training) nodes. */
  labelled: Uint8Array;
}

/** The benchmark graph for a model with `nodes` nodes and `features` input features (the generator's features plus the log-degree). */
export function benchmarkGraph(nodes: number, features: number, s: GraphTrainingSettings): AnomalyGraph {
  if (features < 2) {
    throw errors.invalidArgument('features of a graph ET trained on its default data', 'at least 2 (the benchmark features plus the log-degree)', features);
  }
  return anomalyGraph({
    nodes,
    features: features - 1,
    communities: s.communities,
    meanDegree: s.meanDegree,
    homophily: s.homophily,
    candidates: s.candidates,
    degreeTail: s.degreeTail,
    seed: s.seed,
    ...(s.cliques !== undefined ? { cliques: s.cliques } : {}),
    ...(s.cliqueSize !== undefined ? { cliqueSize: s.cliqueSize } : {}),
    ...(s.contextual !== undefined ? { contextual: s.contextual } : {}),
  });
}

/** Stratified labelled nodes: the same fraction of each class (at least one each), at most `limit` in all. */
function labelledNodes(g: AnomalyGraph, fraction: number, limit: number, seed: number): Uint8Array {
  const rng = createRng(seed + 77);
  const out = new Uint8Array(g.n);
  const classes = [0, 1].map((cls) => Array.from({ length: g.n }, (_, i) => i).filter((i) => g.labels[i] === cls));
  if (classes.some((c) => c.length === 0)) throw errors.invalidArgument('benchmark graph', 'both normal and anomalous nodes', 'one class only');
  let quota = classes.map((c) => Math.max(1, Math.round(fraction * c.length)));
  const total = quota.reduce((a, b) => a + b, 0);
  if (total > limit) quota = quota.map((q) => Math.max(1, Math.floor((q * limit) / total)));
  classes.forEach((members, k) => {
    rng.shuffle(members);
    for (const i of members.slice(0, quota[k])) out[i] = 1;
  });
  return out;
}

/** The default data of a graph ET of `nodes` nodes, `features` features and `encodingSize` encodings. */
export function graphTrainingSet(model: { nodes: number; features: number; encodingSize: number }, s: GraphTrainingSettings): GraphTrainingSet {
  const graph = benchmarkGraph(model.nodes, model.features, s);
  const inputs = anomalyGraphInputs(graph, model.encodingSize);
  const labelled = labelledNodes(graph, s.labelled, s.limit, s.seed);
  const n = graph.n;
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < n; i++) if (labelled[i]) (graph.labels[i] ? pos++ : neg++);
  const nodeWeight = (i: number): number => (graph.labels[i] ? neg / pos : 1);
  const train = Array.from({ length: n }, (_, i) => i).filter((i) => labelled[i]);
  const batchSize = Math.min(s.batchSize, train.length);
  const perEpoch = Math.ceil(train.length / batchSize);
  const k = model.encodingSize;
  const tensors: GraphTensors = {
    features: tf.tensor2d(inputs.features, [n, inputs.featureSize]),
    encodings: tf.tensor2d(inputs.encodings, [n, k]),
    adjacency: tf.tensor2d(inputs.adjacency, [n, n]),
    labels: tf.tensor1d(Float32Array.from(graph.labels)),
  };
  // One stream of sign flips across the run (a step draws k signs), as in the first release.
  const signRng = createRng(s.seed + 5);
  const data: TrainingData<GraphBatch> = {
    batchesPerEpoch: perEpoch,
    *batches(epoch: number) {
      const order = perEpoch > 1 ? createRng(s.seed * 1000 + epoch + 1).permutation(train.length) : Int32Array.from(train.keys());
      for (let b = 0; b < perEpoch; b++) {
        const w = new Float32Array(n);
        for (let r = b * batchSize; r < Math.min((b + 1) * batchSize, train.length); r++) {
          const i = train[order[r]!]!;
          w[i] = nodeWeight(i);
        }
        const signs = Float32Array.from({ length: k }, () => (signRng.uniform() < 0.5 ? -1 : 1));
        yield { weights: tf.tensor1d(w), signs: tf.tensor2d(signs, [1, k]), graph: tensors };
      }
    },
    dispose: () => tf.dispose([tensors.features, tensors.encodings, tensors.adjacency, tensors.labels]),
  };
  return { data, graph, inputs, labelled };
}

/** Class-balanced binary cross-entropy with logits over the nodes where `weights` > 0. */
export function weightedBce(logits: tf.Tensor1D, labels: tf.Tensor1D, weights: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    // softplus(z) - y z, stable for both signs.
    const l = tf.sub(tf.softplus(logits), tf.mul(labels, logits));
    return tf.div(tf.sum(tf.mul(weights, l)), tf.maximum(tf.sum(weights), 1e-12)) as tf.Scalar;
  });
}
