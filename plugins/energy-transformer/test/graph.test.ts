import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { createEngram, ErrorCodes, initBackend, linalg } from '@engram/core';
import et, {
  anomalyGraph,
  anomalyGraphInputs,
  defaultAnomalies,
  ENCODINGS,
  FEATURES,
  GraphEnergyTransformer,
  laplacianPositionalEncoding,
  normalizedLaplacian,
  rocAuc,
  runGraphExperiment,
  TOKENS,
} from '../src/index.js';
import { codeOf, maxDiff, streamError, tick } from './helpers.js';

describe('energy-transformer/graph', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('the normalised Laplacian of a cycle has the known spectrum 1 - cos(2 pi k / n)', () => {
    const n = 24;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) A[i * n + ((i + 1) % n)] = A[((i + 1) % n) * n + i] = 1;
    const e = linalg.symmetricEigen(normalizedLaplacian(A, n), n);
    const expected = Array.from({ length: n }, (_, k) => 1 - Math.cos((2 * Math.PI * k) / n)).sort((p, q) => p - q);
    expected.forEach((v, i) => expect(e.values[i]).to.be.closeTo(v, 1e-12));
    expect(codeOf(() => normalizedLaplacian([1, 0, 0], 2))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });

  it('positional encodings are the smallest non-trivial eigenvectors (orthogonal to D^1/2 1)', () => {
    const g = anomalyGraph({ nodes: 60, cliques: 1, cliqueSize: 5, contextual: 5, seed: 2 });
    const k = 4;
    const pe = laplacianPositionalEncoding(g.adjacency, g.n, k);
    const L = normalizedLaplacian(g.adjacency, g.n);
    const deg = Array.from({ length: g.n }, (_, i) => g.adjacency.slice(i * g.n, (i + 1) * g.n).reduce((s, v) => s + v, 0));
    const e = linalg.symmetricEigen(L, g.n);
    for (let j = 0; j < k; j++) {
      let dot = 0;
      let res = 0;
      for (let i = 0; i < g.n; i++) {
        dot += Math.sqrt(deg[i]!) * pe[i * k + j]!;
        let s = 0;
        for (let m = 0; m < g.n; m++) s += L[i * g.n + m]! * pe[m * k + j]!;
        res = Math.max(res, Math.abs(s - e.values[j + 1]! * pe[i * k + j]!));
      }
      expect(Math.abs(dot)).to.be.lessThan(1e-3);
      expect(res).to.be.lessThan(1e-5);
    }
    expect(codeOf(() => laplacianPositionalEncoding(g.adjacency, g.n, 0))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });

  it('ROC-AUC handles ties and order', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).to.equal(0.75);
    expect(rocAuc([1, 1, 1, 1], [0, 1, 0, 1])).to.equal(0.5);
    expect(rocAuc([3, 2, 1], [1, 0, 0])).to.equal(1);
    expect(codeOf(() => rocAuc([1, 2], [1, 1]))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });

  it('the benchmark injects the requested anomalies reproducibly, scaled to the graph by default', () => {
    const a = anomalyGraph({ nodes: 100, cliques: 2, cliqueSize: 6, contextual: 8, seed: 4 });
    const b = anomalyGraph({ nodes: 100, cliques: 2, cliqueSize: 6, contextual: 8, seed: 4 });
    expect(Array.from(a.adjacency)).to.deep.equal(Array.from(b.adjacency));
    expect(Array.from(a.kind).filter((k) => k & 1).length).to.equal(12);
    expect(Array.from(a.kind).filter((k) => k & 2).length).to.equal(8);
    const members = Array.from(a.kind).map((k, i) => (k & 1 ? i : -1)).filter((i) => i >= 0);
    for (const i of members) expect(members.filter((j) => j !== i && a.adjacency[i * 100 + j]).length).to.be.at.least(5);
    expect(defaultAnomalies(600)).to.deep.equal({ cliques: 3, cliqueSize: 10, contextual: 30 });
    const small = anomalyGraph({ nodes: 40, seed: 1 });
    expect(small.labels.reduce((s, v) => s + v, 0)).to.be.within(3, 20);
    expect(codeOf(() => anomalyGraph({ nodes: 20, cliques: 3, cliqueSize: 5 }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    const inputs = anomalyGraphInputs(small, 3);
    expect(inputs.featureSize).to.equal(17);
    expect(inputs.encodings.length).to.equal(40 * 3);
  });

  it('attention follows the edges: a step moves node 0 of a path only by what nodes within two hops hold', async () => {
    const model = new GraphEnergyTransformer({ features: 3, nodes: 5, encodingSize: 2, block: { size: 8, heads: 2, memories: 16, maxSteps: 1 }, seed: 1 });
    const path = tf.tensor2d([[0, 1, 0, 0, 0], [1, 0, 1, 0, 0], [0, 1, 0, 1, 0], [0, 0, 1, 0, 1], [0, 0, 0, 1, 0]]);
    const x = tf.randomNormal([1, 5, 8], 0, 1, 'float32', 3);
    const x2 = tf.tidy(() => tf.concat([x.slice([0, 0, 0], [1, 3, 8]), tf.randomNormal([1, 2, 8], 0, 1, 'float32', 4)], 1));
    const features = tf.zeros([1, 5, 3]);
    const encodings = tf.zeros([1, 5, 2]);
    const last = async (tokens: tf.Tensor, adjacency?: tf.Tensor): Promise<Float32Array> => {
      const evs = await lastValueFrom(model.run({ initial: { [FEATURES]: features, [ENCODINGS]: encodings, [TOKENS]: tokens }, snapshot: [TOKENS], ...(adjacency ? { adjacency } : {}) }).pipe(toArray()));
      return evs[1]!.states![TOKENS]!.data;
    };
    const y = await last(x, path);
    const y2 = await last(x2, path);
    const full = await last(x2);
    const rowDiff = (a: Float32Array, b: Float32Array, r: number): number => Math.max(...Array.from({ length: 8 }, (_, d) => Math.abs(a[r * 8 + d]! - b[r * 8 + d]!)));
    expect(rowDiff(y, y2, 0)).to.be.lessThan(1e-6);
    expect(rowDiff(y, y2, 2)).to.be.greaterThan(1e-4);
    expect(rowDiff(full, y2, 0)).to.be.greaterThan(1e-4);
    tf.dispose([path, x, x2, features, encodings]);
    model.dispose();
  });

  it('logits score every node; bad input is a coded error (notifications for run); streams leak nothing', async () => {
    const engram = await createEngram({ plugins: [et] });
    const model = await engram.createModel('energy-transformer/graph', { features: 3, nodes: 6, encodingSize: 2, block: { size: 8, heads: 2, memories: 16, maxSteps: 2 } });
    const features = tf.randomNormal([6, 3], 0, 1, 'float32', 1);
    const encodings = tf.randomNormal([6, 2], 0, 1, 'float32', 2);
    const ring = tf.tensor2d(Array.from({ length: 36 }, (_, k) => (Math.abs(Math.floor(k / 6) - (k % 6)) % 4 === 1 || Math.abs(Math.floor(k / 6) - (k % 6)) === 5 ? 1 : 0)), [6, 6]);
    const logits = model.logits({ features, encodings, adjacency: ring });
    expect(logits.shape).to.deep.equal([6]);
    expect(Array.from(logits.dataSync()).every(Number.isFinite)).to.equal(true);
    logits.dispose();
    expect(codeOf(() => model.logits({ features: tf.zeros([6, 4]), encodings, adjacency: ring }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(codeOf(() => model.logits({ features, encodings, adjacency: tf.zeros([6, 6]) }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    const initial = { [FEATURES]: features, [ENCODINGS]: encodings };
    expect((await streamError(model.run({ initial, adjacency: tf.zeros([6, 6]) }))).message).to.match(/at least one allowed key/);
    expect((await streamError(model.run({ initial, adjacency: tf.ones([5, 5]) }))).code).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect((await streamError(model.run({ initial: { [FEATURES]: features } }))).message).to.match(/encodings/);
    expect((await streamError(model.run({ initial, adjacancy: ring } as never))).message).to.match(/did you mean 'adjacency'/);
    const before = tf.memory().numTensors;
    await lastValueFrom(model.run({ initial, adjacency: ring, snapshot: true }).pipe(toArray()));
    await lastValueFrom(model.run({ initial, adjacency: ring, maxSteps: 100 }).pipe(take(2), toArray()));
    const sub = model.run({ initial, adjacency: ring, maxSteps: 1000 }).subscribe();
    await tick(20);
    sub.unsubscribe();
    await tick(20);
    await streamError(model.run({ initial, adjacency: ring, dt: -1 }));
    expect(tf.memory().numTensors).to.equal(before);
    const e = model.energy(initial, { adjacency: ring });
    const e0 = model.energy(initial);
    expect(maxDiff(e.total, e0.total), 'the edges change the energy').to.be.greaterThan(1e-4);
    tf.dispose([features, encodings, ring, e.total, e0.total, ...Object.values(e.terms!), ...Object.values(e0.terms!)]);
    model.dispose();
  });

  it('the graph ET beats a feature-only MLP and the degree/feature heuristic (reduced scale)', async () => {
    const engram = await createEngram({ plugins: [et] });
    const r = await runGraphExperiment({ engram, nodes: 160, cliques: 2, cliqueSize: 8, contextual: 16, block: { size: 16, heads: 2, headSize: 8, memories: 32, maxSteps: 4 }, epochs: 30, seed: 0 });
    expect(r.etAuc).to.be.greaterThan(r.mlpAuc);
    expect(r.etAuc).to.be.greaterThan(r.heuristicAuc);
    expect(r.etAuc).to.be.greaterThan(0.75);
  });
});
