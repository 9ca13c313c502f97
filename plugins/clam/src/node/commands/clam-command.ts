/**
 * `engram clam`: the paper's comparison on the shipped data sets (and,
 * optionally, Fashion-MNIST): ClAM's grid search against k-means++ with
 * restarts, soft k-means and agglomerative clustering; writes table.md,
 * results.json, silhouette.svg and, for 2-D blobs, trajectories.svg and
 * landscape.svg under --out, and prints the table.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EngramError, ErrorCodes, z, type CommandDefinitionEntry } from '@engram/core';
import { FASHION_MNIST_INSTALL_HINT } from '@engram/data';
import { hasFashionMnist } from '@engram/data/node';
import { writeText } from '@engram/viz/node';
import { SHIPPED_DATASETS } from '../../datasets/catalogue.js';
import { standardize } from '../../datasets/standardize.js';
import { benchmarkDataset, type BenchmarkRow } from '../../experiments/benchmark.js';
import type { FashionMnistResult } from '../../experiments/fashion-mnist.js';
import { landscape2d, type Landscape } from '../../experiments/landscape.js';
import { landscapeSvg, silhouetteBarsSvg, trajectoriesSvg } from '../../experiments/plots.js';
import { acceptanceSummary, comparisonTable } from '../../experiments/table.js';
import { fillSchema, type FillRule } from '../../models/clam-schema.js';
import { loadShippedDataset } from '../datasets/files.js';
import { fashionMnistExperiment } from '../experiments/fashion-mnist.js';

/** Options of `engram clam`. */
export const clamCommandOptions = z.strictObject({
  datasets: z.string().default(SHIPPED_DATASETS.map((s) => s.id).join(',')).describe(`comma-separated data sets (${SHIPPED_DATASETS.map((s) => s.id).join(', ')})`),
  quick: z.boolean().default(false).describe('a seconds-long smoke run: Zoo only, 2 epochs, one grid point, 5 k-means restarts, small blobs'),
  epochs: z.number().int().min(1).default(30).describe('most epochs per ClAM fit (the authors: 200)'),
  betas: z.string().default('1.1,1.5,1.9,2.4').describe('comma-separated beta grid'),
  lrs: z.string().default('0.001,0.01,0.1').describe('comma-separated learning-rate grid'),
  fills: z.string().default('mean').describe("comma-separated fill rules of masked coordinates (mean, max, min, zero; the authors: mean,max,min)"),
  batchSize: z.number().int().min(1).default(8).describe('ClAM batch size (the authors: 8)'),
  largeBatchSize: z.number().int().min(1).optional().describe('ClAM batch size on data sets of more than 1,000 samples (default: batchSize)'),
  init: z.enum(['gaussian', 'kmeans++']).default('gaussian').describe("ClAM's initial prototypes: normal(0.1, 0.1) (the authors' default) or k-means++ seeds (their option)"),
  restarts: z.number().int().min(1).default(100).describe('k-means++ restarts'),
  batched: z.boolean().optional().describe('train the whole ClAM grid at once as one batched bank (same results, faster up to 256 features; the default there); false: one fit after another'),
  minClusterFraction: z.number().min(0).max(1).default(0).describe("keep only ClAM fits that use at least this fraction of the k clusters (1: all k; default 0: any fit, as the authors, whose Silhouette-only choice often merges clusters)"),
  softSeeds: z.number().int().min(1).default(3).describe('soft k-means starts per stiffness'),
  seed: z.number().int().default(0).describe('seed of everything'),
  fashionMnist: z.boolean().default(false).describe('also cluster 10,000 Fashion-MNIST images (needs dataset-fashion-mnist)'),
  fmnistEpochs: z.number().int().min(1).default(5).describe('ClAM epochs on Fashion-MNIST'),
  fmnistBeta: z.number().positive().default(1.5).describe('ClAM beta on Fashion-MNIST'),
  fmnistLr: z.number().positive().default(0.01).describe('ClAM learning rate on Fashion-MNIST'),
  fmnistRestarts: z.number().int().min(1).default(10).describe('k-means++ restarts on Fashion-MNIST'),
  fmnistBatchSize: z.number().int().min(1).default(32).describe('ClAM batch size on Fashion-MNIST'),
  plots: z.boolean().default(true).describe('write the SVG plots (and run the 2-D blobs fit)'),
  out: z.string().default('engram-out/clam').describe('output directory'),
});

/** Parsed options of `engram clam`. */
export type ClamCommandOptions = z.output<typeof clamCommandOptions>;

function numberList(text: string, key: string): number[] {
  const values = text.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (values.length === 0 || values.some((v) => !(v > 0) || !Number.isFinite(v))) {
    throw new EngramError(ErrorCodes.INVALID_CONFIG, `option '${key}' must be comma-separated positive numbers, got '${text}'`, { key, actual: text });
  }
  return values;
}

function fillList(text: string): FillRule[] {
  const values = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = values.filter((v) => !fillSchema.safeParse(v).success);
  if (values.length === 0 || bad.length) {
    throw new EngramError(ErrorCodes.INVALID_CONFIG, `option 'fills' must list mean, max, min or zero, got '${text}'`, { key: 'fills', actual: text });
  }
  return values as FillRule[];
}

function datasetList(text: string): string[] {
  const ids = text.split(',').map((s) => s.trim()).filter(Boolean);
  const known = SHIPPED_DATASETS.map((s) => s.id);
  const bad = ids.filter((id) => !known.includes(id));
  if (bad.length) throw new EngramError(ErrorCodes.INVALID_CONFIG, `unknown data set(s) ${bad.join(', ')} in option 'datasets': use ${known.join(', ')}`, { key: 'datasets', actual: text });
  return ids;
}

/** Everything `engram clam` computed (results.json). */
export interface ClamRunResult {
  command: string;
  settings: Record<string, unknown>;
  rows: BenchmarkRow[];
  acceptance: ReturnType<typeof acceptanceSummary>;
  fashionMnist: FashionMnistResult | null;
  blobs: { prototypes: number[][]; trajectory: number[][]; silhouette: number; ari: number; beta: number } | null;
  seconds: number;
}

/** Runs the experiment for parsed options (the command's body without the files); the full 2-D landscape comes along for the plots. */
export async function runClamExperiment(
  o: ClamCommandOptions,
  log: (line: string) => void,
  onRow?: (rows: readonly BenchmarkRow[]) => void,
): Promise<{ result: ClamRunResult; landscape: Landscape | null }> {
  const start = Date.now();
  const ids = o.quick ? ['zoo'] : datasetList(o.datasets);
  const grid = o.quick ? { betas: [1.5], lrs: [0.01], fills: ['mean' as FillRule] } : { betas: numberList(o.betas, 'betas'), lrs: numberList(o.lrs, 'lrs'), fills: fillList(o.fills) };
  const epochs = o.quick ? 2 : o.epochs;
  const restarts = o.quick ? 5 : o.restarts;
  const softSeeds = o.quick ? 1 : o.softSeeds;
  if (o.fashionMnist && !o.quick && !hasFashionMnist(undefined, ['test'])) {
    throw new EngramError(ErrorCodes.DATA_NOT_FOUND, `Fashion-MNIST is not installed: ${FASHION_MNIST_INSTALL_HINT}, or leave out --fashion-mnist`, {});
  }
  const rows: BenchmarkRow[] = [];
  for (const id of ids) {
    const table = loadShippedDataset(id);
    const x = standardize(table);
    log(`${table.info.name}: ${x.n} x ${x.d}, k = ${table.info.k}; ClAM grid ${grid.betas.length * grid.lrs.length * grid.fills.length} fits of at most ${epochs} epochs`);
    const row = await benchmarkDataset(id, table.info.name, x, table.labels, table.info.k, {
      grid,
      clam: { epochs, batchSize: x.n > 1000 ? (o.largeBatchSize ?? o.batchSize) : o.batchSize, init: o.init },
      restarts,
      softSeeds,
      agglomerative: true,
      seed: o.seed,
      ...(o.batched !== undefined ? { batched: o.batched } : {}),
      minClusterFraction: o.minClusterFraction,
      onTrial: (t) => log(`  ClAM beta=${t.beta} lr=${t.lr} fill=${t.fill}: silhouette ${t.silhouette.toFixed(4)} (${t.clusters} clusters, ${t.epochs} epochs, ${t.seconds.toFixed(1)} s)`),
    });
    log(`  k-means ${row.kmeans.silhouette.toFixed(4)}, soft k-means ${row.softKmeans.silhouette.toFixed(4)}, agglomerative ${row.agglomerative?.silhouette.toFixed(4)}; ClAM best ${row.clam.silhouette.toFixed(4)} (${row.clam.seconds.toFixed(0)} s)`);
    rows.push(row);
    onRow?.(rows);
  }
  let fashionMnist: FashionMnistResult | null = null;
  if (o.fashionMnist && !o.quick) {
    fashionMnist = await fashionMnistExperiment({
      clam: { epochs: o.fmnistEpochs, beta: o.fmnistBeta, lr: o.fmnistLr, batchSize: o.fmnistBatchSize, init: o.init },
      restarts: o.fmnistRestarts,
      seed: o.seed,
      log,
    });
  }
  let landscape: Landscape | null = null;
  if (o.plots) {
    landscape = await landscape2d({ seed: o.seed, ...(o.quick ? { count: 60, clusters: 3, resolution: 20, clam: { epochs: 3, init: o.init } } : { clam: { init: o.init } }) });
    log(`2-D blobs: ClAM silhouette ${landscape.silhouette.toFixed(4)}, ARI ${landscape.ari.toFixed(4)}`);
  }
  let blobs: ClamRunResult['blobs'] = null;
  if (landscape) {
    const { prototypes, trajectory, silhouette, ari, beta } = landscape;
    blobs = { prototypes, trajectory: trajectory.map((p) => Array.from(p)), silhouette, ari, beta };
  }
  const result: ClamRunResult = {
    command: 'engram clam',
    settings: { ...o, datasets: ids, grid, epochs, restarts, softSeeds },
    rows,
    acceptance: acceptanceSummary(rows),
    fashionMnist,
    blobs,
    seconds: (Date.now() - start) / 1000,
  };
  return { result, landscape };
}

/** Writes the outputs of a run under `dir`. */
export function writeClamOutputs(dir: string, result: ClamRunResult, landscape: Landscape | null): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = (name: string, text: string) => {
    writeText(join(dir, name), text);
    written.push(join(dir, name));
  };
  let md = comparisonTable(result.rows) + `\n${result.acceptance.text}\n`;
  if (result.fashionMnist) {
    const f = result.fashionMnist;
    md += `\n| Fashion-MNIST (${f.n}x${f.d}, k = ${f.k}) | silhouette | ARI | setting | seconds |\n|---|---|---|---|---|\n`;
    md += `| ClAM | ${f.clam.silhouette.toFixed(4)} | ${f.clam.ari.toFixed(4)} | ${f.clam.setting} | ${f.clam.seconds.toFixed(0)} |\n`;
    md += `| k-means++ | ${f.kmeans.silhouette.toFixed(4)} | ${f.kmeans.ari.toFixed(4)} | ${f.kmeans.setting} | ${f.kmeans.seconds.toFixed(0)} |\n`;
  }
  put('table.md', md);
  put('results.json', JSON.stringify(result, null, 2));
  if (result.rows.length) put('silhouette.svg', silhouetteBarsSvg(result.rows));
  if (landscape) {
    put('trajectories.svg', trajectoriesSvg(landscape));
    put('landscape.svg', landscapeSvg(landscape));
  }
  return written;
}

/** The command contribution. */
export const clamCommand: CommandDefinitionEntry<typeof clamCommandOptions> = {
  description: 'ClAM (Saha et al., ICML 2023) against k-means++, soft k-means and agglomerative clustering on the paper\'s data sets',
  options: clamCommandOptions,
  details:
    'Examples:\n  engram clam --quick\n  engram clam --epochs 30 --out engram-out/clam\n  engram clam --datasets zoo,ecoli --fills mean,max,min --epochs 200\n  engram clam --fashion-mnist',
  async run({ options }, io) {
    const log = (line: string) => io.stderr(`${line}\n`);
    const dir = resolve(io.cwd, options.out);
    // A partial table after every data set, so that a long run that is stopped still leaves its numbers.
    const partial = (rows: readonly BenchmarkRow[]) => {
      mkdirSync(dir, { recursive: true });
      writeText(join(dir, 'partial.md'), comparisonTable(rows) + `\n${acceptanceSummary(rows).text}\n`);
    };
    const { result, landscape } = await runClamExperiment(options, log, partial);
    const written = writeClamOutputs(dir, result, landscape);
    io.stdout(comparisonTable(result.rows));
    io.stdout(`${result.acceptance.text}\n`);
    if (result.fashionMnist) {
      const f = result.fashionMnist;
      io.stdout(`Fashion-MNIST: ClAM silhouette ${f.clam.silhouette.toFixed(4)} ARI ${f.clam.ari.toFixed(4)}; k-means silhouette ${f.kmeans.silhouette.toFixed(4)} ARI ${f.kmeans.ari.toFixed(4)}\n`);
    }
    io.stdout(`wrote ${written.join(', ')} (${result.seconds.toFixed(0)} s)\n`);
    return 0;
  },
};
