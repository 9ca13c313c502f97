import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { createEngram, deserializeModel, EngramError, initBackend, serializeModel } from '@engram/core';
import et, {
  anomalyGraph,
  GraphEnergyTransformer,
  jacobiEigen,
  laplacianPositionalEncoding,
  normalizedLaplacian,
  rocAuc,
  runGraphExperiment,
  symmetricEigen,
} from '../src/index.js';

function randomSymmetric(n: number, seed: number): Float64Array {
  let s = seed;
  const rnd = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rnd();
  return a;
}

/** max |A v - lambda v| and max |V^T V - I|. */
function residuals(a: Float64Array, n: number, e: ReturnType<typeof symmetricEigen>): { eig: number; orth: number } {
  let eig = 0;
  let orth = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k]! * e.vectors[k * n + j]!;
      eig = Math.max(eig, Math.abs(s - e.values[j]! * e.vectors[i * n + j]!));
    }
    for (let l = 0; l < n; l++) {
      let d = 0;
      for (let k = 0; k < n; k++) d += e.vectors[k * n + j]! * e.vectors[k * n + l]!;
      orth = Math.max(orth, Math.abs(d - (j === l ? 1 : 0)));
    }
  }
  return { eig, orth };
}

describe('et/graph', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('the symmetric eigensolvers decompose random matrices (A v = lambda v, V orthonormal) and agree', () => {
    for (const n of [1, 2, 7, 40]) {
      const a = randomSymmetric(n, 11 + n);
      const ql = symmetricEigen(a, n);
      const jac = jacobiEigen(a, n);
      const r = residuals(a, n, ql);
      expect(r.eig, `n=${n}`).to.be.lessThan(1e-10);
      expect(r.orth, `n=${n}`).to.be.lessThan(1e-10);
      expect(residuals(a, n, jac).eig).to.be.lessThan(1e-10);
      for (let i = 0; i < n; i++) expect(ql.values[i]).to.be.closeTo(jac.values[i]!, 1e-10);
      for (let i = 1; i < n; i++) expect(ql.values[i]).to.be.at.least(ql.values[i - 1]!);
    }
  });

  it('finds the known spectrum of a cycle graph Laplacian (degenerate eigenvalues)', () => {
    const n = 24;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) A[i * n + ((i + 1) % n)] = A[((i + 1) % n) * n + i] = 1;
    const L = normalizedLaplacian(A, n);
    const e = symmetricEigen(L, n);
    const expected = Array.from({ length: n }, (_, k) => 1 - Math.cos((2 * Math.PI * k) / n)).sort((p, q) => p - q);
    expected.forEach((v, i) => expect(e.values[i]).to.be.closeTo(v, 1e-12));
    expect(residuals(L, n, e).eig).to.be.lessThan(1e-12);
  });

  it('Laplacian PEs are the smallest non-trivial eigenvectors (orthogonal to D^1/2 1) and reject bad input', () => {
    const g = anomalyGraph({ nodes: 60, cliques: 1, cliqueSize: 5, contextual: 5, seed: 2 });
    const k = 4;
    const pe = laplacianPositionalEncoding(g.adjacency, g.n, k);
    const L = normalizedLaplacian(g.adjacency, g.n);
    const deg = Array.from({ length: g.n }, (_, i) => g.adjacency.slice(i * g.n, (i + 1) * g.n).reduce((s, v) => s + v, 0));
    const e = symmetricEigen(L, g.n);
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
    expect(() => symmetricEigen([1, 2, 3, 4], 2)).to.throw(EngramError, /symmetric/);
    expect(() => symmetricEigen([1, 2, 3], 2)).to.throw(EngramError);
    expect(() => symmetricEigen([1, NaN, NaN, 1], 2)).to.throw(EngramError);
  });

  it('ROC-AUC handles ties and order', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).to.equal(0.75);
    expect(rocAuc([1, 1, 1, 1], [0, 1, 0, 1])).to.equal(0.5);
    expect(rocAuc([3, 2, 1], [1, 0, 0])).to.equal(1);
    expect(() => rocAuc([1, 2], [1, 1])).to.throw(EngramError);
  });

  it('the benchmark injects the requested anomalies reproducibly', () => {
    const a = anomalyGraph({ nodes: 100, cliques: 2, cliqueSize: 6, contextual: 8, seed: 4 });
    const b = anomalyGraph({ nodes: 100, cliques: 2, cliqueSize: 6, contextual: 8, seed: 4 });
    expect(Array.from(a.adjacency)).to.deep.equal(Array.from(b.adjacency));
    expect(Array.from(a.kind).filter((k) => k & 1).length).to.equal(12);
    expect(Array.from(a.kind).filter((k) => k & 2).length).to.equal(8);
    const members = Array.from(a.kind).map((k, i) => (k & 1 ? i : -1)).filter((i) => i >= 0);
    // each clique member is connected to at least the 5 others of its clique
    for (const i of members) expect(members.filter((j) => j !== i && a.adjacency[i * 100 + j]).length).to.be.at.least(5);
  });

  it('the graph ET beats a feature-only MLP and the degree/feature heuristic (reduced scale)', async () => {
    const r = await runGraphExperiment({
      graph: { nodes: 160, cliques: 2, cliqueSize: 8, contextual: 16 },
      block: { tokenDim: 16, heads: 2, headDim: 8, memories: 32, steps: 4 },
      trainSteps: 30,
      seed: 0,
    });
    expect(r.etAuc).to.be.greaterThan(r.mlpAuc);
    expect(r.etAuc).to.be.greaterThan(r.heuristicAuc);
    expect(r.etAuc).to.be.greaterThan(0.75);
  });

  it('spec and weights round-trip; attention follows the edges; bad input is rejected', async () => {
    const model = new GraphEnergyTransformer({ features: 3, peDim: 2, block: { tokenDim: 8, heads: 2, memories: 16, steps: 3 }, seed: 1 });
    const engram = await createEngram({ plugins: [et] });
    const copy = (await deserializeModel(engram, serializeModel(model, { engram }))) as GraphEnergyTransformer;
    const n = 5;
    const features = tf.randomNormal([n, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
    const pe = tf.randomNormal([n, 2], 0, 1, 'float32', 2) as tf.Tensor2D;
    const path = tf.tensor2d([[1, 1, 0, 0, 0], [1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 0, 1, 1]]);
    const a = model.logits({ features, pe, attention: path });
    const b = copy.logits({ features, pe, attention: path });
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!)).to.equal(0);
    // Attention follows the edges: one descent step on a path moves node 0 only by
    // what nodes within distance 2 hold (its neighbour and that neighbour's keys' rivals).
    const x = tf.randomNormal([1, n, 8], 0, 1, 'float32', 3);
    const x2 = tf.tidy(() => tf.concat([x.slice([0, 0, 0], [1, 3, 8]), tf.randomNormal([1, 2, 8], 0, 1, 'float32', 4)], 1));
    const y = model.block.evolve(x, { steps: 1, attentionMask: path });
    const y2 = model.block.evolve(x2, { steps: 1, attentionMask: path });
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(y, y2)), -1).dataSync() as Float32Array);
    expect(diff[0]).to.be.lessThan(1e-6);
    expect(diff[2]).to.be.greaterThan(1e-4);
    const full = model.block.evolve(x2, { steps: 1 });
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(full, y2))).dataSync()[0]!)).to.be.greaterThan(1e-4);
    tf.dispose([x, x2, y, y2, full]);
    expect(() => model.logits({ features: tf.zeros([n, 4]) as tf.Tensor2D, pe, attention: path })).to.throw(EngramError, /features/);
    expect(() => model.logits({ features, pe, attention: tf.zeros([n, n]) as tf.Tensor2D })).to.throw(EngramError, /allowed key/);
    expect(() => new GraphEnergyTransformer({ features: 0 })).to.throw(EngramError);
    tf.dispose([features, pe, path, a, b]);
    model.dispose();
    copy.dispose();
  });
});
