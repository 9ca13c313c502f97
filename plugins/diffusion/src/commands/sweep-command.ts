/**
 * `engram diffusion-sweep`: the memorization / spurious / generalization sweep
 * over K on Fashion-MNIST 14 x 14. Writes results.json, fractions.svg and
 * samples-K<k>.png (16 samples per K) under --out (default ./engram-out/diffusion-sweep).
 */
import { join, resolve } from 'node:path';
import { errors, type CommandIO } from '@engram/core';
import type { FashionMnistSource } from '@engram/data';
import { imageGridPng, linePlotSvg, writePng, writeText } from '@engram/viz';
import { memorizationSweep, type SweepOptions } from '../sweep.js';
import { listFlag, numFlag, parseFlags } from '../internal/args.js';

/** Usage of `engram diffusion-sweep`. */
export const SWEEP_USAGE = `engram diffusion-sweep [options]
  --ks 2,8,32,...     training-set sizes K (default 2,8,32,128,512,2048)
  --steps N           optimiser steps per K (default 1200)
  --hidden 512,512    MLP widths (default 512,512)
  --batch-size B      (default 64)      --lr X (default 0.005)
  --samples N         samples per K (default 64)
  --sigma-restart S   basin test restart level (default 0.5)
  --ratio R           memorized when d1/d2 < R (default 0.333)
  --attractor-rms A   same attractor below this RMS distance (default 0.05)
  --source S          full | subset | auto (default auto)
  --param P           denoiser parametrization: x0 | edm (default x0)
  --seed N            (default 0)
  --out DIR           output folder (default ./engram-out/diffusion-sweep)`;

const FLAGS = ['param', 'ks', 'steps', 'hidden', 'batch-size', 'lr', 'samples', 'sigma-restart', 'ratio', 'attractor-rms', 'source', 'seed', 'out'];

/** Runs the command; returns the exit code. */
export async function runSweepCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const f = parseFlags(args, FLAGS);
  const out = resolve(io.cwd, f.get('out') ?? 'engram-out/diffusion-sweep');
  const opts: SweepOptions = { log: (l) => io.stdout(`${l}\n`) };
  const set = <K extends keyof SweepOptions>(k: K, v: SweepOptions[K] | undefined): void => {
    if (v !== undefined) opts[k] = v;
  };
  set('ks', listFlag(f, 'ks'));
  set('steps', numFlag(f, 'steps'));
  set('hidden', listFlag(f, 'hidden'));
  set('batchSize', numFlag(f, 'batch-size'));
  set('learningRate', numFlag(f, 'lr'));
  set('samples', numFlag(f, 'samples'));
  set('sigmaRestart', numFlag(f, 'sigma-restart'));
  set('seed', numFlag(f, 'seed'));
  const ratio = numFlag(f, 'ratio');
  const attractorRms = numFlag(f, 'attractor-rms');
  opts.thresholds = { ...(ratio !== undefined ? { ratio } : {}), ...(attractorRms !== undefined ? { attractorRms } : {}) };
  if (f.has('source')) opts.source = f.get('source') as FashionMnistSource;
  const param = f.get('param');
  if (param !== undefined && param !== 'edm' && param !== 'x0') throw errors.invalidArgument('--param', "'edm' or 'x0'", param);
  if (param !== undefined) opts.parametrization = param;
  const t0 = Date.now();
  const res = await memorizationSweep(opts);
  const seconds = (Date.now() - t0) / 1000;
  const ks = res.points.map((p) => p.k);
  const svg = linePlotSvg({
    title: 'Diffusion on Fashion-MNIST 14x14: sample classes vs training-set size',
    xLabel: 'training-set size K',
    yLabel: 'fraction of samples',
    logX: true,
    yDomain: [0, 1],
    series: [
      { name: 'memorized', x: ks, y: res.points.map((p) => p.memorized) },
      { name: 'spurious', x: ks, y: res.points.map((p) => p.spurious) },
      { name: 'generalized', x: ks, y: res.points.map((p) => p.generalized) },
    ],
  });
  writeText(join(out, 'fractions.svg'), svg);
  for (const p of res.points) {
    writePng(join(out, `samples-K${p.k}.png`), imageGridPng({ images: Float32Array.from(p.preview), imageWidth: res.side, imageHeight: res.side, cols: 8, range: [-1, 1], scale: 3 }));
  }
  const json = { command: `engram diffusion-sweep ${args.join(' ')}`.trim(), seconds, thresholds: res.thresholds, points: res.points.map(({ preview: _p, ...rest }) => rest) };
  writeText(join(out, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
  io.stdout(`wrote ${out}/results.json, fractions.svg, samples-K*.png (${seconds.toFixed(0)} s)\n`);
  return 0;
}
