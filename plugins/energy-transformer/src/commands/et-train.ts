/**
 * `engram et-train`: the masked-image experiment from the command line, with a
 * progress bar, checkpoints, resume and PNG outputs (see runImageExperiment).
 */
import { resolve } from 'node:path';
import type { CommandIO, Engram } from '@engram/core';
import { isEngramError } from '@engram/core';
import type { FashionMnistSource } from '@engram/data';
import { runImageExperiment } from '../image/experiment.js';
import { numArg, parseArgs, progressLine } from './args.js';

/** Usage text of `engram et-train`. */
export const ET_TRAIN_USAGE = `engram et-train [--out DIR] [--train N] [--test N] [--epochs E] [--batch B] [--lr LR]
  [--dim D] [--heads H] [--head-dim Y] [--memories M] [--steps T] [--alpha A] [--hopfield relu|softmax]
  [--exclude-diagonal] [--mask-ratio R] [--seed S] [--source auto|full|subset] [--no-transformer]
  [--transformer-layers L] [--resume DIR/checkpoint/et.json]`;

const KNOWN = [
  'out', 'train', 'test', 'epochs', 'batch', 'lr', 'dim', 'heads', 'head-dim', 'memories', 'steps', 'alpha', 'hopfield',
  'exclude-diagonal', 'mask-ratio', 'seed', 'source', 'no-transformer', 'transformer-layers', 'resume', 'help',
];

/** Runs `engram et-train`; returns the exit code. */
export async function etTrainCommand(argv: readonly string[], io: CommandIO, engram?: Engram): Promise<number> {
  try {
    const a = parseArgs(argv, KNOWN);
    if (a.has('help')) {
      io.stdout(`${ET_TRAIN_USAGE}\n`);
      return 0;
    }
    const dim = numArg(a, 'dim', 128, true);
    const heads = numArg(a, 'heads', 4, true);
    const out = resolve(io.cwd, a.get('out') ?? 'engram-out/et-train');
    let lastLine = 0;
    const opts: Parameters<typeof runImageExperiment>[0] = {
      out,
      trainCount: numArg(a, 'train', 10000, true),
      testCount: numArg(a, 'test', 2000, true),
      epochs: numArg(a, 'epochs', 1, true),
      batch: numArg(a, 'batch', 32, true),
      lr: numArg(a, 'lr', 1e-3),
      maskRatio: numArg(a, 'mask-ratio', 0.5),
      seed: numArg(a, 'seed', 0, true),
      source: (a.get('source') ?? 'auto') as FashionMnistSource,
      transformer: !a.has('no-transformer'),
      transformerLayers: numArg(a, 'transformer-layers', 1, true),
      block: {
        tokenDim: dim,
        heads,
        headDim: numArg(a, 'head-dim', Math.max(1, Math.floor(dim / heads)), true),
        memories: numArg(a, 'memories', 4 * dim, true),
        steps: numArg(a, 'steps', 12, true),
        alpha: numArg(a, 'alpha', 0.1),
        hopfield: (a.get('hopfield') ?? 'relu') as 'relu' | 'softmax',
        excludeDiagonal: a.has('exclude-diagonal'),
      },
      onEvent: (model, ev) => {
        const line = progressLine(`${model} epoch ${ev.epoch + 1}/${ev.epochs}`, ev.batch + 1, ev.batches, `loss ${ev.loss.toFixed(4)}`);
        if (ev.type !== 'batch') return;
        const last = ev.batches !== null && ev.batch + 1 === ev.batches;
        if (io.isTTY) io.stderr(`\r${line}${last ? '\n' : ''}`);
        else if (last || Date.now() - lastLine > 5000) {
          io.stderr(`${line}\n`);
          lastLine = Date.now();
        }
      },
    };
    if (a.get('resume')) opts.resume = resolve(io.cwd, a.get('resume')!);
    opts.log = (line) => io.stderr(`${line}\n`);
    if (engram) opts.engram = engram;
    const r = await runImageExperiment(opts);
    io.stdout(
      [
        `masked-patch MSE on ${opts.testCount} test images (${Math.round(100 * opts.maskRatio!)}% of patches masked):`,
        `  energy transformer   ${r.etMse.toFixed(5)}  (${r.etParams} parameters, ${r.trainSeconds.et.toFixed(0)} s)`,
        `  mean training patch  ${r.meanPatchMse.toFixed(5)}`,
        r.transformerMse === null ? '  transformer baseline skipped' : `  transformer encoder  ${r.transformerMse.toFixed(5)}  (${r.transformerParams} parameters, ${r.trainSeconds.transformer!.toFixed(0)} s)`,
        `files: ${r.files.join(', ')}`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    io.stderr(`et-train: ${isEngramError(err) ? err.message : String((err as Error)?.stack ?? err)}\n`);
    return isEngramError(err) ? 2 : 1;
  }
}
