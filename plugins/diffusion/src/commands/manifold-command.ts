/**
 * `engram diffusion-manifold`: geometric memorization on a linear manifold
 * (D = 32, blocks of variance 1 and 0.1). Writes results.json and kept-dims.svg
 * under --out (default ./engram-out/diffusion-manifold).
 */
import { join, resolve } from 'node:path';
import { errors, type CommandIO } from '@engram/core';
import { linePlotSvg, writeText } from '@engram/viz';
import { manifoldSweep, type ManifoldSweepOptions } from '../manifold-experiment.js';
import { listFlag, numFlag, parseFlags } from '../internal/args.js';

/** Usage of `engram diffusion-manifold`. */
export const MANIFOLD_USAGE = `engram diffusion-manifold [options]
  --ns 2,4,8,...     training-set sizes N (default 2,4,8,16,32,64,256,1024)
  --steps N           optimiser steps per N (default 3000)
  --hidden 256,256    MLP widths (default 256,256)
  --batch-size B      (default 128)     --lr X (default 0.003)
  --sigma S           noise level of the score spectrum (default 0.05)
  --points P          samples at which the spectrum is measured (default 8)
  --param P           denoiser parametrization: x0 | edm (default edm)
  --seed N            (default 0)
  --out DIR           output folder (default ./engram-out/diffusion-manifold)`;

const FLAGS = ['param', 'ns', 'steps', 'hidden', 'sigma', 'points', 'seed', 'out', 'batch-size', 'lr'];

/** Runs the command; returns the exit code. */
export async function runManifoldCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const f = parseFlags(args, FLAGS);
  const out = resolve(io.cwd, f.get('out') ?? 'engram-out/diffusion-manifold');
  const opts: ManifoldSweepOptions = { log: (l) => io.stdout(`${l}\n`) };
  const set = <K extends keyof ManifoldSweepOptions>(k: K, v: ManifoldSweepOptions[K] | undefined): void => {
    if (v !== undefined) opts[k] = v;
  };
  set('ns', listFlag(f, 'ns'));
  set('steps', numFlag(f, 'steps'));
  set('hidden', listFlag(f, 'hidden'));
  set('sigma', numFlag(f, 'sigma'));
  set('points', numFlag(f, 'points'));
  set('seed', numFlag(f, 'seed'));
  set('batchSize', numFlag(f, 'batch-size'));
  set('learningRate', numFlag(f, 'lr'));
  const param = f.get('param');
  if (param !== undefined && param !== 'edm' && param !== 'x0') throw errors.invalidArgument('--param', "'edm' or 'x0'", param);
  if (param !== undefined) opts.parametrization = param;
  const t0 = Date.now();
  const points = await manifoldSweep(opts);
  const seconds = (Date.now() - t0) / 1000;
  const ns = points.map((p) => p.n);
  const svg = linePlotSvg({
    title: 'Linear manifold (D=32): dimensions kept per block vs training-set size',
    xLabel: 'training-set size N',
    yLabel: 'dimensions kept (of 4)',
    logX: true,
    yDomain: [0, 4.5],
    series: [
      { name: 'trained, variance-1 block', x: ns, y: points.map((p) => p.keptHigh) },
      { name: 'trained, variance-0.1 block', x: ns, y: points.map((p) => p.keptLow) },
      { name: 'exact AM, variance-1 block', x: ns, y: points.map((p) => p.exactHigh), dashed: true },
      { name: 'exact AM, variance-0.1 block', x: ns, y: points.map((p) => p.exactLow), dashed: true },
    ],
  });
  writeText(join(out, 'kept-dims.svg'), svg);
  writeText(join(out, 'results.json'), `${JSON.stringify({ command: `engram diffusion-manifold ${args.join(' ')}`.trim(), seconds, points }, null, 2)}\n`);
  io.stdout(`wrote ${out}/results.json, kept-dims.svg (${seconds.toFixed(0)} s)\n`);
  return 0;
}
