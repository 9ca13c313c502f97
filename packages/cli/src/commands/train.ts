/**
 * `engram train <spec.json>`: train a saved model and save the result, with a
 * progress bar. Models with their own `train(options)` (see TrainableModel) run
 * that; core graphs whose first layer holds 28x28 images are trained for
 * completion: the unrolled descent from images with the bottom half hidden
 * must reproduce the hidden half (core trainStream + integrate).
 */
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, tap } from 'rxjs';
import {
  EnergyModel,
  EngramError,
  ErrorCodes,
  initBackend,
  loadModel,
  saveModel,
  trainStream,
  type EngramModel,
  type JsonObject,
  type TrainEvent,
} from '@engram/core';
import { loadFashionMnist, occlusionMask } from '@engram/data';
import { numberOpt, parseCommandArgs, stringOpt } from '../args.js';
import { UsageError } from '../errors.js';
import { ProgressBar } from '../progress.js';
import { isTrainable } from '../runnable.js';
import type { CliCommand } from './types.js';

const USAGE = `Usage: engram train <spec.json> [options]

Trains a saved model and saves it again, showing epoch, batch, loss and ETA (a
bar on a terminal, plain lines otherwise).
- A model with its own train(options) method (plugin models) gets the options below
  as JSON: { epochs, batchSize, lr, limit, seed, steps, dt }.
- A core graph ('core/graph') whose first layer has 784 units learns to complete
  Fashion-MNIST images: the first layer is clamped to the visible top half, the
  descent is unrolled --steps times, and the loss is the squared error on the
  hidden bottom half (gradients through the unrolled dynamics).

Options:
  --epochs N       epochs (default 1)
  --batch-size B   images per batch (default 32)
  --limit N        training images (default 256)
  --lr X           Adam learning rate (default 0.01)
  --steps T        unrolled descent steps (default 5)
  --dt X           step size of the descent (default 0.5)
  --seed S         seed of the shuffling (default 0)
  --save PATH      where to save the trained model (default engram-out/train/model.json)
  --backend NAME   wasm | cpu
  -h, --help       this text
`;

interface TrainSettings {
  epochs: number;
  batchSize: number;
  limit: number;
  lr: number;
  steps: number;
  dt: number;
  seed: number;
}

/** Completion training of a core graph on Fashion-MNIST (see the usage text). */
function completionTraining(model: EnergyModel, s: TrainSettings, source: string): ReturnType<typeof trainStream> {
  const first = model.layers[0]!;
  const size = first.shape.reduce((a, b) => a * b, 1);
  if (size !== 784) {
    throw new EngramError(
      ErrorCodes.INVALID_ARGUMENT,
      `${source}: the first layer '${first.name}' has ${size} units; completion training needs 784 (28x28 images), or a model with its own train() method`,
      { source },
    );
  }
  const set = loadFashionMnist({ split: 'train', source: 'auto', limit: s.limit });
  const visible = occlusionMask([28, 28], 'bottom-half').data;
  const n = set.count;
  const perEpoch = Math.ceil(n / s.batchSize);
  const mask = tf.tensor(visible, [1, ...first.shape]);
  const hidden = tf.tidy(() => tf.sub(1, mask));
  let rngState = s.seed >>> 0 || 1;
  const rand = (): number => {
    // xorshift32: a seeded shuffle without pulling in a dependency.
    rngState ^= rngState << 13;
    rngState ^= rngState >>> 17;
    rngState ^= rngState << 5;
    return (rngState >>> 0) / 4294967296;
  };
  const optimizer = tf.train.adam(s.lr);
  return trainStream<{ x: tf.Tensor }>({
    variables: model.variables(),
    optimizer,
    epochs: s.epochs,
    batchesPerEpoch: perEpoch,
    clipNorm: 10,
    batches: function* () {
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let b = 0; b < perEpoch; b++) {
        const idx = order.slice(b * s.batchSize, (b + 1) * s.batchSize);
        const data = new Float32Array(idx.length * 784);
        idx.forEach((k, r) => data.set(set.images.subarray(k * 784, (k + 1) * 784), r * 784));
        yield { x: tf.tensor(data, [idx.length, ...first.shape]) };
      }
    },
    loss: ({ x }) => {
      const initial = model.initialState(x.shape[0]!);
      const start = tf.mul(x, mask);
      initial[first.name]!.dispose();
      initial[first.name] = start;
      const final = model.integrate(initial, { steps: s.steps, dt: s.dt, clamp: { [first.name]: mask } });
      const loss = tf.div(tf.sum(tf.mul(tf.square(tf.sub(final[first.name]!, x)), hidden)), x.shape[0]! * 392) as tf.Scalar;
      return loss;
    },
  }).pipe(
    tap({
      finalize: () => {
        // Adam's moment estimates are tensors too.
        optimizer.dispose();
        mask.dispose();
        hidden.dispose();
      },
    }),
  );
}

/** The `train` subcommand. */
export const trainCommand: CliCommand = {
  name: 'train',
  description: 'train a model spec (progress bar: epoch, batch, loss, ETA) and save it',
  usage: USAGE,
  async run(args, io, ctx) {
    const p = parseCommandArgs('train', args, {
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      limit: { type: 'string' },
      lr: { type: 'string' },
      steps: { type: 'string' },
      dt: { type: 'string' },
      seed: { type: 'string' },
      save: { type: 'string' },
      backend: { type: 'string' },
    });
    if (p.values['help']) {
      io.stdout(USAGE);
      return 0;
    }
    if (p.positionals.length !== 1) throw new UsageError(p.positionals.length === 0 ? 'missing <spec.json>' : `expected one spec file, got ${p.positionals.length}`, 'train');
    const settings: TrainSettings = {
      epochs: numberOpt('train', p, 'epochs', 1, { min: 1, integer: true }),
      batchSize: numberOpt('train', p, 'batch-size', 32, { min: 1, integer: true }),
      limit: numberOpt('train', p, 'limit', 256, { min: 1, integer: true }),
      lr: numberOpt('train', p, 'lr', 0.01, { min: 0 }),
      steps: numberOpt('train', p, 'steps', 5, { min: 1, integer: true }),
      dt: numberOpt('train', p, 'dt', 0.5, { min: 1e-12 }),
      seed: numberOpt('train', p, 'seed', 0, { integer: true }),
    };
    const backend = stringOpt(p, 'backend');
    if (backend !== undefined && backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`option --backend must be wasm or cpu, got '${backend}'`, 'train');
    await initBackend(backend ? { backend } : {});
    const specPath = resolve(io.cwd, p.positionals[0]!);
    const savePath = resolve(io.cwd, stringOpt(p, 'save', 'engram-out/train/model.json')!);
    const engram = await ctx.engram();
    const model: EngramModel = await loadModel(engram, specPath);
    try {
      const stream = isTrainable(model)
        ? model.train(settings as unknown as JsonObject)
        : model instanceof EnergyModel
          ? completionTraining(model, settings, specPath)
          : (() => {
              throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${specPath}: model kind '${model.kind}' does not train (no train() method and not a core graph)`, { source: specPath });
            })();
      io.stdout(`training ${model.kind} from ${specPath}\n`);
      const bar = new ProgressBar(io);
      let last: TrainEvent | undefined;
      await lastValueFrom(
        stream.pipe(
          tap((ev) => {
            bar.update(ev);
            last = ev;
          }),
        ),
        { defaultValue: undefined },
      );
      bar.finish();
      const saved = await saveModel(model, savePath, { engram });
      io.stdout(`final loss ${last ? last.loss.toFixed(5) : '?'}; saved ${saved.spec} and ${saved.weights}\n`);
      return 0;
    } finally {
      model.dispose();
    }
  },
};
