/**
 * `engram train <spec.json>`: train any trainable kind through its training
 * face (default data, loss and optimizer settings from the model; flags
 * override them), with a progress bar, and save the result.
 */
import { resolve } from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import { EngramError, ErrorCodes, parseConfig, trainModel, z, type TrainEvent } from '@engram/core';
import { loadModel, saveModel } from '@engram/core/node';
import { ProgressBar } from '../progress.js';
import { readSetPairs, schemaKeysHelp } from '../set-pairs.js';
import { defineCliCommand } from './types.js';

const options = z.strictObject({
  epochs: z.number().int().min(1).optional().describe("passes over the data (default: the model's)"),
  batchSize: z.number().int().min(1).optional().describe("samples per batch (default: the model's)"),
  limit: z.number().int().min(1).optional().describe("training samples from the model's default data (default: the model's)"),
  lr: z.number().positive().optional().describe("learning rate (default: the model's)"),
  optimizer: z.enum(['adam', 'sgd', 'momentum']).optional().describe("tf.train optimizer (default: the model's)"),
  clipNorm: z.number().positive().optional().describe('clip the global gradient norm'),
  seed: z.number().int().optional().describe('seed of shuffling'),
  set: z.array(z.string()).default([]).describe("the model's own training setting key=value (repeatable; see --help with a spec)"),
  save: z.string().default('engram-out/train/model.json').describe('where to save the trained model'),
});

const COMMON = new Set(['epochs', 'batchSize', 'limit', 'lr', 'optimizer', 'clipNorm', 'seed']);

/** The `train` subcommand. */
export const trainCommand = defineCliCommand({
  name: 'train',
  description: 'train a model spec of any trainable kind on its default data (progress bar) and save it',
  options,
  positionals: [{ name: 'spec.json', description: 'a saved model whose kind trains (see engram plugins)' }],
  details: "Settings not given keep the model's defaults; --help with a spec lists them and the model's own keys.",
  async moreHelp(positionals, io, ctx) {
    if (!positionals[0]) return undefined;
    const model = await loadModel(await ctx.engram(), resolve(io.cwd, positionals[0]));
    try {
      if (!model.training) return `${model.kind} does not train.`;
      const all = schemaKeysHelp(model.training.schema, new Set());
      return `Training settings of ${model.kind} (flags for the common ones, --set key=value for the others):\n${all.join('\n')}`;
    } finally {
      model.dispose();
    }
  },
  async run({ options: o, positionals }, io, ctx) {
    const specPath = resolve(io.cwd, positionals[0]!);
    const savePath = resolve(io.cwd, o.save);
    const engram = await ctx.engram();
    const model = await loadModel(engram, specPath);
    try {
      if (!model.training) {
        throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${specPath}: model kind '${model.kind}' does not train (its parameters are stored, not learned)`, {
          source: specPath,
          kind: model.kind,
        });
      }
      const settings: Record<string, unknown> = readSetPairs('train', o.set, model.training.schema);
      for (const k of COMMON) if (o[k as keyof typeof o] !== undefined) settings[k] = o[k as keyof typeof o];
      // Check the settings before anything is printed: a typo is the command's one line of output.
      parseConfig(model.training.schema, settings, model.kind, 'training settings');
      io.stdout(`training ${model.kind} from ${specPath}\n`);
      const bar = new ProgressBar(io);
      let last: TrainEvent | undefined;
      await lastValueFrom(
        trainModel(model, { engram, settings }).pipe(
          tap((ev) => {
            bar.update(ev);
            last = ev;
          }),
        ),
        { defaultValue: undefined },
      );
      bar.finish();
      const saved = await saveModel(model, savePath, { engram });
      const metrics = last?.metrics ? `; ${Object.entries(last.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}` : '';
      io.stdout(`final loss ${last ? last.loss.toFixed(5) : '?'}${metrics}; saved ${saved.spec} and ${saved.weights}\n`);
      return 0;
    } finally {
      model.dispose();
    }
  },
});
