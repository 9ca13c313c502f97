/**
 * The demo's pictures and HTML report: an image grid (original / occluded /
 * completed), step strips of a few queries, the energy curve, a results table.
 */
import { join } from 'node:path';
import { energyPlotSvg, htmlReport, imageGridPng, stepStripPng } from '@engram/viz';
import { writePng, writeText } from '@engram/viz/node';

/** What {@link writeCompletionReport} shows. */
export interface CompletionReportInput {
  outDir: string;
  title: string;
  /** One paragraph on the model. */
  description: string;
  width: number;
  height: number;
  /** Images of the shown queries, each [n * width * height]. */
  originals: Float32Array;
  occluded: Float32Array;
  completed: Float32Array;
  /** Number of queries in the grid. */
  shown: number;
  /** Frames per shown query for the step strips: frames[f] holds `shown` images at step frameSteps[f]. */
  frames: Float32Array[];
  frameSteps: number[];
  /** Batch-total energy of every step. */
  energies: number[];
  /** Rows of the results table. */
  results: [string, string][];
}

/** Paths of the written files. */
export interface CompletionReportFiles {
  report: string;
  grid: string;
  strips: string;
  energy: string;
  results: string;
}

/** Writes grid.png, steps.png, energy.svg, results.json and report.html into `outDir`. */
export function writeCompletionReport(r: CompletionReportInput): CompletionReportFiles {
  const size = r.width * r.height;
  const pick = (a: Float32Array): Float32Array => a.slice(0, r.shown * size);
  const grid = imageGridPng({
    images: new Float32Array([...pick(r.originals), ...pick(r.occluded), ...pick(r.completed)]),
    imageWidth: r.width,
    imageHeight: r.height,
    rows: 3,
    cols: r.shown,
    range: [0, 1],
    scale: 3,
  });
  // One strip per shown query (up to 4), stacked: frames of query q across steps.
  const stripQueries = Math.min(4, r.shown);
  const stripImages: Float32Array[] = [];
  for (let q = 0; q < stripQueries; q++) for (const f of r.frames) stripImages.push(f.slice(q * size, (q + 1) * size));
  const strips =
    r.frames.length > 0
      ? imageGridPng({ images: stripImages, imageWidth: r.width, imageHeight: r.height, rows: stripQueries, cols: r.frames.length, range: [0, 1], scale: 3 })
      : stepStripPng([r.completed.slice(0, size)], r.width, r.height, { range: [0, 1], scale: 3 });
  const svg = energyPlotSvg(r.energies, { title: 'Energy of the batch against step', width: 640, height: 320 });

  const files: CompletionReportFiles = {
    report: join(r.outDir, 'report.html'),
    grid: join(r.outDir, 'completion.png'),
    strips: join(r.outDir, 'steps.png'),
    energy: join(r.outDir, 'energy.svg'),
    results: join(r.outDir, 'results.json'),
  };
  writePng(files.grid, grid);
  writePng(files.strips, strips);
  writeText(files.energy, svg);
  writeText(files.results, `${JSON.stringify({ results: Object.fromEntries(r.results), energies: r.energies }, null, 2)}\n`);
  writeText(
    files.report,
    htmlReport({
      title: r.title,
      subtitle: r.description,
      sections: [
        {
          heading: 'Completed images',
          text: `Top row: stored images; middle: the queries (bottom half hidden); bottom: what the memory filled in.`,
          images: [{ src: 'completion.png', alt: 'original, occluded and completed images', caption: 'original / occluded / completed' }],
        },
        {
          heading: 'The dynamics, step by step',
          text: `Each row is one query; columns are steps ${r.frameSteps.join(', ')}.`,
          images: [{ src: 'steps.png', alt: 'states of the first queries across the steps', caption: 'state across the steps' }],
        },
        { heading: 'Energy', text: 'Total energy of the batch at each step: it never rises.', svg },
        { heading: 'Results', table: { columns: ['measure', 'value'], rows: r.results } },
      ],
    }),
  );
  return files;
}
