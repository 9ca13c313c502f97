/**
 * `engram capacity`: the paper's sequence-capacity experiment for the
 * polynomial DenseNet (d = 1 is SeqNet). Options are declared by a schema; the
 * CLI parses and validates the command line with it and prints `--help` from it.
 */
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z, type CommandArgs, type CommandIO } from '@engram/core';
import { runCapacityExperiment } from '../experiments/capacity-grid.js';

/** A list of positive integers: an array, or comma-separated text as written on a command line ('10,20,30'). */
function integerList(min: number, fallback: number[]) {
  return z
    .union([z.array(z.number()), z.string().regex(/^\s*-?\d+(\s*,\s*-?\d+)*\s*$/, 'comma-separated integers, e.g. 10,20,30')])
    .transform((v) => (typeof v === 'string' ? v.split(',').map((x) => Number(x.trim())) : v))
    .pipe(z.array(z.number().int().min(min)).min(1))
    .default(fallback);
}

/** The options of `engram capacity` (one flag per key: `--start-factor`, `--max-theory`, ...). */
export const capacityOptionsSchema = z.strictObject({
  sizes: integerList(3, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]).describe('N values (neurons), e.g. 10,20,30'),
  degrees: integerList(1, [1, 2, 3]).describe('degrees d of F = x^d (1: SeqNet), e.g. 1,2,3'),
  sequences: z.number().int().min(1).default(100).describe('random sequences that must all be recalled at a P (100 in the paper)'),
  trials: z.number().int().min(1).default(1).describe('independent measurements per point (geometric mean reported)'),
  startFactor: z.number().min(1).default(2).describe('first P tried = startFactor x theory (2 in the reference code)'),
  seed: z.number().int().min(0).default(0).describe('seed of the first random sequences'),
  maxTheory: z.number().positive().optional().describe('skip points whose theoretical capacity exceeds this (a try costs ~P^2 N S)'),
  out: z.string().min(1).default('engram-out/capacity').describe('output directory (capacity.json, capacity.svg, overlaps.svg)'),
});

/** The parsed options of `engram capacity`. */
export type CapacityCommandOptions = z.output<typeof capacityOptionsSchema>;

/** Text after the options in `--help`. */
export const capacityDetails = `Protocol of Chaudhry et al. (2023): start at startFactor x the theory P_S = N^d / (2 (d+1) (2d-1)!! ln N),
lower P by 1% (at least 1) until all sequences are recalled through a full period without one wrong state.
Example: engram capacity --sizes 10,20,30 --degrees 1,2 --trials 2 --max-theory 300 --out out/capacity`;

/** Runs `engram capacity`: the grid, the files, and a table on stdout. Returns 0. */
export async function capacityCommand(args: CommandArgs<CapacityCommandOptions>, io: CommandIO): Promise<number> {
  const o = args.options;
  const outDir = resolve(io.cwd, o.out);
  io.stdout(`backend: ${tf.getBackend()}\n`);
  const t0 = Date.now();
  const points = await runCapacityExperiment({
    sizes: o.sizes,
    degrees: o.degrees,
    sequences: o.sequences,
    trials: o.trials,
    startFactor: o.startFactor,
    seed: o.seed,
    outDir,
    ...(o.maxTheory !== undefined ? { maxTheory: o.maxTheory } : {}),
    log: (line) => io.stdout(line + '\n'),
  });
  io.stdout(`\n d    N  measured    theory  ratio\n`);
  for (const p of points) {
    io.stdout(`${String(p.degree).padStart(2)} ${String(p.size).padStart(4)} ${p.mean.toFixed(1).padStart(9)} ${p.theory.toFixed(1).padStart(9)} ${(p.mean / p.theory).toFixed(2).padStart(6)}\n`);
  }
  io.stdout(`wrote ${resolve(outDir, 'capacity.json')}, capacity.svg, overlaps.svg (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  return 0;
}
