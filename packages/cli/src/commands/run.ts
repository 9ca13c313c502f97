/** `engram run <spec.json>`: load a saved model and stream its dynamics. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, tap } from 'rxjs';
import { EngramError, ErrorCodes, initBackend, loadModel, type DynamicsStep, type EngramModel, type TensorInput } from '@engram/core';
import { numberOpt, parseCommandArgs, stringOpt } from '../args.js';
import { UsageError } from '../errors.js';
import { isRunnable, type RunnableModel } from '../runnable.js';
import { formatStep } from './demo.js';
import type { CliCommand } from './types.js';

const USAGE = `Usage: engram run <spec.json> [options]

Loads a saved model (spec + weights, as written by saveModel) and runs its
dynamics, printing one line per step, or one JSON object per line with --json.
The model must have a run(options) method returning an Observable of steps: the
core EnergyModel ('core/graph': input by layer name) or a single-state plugin model
with a numeric 'dim' (e.g. hopfield/modern, hopfield/drdam: input [batch, dim]).

Options:
  --steps N       maximum number of steps (default 100)
  --every K       print every K-th step (and the last; default 1)
  --dt X          step size (default 0.1)
  --tolerance X   stop when max|dx| < X (default 0: run all steps)
  --json          JSON lines: {step, t, energy, delta, converged, done, energyTree}
  --input FILE    initial state: a JSON array (one sample, or [batch][...] samples) for the
                  model's first layer, or an object {"layer": array, ...}
  --batch B       samples of generated input (seeded normal noise, std 1) when no
                  --input is given (default 1)
  --seed S        seed of generated input (default 0)
  --backend NAME  wasm | cpu
  -h, --help      this text
`;

function stepJson(s: DynamicsStep): string {
  return `${JSON.stringify({ step: s.step, t: s.t, energy: s.energy, delta: s.delta, converged: s.converged, done: s.done, energyTree: s.energyTree })}\n`;
}

/** A single-state model: no layer list, a numeric `dim` (the Hopfield plugin's models). */
function isSingleState(model: RunnableModel): boolean {
  return model.layers === undefined && typeof model.dim === 'number';
}

/** Reads --input: a JSON array for the first (or only) state, or an object of arrays by layer name. */
async function readInput(file: string, model: RunnableModel): Promise<Record<string, TensorInput> | tf.Tensor> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code ? `cannot read it (${code})` : `not valid JSON (${(err as Error).message})`;
    throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${file}: ${why}`, { source: file });
  }
  const toBatched = (name: string, v: unknown, shape?: readonly number[]): tf.Tensor => {
    let t: tf.Tensor;
    try {
      t = tf.tensor(v as tf.TensorLike, undefined, 'float32');
    } catch (err) {
      throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${file}: input of layer '${name}' is not a numeric array (${(err as Error).message})`, { source: file });
    }
    // One sample given without its batch axis.
    if (shape && t.rank === shape.length) {
      const b = t.expandDims(0);
      t.dispose();
      t = b;
    }
    return t;
  };
  if (Array.isArray(value)) {
    if (isSingleState(model)) return toBatched('state', value, [model.dim!]);
    const first = model.layers?.[0];
    if (!first) throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${file}: this model does not list its layers: give the input as an object {"layer": array}`, { source: file });
    return { [first.name]: toBatched(first.name, value, first.shape) };
  }
  if (value && typeof value === 'object' && !isSingleState(model)) {
    const out: Record<string, TensorInput> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toBatched(k, v, model.layers?.find((l) => l.name === k)?.shape);
    return out;
  }
  throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${file}: the input must be a JSON array${isSingleState(model) ? '' : ' or an object of arrays by layer name'}`, { source: file });
}

/** The `run` subcommand. */
export const runCommand: CliCommand = {
  name: 'run',
  description: 'load a model spec and stream its dynamics (lines or JSON lines)',
  usage: USAGE,
  async run(args, io, ctx) {
    const p = parseCommandArgs('run', args, {
      steps: { type: 'string' },
      every: { type: 'string' },
      dt: { type: 'string' },
      tolerance: { type: 'string' },
      json: { type: 'boolean' },
      input: { type: 'string' },
      batch: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
    });
    if (p.values['help']) {
      io.stdout(USAGE);
      return 0;
    }
    if (p.positionals.length !== 1) throw new UsageError(p.positionals.length === 0 ? 'missing <spec.json>' : `expected one spec file, got ${p.positionals.length}`, 'run');
    const steps = numberOpt('run', p, 'steps', 100, { min: 0, integer: true });
    const every = numberOpt('run', p, 'every', 1, { min: 1, integer: true });
    const dt = numberOpt('run', p, 'dt', 0.1, { min: 1e-12 });
    const tolerance = numberOpt('run', p, 'tolerance', 0, { min: 0 });
    const batch = numberOpt('run', p, 'batch', 1, { min: 1, integer: true });
    const seed = numberOpt('run', p, 'seed', 0, { integer: true });
    const backend = stringOpt(p, 'backend');
    if (backend !== undefined && backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`option --backend must be wasm or cpu, got '${backend}'`, 'run');
    await initBackend(backend ? { backend } : {});
    const specPath = resolve(io.cwd, p.positionals[0]!);
    const engram = await ctx.engram();
    const model: EngramModel = await loadModel(engram, specPath);
    const owned: tf.Tensor[] = [];
    try {
      if (!isRunnable(model)) {
        throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${specPath}: model kind '${model.kind}' has no run(options) method, so it has no dynamics to run`, { source: specPath });
      }
      let initial: Record<string, TensorInput> | tf.Tensor;
      const inputFile = stringOpt(p, 'input');
      if (inputFile !== undefined) initial = await readInput(resolve(io.cwd, inputFile), model);
      else if (typeof model.initialState === 'function') initial = model.initialState(batch, { seed, std: 1 });
      else if (isSingleState(model)) initial = tf.randomNormal([batch, model.dim!], 0, 1, 'float32', seed);
      else throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${specPath}: model kind '${model.kind}' cannot generate an initial state: give one with --input FILE`, { source: specPath });
      if (initial instanceof tf.Tensor) owned.push(initial);
      else for (const v of Object.values(initial)) if (v instanceof tf.Tensor) owned.push(v);
      const json = p.values['json'] === true;
      if (!json) io.stdout(`running ${model.kind} from ${specPath}: up to ${steps} steps, dt ${dt}\n`);
      await lastValueFrom(
        model.run(initial instanceof tf.Tensor ? { initial, maxSteps: steps, dt, tolerance } : { initial, maxSteps: steps, dt, tolerance }).pipe(
          tap((s) => {
            if (s.step % every !== 0 && !s.done) return;
            io.stdout(json ? stepJson(s) : formatStep(s));
          }),
        ),
      );
      return 0;
    } finally {
      tf.dispose(owned);
      model.dispose();
    }
  },
};
