/**
 * The embedding analysis of Both et al.: PCA of the ten digit embeddings and
 * two scores of what the plot shows. The number-line score is the largest
 * |Spearman rank correlation| between the digit value and one of the first
 * three principal components; the parity score the largest |correlation|
 * between parity (even/odd) and one of them. The same statistics of random
 * Gaussian embeddings of the same width are the chance level they are read
 * against (ten points in three components correlate with anything somewhat).
 */
import { linalg, seededRandom } from '@engram/core';

/** PCA of the digit embeddings and its scores. */
export interface EmbeddingAnalysis {
  /** Coordinates of digits 0..9 on the first two principal components. */
  readonly pcs: readonly (readonly [number, number])[];
  /** Fraction of the variance on each of the first three components. */
  readonly explained: readonly number[];
  /** max over the first 3 PCs of |Spearman(PC, digit)|. */
  readonly numberLine: number;
  /** The component (1-based) that gave it. */
  readonly numberLineComponent: number;
  /** max over the first 3 PCs of |corr(PC, parity)|. */
  readonly parity: number;
  readonly parityComponent: number;
  /** Fraction of digits whose nearest other digit (Euclidean, full width) is a neighbour (±1). */
  readonly neighbours: number;
}

const COMPONENTS = 3;

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

function ranks(xs: readonly number[]): number[] {
  const order = xs.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
  const r = new Array<number>(xs.length);
  order.forEach(([, i], k) => (r[i] = k));
  return r;
}

/** Principal component scores of the rows (centred), from the eigendecomposition of their Gram matrix. */
export function principalComponents(rows: readonly (readonly number[])[], count: number): { scores: number[][]; explained: number[] } {
  const n = rows.length;
  const d = rows[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
  const x = rows.map((r) => r.map((v, j) => v - mean[j]!));
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) gram[i * n + k] = x[i]!.reduce((s, v, j) => s + v * x[k]![j]!, 0);
  const { values, vectors } = linalg.symmetricEigen(gram, n, { order: 'descending' });
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0) || 1;
  const scores = Array.from({ length: count }, (_, c) => {
    const scale = Math.sqrt(Math.max(values[c] ?? 0, 0));
    // Fix the sign so that plots of different models are comparable: digit 9 on the positive side.
    const col = Array.from({ length: n }, (_, i) => vectors[i * n + c]! * scale);
    const flip = (col[n - 1] ?? 0) - (col[0] ?? 0) < 0 ? -1 : 1;
    return col.map((v) => v * flip);
  });
  return { scores, explained: Array.from({ length: count }, (_, c) => Math.max(values[c] ?? 0, 0) / total) };
}

/** The analysis of ten digit embeddings (rows 0..9, each of the model's width). */
export function analyseDigitEmbeddings(embeddings: readonly (readonly number[])[]): EmbeddingAnalysis {
  const digits = embeddings.map((_, i) => i);
  const parityLabels = digits.map((d) => d % 2);
  const { scores, explained } = principalComponents(embeddings, COMPONENTS);
  let numberLine = 0;
  let numberLineComponent = 1;
  let parity = 0;
  let parityComponent = 1;
  const digitRanks = ranks(digits);
  scores.forEach((pc, c) => {
    const s = Math.abs(pearson(ranks(pc), digitRanks));
    if (s > numberLine) [numberLine, numberLineComponent] = [s, c + 1];
    const p = Math.abs(pearson(pc, parityLabels));
    if (p > parity) [parity, parityComponent] = [p, c + 1];
  });
  let near = 0;
  embeddings.forEach((e, i) => {
    let best = -1;
    let bestDist = Infinity;
    embeddings.forEach((f, k) => {
      if (k === i) return;
      const dist = e.reduce((s, v, j) => s + (v - f[j]!) ** 2, 0);
      if (dist < bestDist) [best, bestDist] = [k, dist];
    });
    if (Math.abs(best - i) === 1) near++;
  });
  return { pcs: digits.map((i) => [scores[0]![i]!, scores[1]![i]!] as const), explained, numberLine, numberLineComponent, parity, parityComponent, neighbours: near / embeddings.length };
}

/** Mean scores of random N(0, 1) embeddings of this width: the chance level of each score. */
export function chanceScores(width: number, draws = 200, seed = 12345): { numberLine: number; parity: number; neighbours: number } {
  const rand = seededRandom(seed + width);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  let nl = 0;
  let pa = 0;
  let ne = 0;
  for (let t = 0; t < draws; t++) {
    const a = analyseDigitEmbeddings(Array.from({ length: 10 }, () => Array.from({ length: width }, normal)));
    nl += a.numberLine;
    pa += a.parity;
    ne += a.neighbours;
  }
  return { numberLine: nl / draws, parity: pa / draws, neighbours: ne / draws };
}
