/** `engram run <spec.json>`: load a saved model (any kind) and stream its dynamics through the model protocol. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import { disposeState, EngramError, ErrorCodes, z, type DynamicsStep, type Model, type State } from '@engram/core';
import { loadModel } from '@engram/core/node';
import { readSetPairs, schemaKeysHelp } from '../set-pairs.js';
import { formatStep } from './format-step.js';
import { defineCliCommand } from './types.js';

const options = z.strictObject({
  steps: z.number().int().min(0).default(100).describe('maximum number of steps'),
  every: z.number().int().min(1).default(1).describe('print every k-th step (and the last)'),
  dt: z.number().positive().optional().describe("step size (default: the model's)"),
  tolerance: z.number().min(0).optional().describe('stop when max|dx| falls below this'),
  json: z.boolean().default(false).describe('JSON lines: {step, t, energy, delta, converged, done, energyTree}'),
  input: z.string().optional().describe("initial state: a JSON file holding an array (the model's first layer; one sample or [batch][...]) or an object {layer: array}"),
  batch: z.number().int().min(1).default(1).describe('samples of generated input when no --input is given'),
  seed: z.number().int().default(0).describe('seed of generated input'),
  set: z.array(z.string()).default([]).describe("the model's own run option key=value (repeatable; see --help with a spec)"),
});

/** The run-option keys every model takes (core's), which `--set` is not for. */
const CORE_RUN_KEYS = new Set(['initial', 'clamp', 'maxSteps', 'dt', 'tolerance', 'energyTolerance', 'every', 'snapshot', 'energyTree', 'yieldEvery', 'scheduler', 'onFinal']);

function stepJson(s: DynamicsStep): string {
  return `${JSON.stringify({ step: s.step, t: s.t, energy: s.energy, delta: s.delta, converged: s.converged, done: s.done, energyTree: s.energyTree })}\n`;
}

/** Reads --input: a JSON array for the first layer, or an object of arrays by layer name. */
async function readInput(file: string, model: Model): Promise<State> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code ? `cannot read it (${code})` : `not valid JSON (${(err as Error).message})`;
    throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${file}: ${why}`, { source: file });
  }
  if (Array.isArray(value)) return model.initialState(model.layers.length === 1 ? (value as number[]) : { [model.layers[0]!.name]: value as number[] });
  if (value && typeof value === 'object') return model.initialState(value as Record<string, number[]>);
  throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${file}: the input must be a JSON array or an object of arrays by layer name`, { source: file });
}

/** The `run` subcommand. */
export const runCommand = defineCliCommand({
  name: 'run',
  description: 'load a model spec (any kind) and stream its dynamics (lines or JSON lines)',
  options,
  positionals: [{ name: 'spec.json', description: 'a model saved by saveModel / engram create / engram train' }],
  details: 'The model runs from --input, or from a state it generates (seeded, --batch samples). Model-specific run options go in --set key=value.',
  async moreHelp(positionals, io, ctx) {
    if (!positionals[0]) return undefined;
    const model = await loadModel(await ctx.engram(), resolve(io.cwd, positionals[0]));
    try {
      const lines = schemaKeysHelp(model.runSchema, CORE_RUN_KEYS);
      return `Run options of ${model.kind} (--set key=value):\n${lines.length ? lines.join('\n') : '  (none beyond the common ones)'}`;
    } finally {
      model.dispose();
    }
  },
  async run({ options: o, positionals }, io, ctx) {
    const specPath = resolve(io.cwd, positionals[0]!);
    const model = await loadModel(await ctx.engram(), specPath);
    let initial: State | undefined;
    try {
      const extra = readSetPairs('run', o.set, model.runSchema);
      initial = o.input !== undefined ? await readInput(resolve(io.cwd, o.input), model) : model.initialState(o.batch, { seed: o.seed, std: 1 });
      if (!o.json) io.stdout(`running ${model.kind} from ${specPath}: up to ${o.steps} steps\n`);
      const runOptions = {
        ...extra,
        initial,
        maxSteps: o.steps,
        ...(o.dt !== undefined ? { dt: o.dt } : {}),
        ...(o.tolerance !== undefined ? { tolerance: o.tolerance } : {}),
      };
      await lastValueFrom(
        model.run(runOptions).pipe(
          tap((s) => {
            if (s.step % o.every !== 0 && !s.done) return;
            io.stdout(o.json ? stepJson(s) : formatStep(s));
          }),
        ),
      );
      return 0;
    } finally {
      disposeState(initial);
      model.dispose();
    }
  },
});
