/**
 * The graph anomaly experiment behind `engram et-graph`: on the seeded
 * PyGOD-style benchmark graph (the graph ET's default data), trains the graph
 * ET through its training face (`trainModel`) on a labelled subset of the
 * nodes, and reports test ROC-AUC on the unlabelled nodes against, in the same
 * run, a feature-only MLP trained on the same labels and two hand-made
 * detectors.
 */
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { parseConfig, trainModel, trainStream, type Engram, type TrainEvent } from '@engram/core';
import { constantVariable, normalVariable } from '../internal/variables.js';
import { graphTrainingSet, weightedBce } from '../models/graph-data.js';
import { GraphEnergyTransformer } from '../models/graph.js';
import { graphTrainingSchema, type GraphOptions } from '../models/graph-schema.js';
import { degreeFeatureHeuristic, neighbourhoodHeuristic } from './heuristics.js';
import { rocAuc } from './roc.js';

/** Options of {@link runGraphExperiment}. */
export interface GraphExperimentOptions {
  /** The registry trainModel is given. */
  engram: Engram;
  /** Nodes of the benchmark graph (default 600) and its anomalies (defaults: 5% in cliques, 5% contextual). */
  nodes?: number;
  /** Node features of the generator (default 16; the model reads them plus the log-degree). */
  features?: number;
  cliques?: number;
  cliqueSize?: number;
  contextual?: number;
  /** Fraction of nodes whose labels are used for training (default 0.3). */
  labelled?: number;
  /** Full-graph optimisation steps of both trained models (default 30). */
  epochs?: number;
  lr?: number;
  /** Positional encodings per node (default 8). */
  encodingSize?: number;
  /** The block of the graph ET (default D 32, 4 heads of 8, M 128, T 12). */
  block?: GraphOptions['block'];
  seed?: number;
  onEvent?: (model: 'et' | 'mlp', ev: TrainEvent) => void;
}

/** Test ROC-AUCs (on the unlabelled nodes) of the detectors. */
export interface GraphExperimentResult {
  etAuc: number;
  mlpAuc: number;
  heuristicAuc: number;
  /** The graph-aware reference detector {@link neighbourhoodHeuristic}. */
  neighbourhoodAuc: number;
  /** The same AUCs restricted to normal nodes plus one kind of anomaly (NaN when no such anomaly is unlabelled). */
  byKind: Record<'structural' | 'contextual', { et: number; mlp: number; heuristic: number; neighbourhood: number }>;
  nodes: number;
  anomalies: number;
  labelledNodes: number;
  seconds: { et: number; mlp: number };
}

/** Runs the experiment (see the module comment). */
export async function runGraphExperiment(o: GraphExperimentOptions): Promise<GraphExperimentResult> {
  const seed = o.seed ?? 0;
  const settings = parseConfig(
    graphTrainingSchema,
    {
      epochs: o.epochs ?? 30,
      lr: o.lr ?? 3e-3,
      labelled: o.labelled ?? 0.3,
      seed,
      ...(o.cliques !== undefined ? { cliques: o.cliques } : {}),
      ...(o.cliqueSize !== undefined ? { cliqueSize: o.cliqueSize } : {}),
      ...(o.contextual !== undefined ? { contextual: o.contextual } : {}),
    },
    'the graph experiment',
    'training settings',
  );
  const nodes = o.nodes ?? 600;
  const encodingSize = o.encodingSize ?? 8;
  // The same seeded graph, labels and split the model's training face uses (rebuilt here to evaluate).
  const probe = graphTrainingSet({ nodes, features: (o.features ?? 16) + 1, encodingSize }, settings);
  probe.data.dispose?.();
  const { graph: g, inputs, labelled } = probe;
  const n = g.n;
  const F = g.featureDim;
  const et = new GraphEnergyTransformer({ features: inputs.featureSize, nodes, encodingSize, ...(o.block !== undefined ? { block: o.block } : {}), seed });
  const testIdx = Array.from({ length: n }, (_, i) => i).filter((i) => !labelled[i]);
  const testAuc = (scores: ArrayLike<number>, kind?: 1 | 2): number => {
    // With `kind`, only normal nodes and anomalies of that kind count (per-kind AUC).
    const idx = kind === undefined ? testIdx : testIdx.filter((i) => g.kind[i] === 0 || (g.kind[i]! & kind) !== 0);
    const labels = idx.map((i) => g.labels[i]!);
    // A small graph may leave no anomaly of a kind among the unlabelled nodes: no AUC then.
    if (kind !== undefined && !labels.includes(1)) return NaN;
    return rocAuc(idx.map((i) => scores[i]!), labels);
  };
  const X = inputs.standardized;
  const featsMlp = tf.tensor2d(X, [n, F]);
  const labelsT = tf.tensor1d(Float32Array.from(g.labels));
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < n; i++) if (labelled[i]) (g.labels[i] ? pos++ : neg++);
  const weightsT = tf.tensor1d(Float32Array.from(labelled, (t, i) => (t ? (g.labels[i] ? neg / pos : 1) : 0)));
  const mlp = {
    w1: normalVariable('w1', [F, 64], 1 / Math.sqrt(F), seed + 901),
    b1: constantVariable([64], 0),
    w2: normalVariable('w2', [64, 1], 1 / 8, seed + 902),
    b2: constantVariable([1], 0),
  };
  const mlpLogits = (): tf.Tensor1D => tf.tidy(() => tf.reshape(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(featsMlp, mlp.w1), mlp.b1)), mlp.w2), mlp.b2), [-1]) as tf.Tensor1D);
  try {
    const t0 = Date.now();
    await lastValueFrom(trainModel(et, { engram: o.engram, settings }).pipe(tap((ev) => o.onEvent?.('et', ev)), toArray()));
    const etSeconds = (Date.now() - t0) / 1000;
    const etScores = tf.tidy(() =>
      et.logits({ features: tf.tensor2d(inputs.features, [n, inputs.featureSize]), encodings: tf.tensor2d(inputs.encodings, [n, encodingSize]), adjacency: tf.tensor2d(inputs.adjacency, [n, n]) }).dataSync(),
    ) as Float32Array;
    const t1 = Date.now();
    const opt = tf.train.adam(settings.lr);
    await lastValueFrom(
      trainStream<number>({
        variables: Object.values(mlp),
        optimizer: opt,
        epochs: settings.epochs,
        batches: () => [0],
        loss: () => weightedBce(mlpLogits(), labelsT, weightsT),
        clipNorm: settings.clipNorm,
        disposeBatch: () => {},
      }).pipe(tap((ev) => o.onEvent?.('mlp', ev)), toArray()),
    );
    opt.dispose();
    const mlpSeconds = (Date.now() - t1) / 1000;
    const mlpScores = tf.tidy(() => mlpLogits().dataSync() as Float32Array);
    const heuristic = degreeFeatureHeuristic(g.adjacency, X, n, F);
    const neighbourhood = neighbourhoodHeuristic(g.adjacency, X, n, F);
    const byKind = (k: 1 | 2) => ({ et: testAuc(etScores, k), mlp: testAuc(mlpScores, k), heuristic: testAuc(heuristic, k), neighbourhood: testAuc(neighbourhood, k) });
    return {
      etAuc: testAuc(etScores),
      mlpAuc: testAuc(mlpScores),
      heuristicAuc: testAuc(heuristic),
      neighbourhoodAuc: testAuc(neighbourhood),
      byKind: { structural: byKind(1), contextual: byKind(2) },
      nodes: n,
      anomalies: g.labels.reduce((s, v) => s + v, 0),
      labelledNodes: pos + neg,
      seconds: { et: etSeconds, mlp: mlpSeconds },
    };
  } finally {
    tf.dispose([featsMlp, labelsT, weightsT, ...Object.values(mlp)]);
    et.dispose();
  }
}
