/**
 * The `split-fmnist` command: runs class-incremental Split Fashion-MNIST for
 * the SDMLP and its baselines, prints the table, writes results.json, table.txt
 * and accuracy.svg (accuracy on all classes after each task, one line per model).
 */
import { join, resolve } from 'node:path';
import { type CommandIO, errors } from '@engram/core';
import { linePlotSvg, writeText } from '@engram/viz';
import { type SplitFashionMnistOptions, type SplitFashionMnistResult, type SplitModelName, SPLIT_MODELS, formatSplitTable, runSplitFashionMnist } from './split-fmnist.js';

/** Usage text of `engram split-fmnist`. */
export const SPLIT_USAGE = `engram split-fmnist [options]
  --models a,b,...      ${Object.keys(SPLIT_MODELS).join(', ')} (default sdmlp,relu-sgd,relu-adam,topk)
  --seeds 0,1           seeds to average over (default 0,1)
  --epochs N            epochs per task (default 2)
  --source S            full | subset | auto (default auto: full set when installed)
  --data-dir DIR        directory of the Fashion-MNIST IDX files
  --train-per-class N   at most N training images per class (default all)
  --test-limit N        at most N test images (default all)
  --hidden N --k K      hidden neurons and active neurons (default 1000, 10)
  --gaba-horizon A      activations per neuron for the GABA switch (default 0.8 x first-task images x epochs)
  --lr MODEL=X,...      learning rates per model (defaults: sdmlp 2, relu-sgd/topk 0.05, Adam 0.001)
  --batch-size B        mini-batch size (default 128)
  --ewc-lambda L        EWC strength for relu-ewc / sdmlp-ewc (default 200)
  --out DIR             output folder (default ./engram-out/split-fmnist)`;

/** Parses the command's arguments into protocol options and an output folder; throws INVALID_ARGUMENT on bad input. */
export function parseSplitArgs(args: readonly string[], cwd = process.cwd()): { options: SplitFashionMnistOptions; out: string } {
  const options: SplitFashionMnistOptions = {};
  let out = resolve(cwd, 'engram-out/split-fmnist');
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n)) throw errors.invalidArgument(flag, 'a number', v);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const v = args[i + 1];
    i++;
    switch (flag) {
      case '--models':
        options.models = (v ?? '').split(',').filter((s) => s !== '') as SplitModelName[];
        break;
      case '--seeds':
        options.seeds = (v ?? '').split(',').map((s) => num('--seeds', s));
        break;
      case '--epochs':
        options.epochsPerTask = num(flag, v);
        break;
      case '--source':
        if (v !== 'full' && v !== 'subset' && v !== 'auto') throw errors.invalidArgument(flag, "'full', 'subset' or 'auto'", v);
        options.source = v;
        break;
      case '--data-dir':
        if (!v) throw errors.invalidArgument(flag, 'a directory', v);
        options.dir = v;
        break;
      case '--train-per-class':
        options.trainPerClass = num(flag, v);
        break;
      case '--test-limit':
        options.testLimit = num(flag, v);
        break;
      case '--hidden':
        options.hidden = num(flag, v);
        break;
      case '--k':
        options.k = num(flag, v);
        break;
      case '--gaba-horizon':
        options.gabaHorizon = num(flag, v);
        break;
      case '--lr':
        for (const pair of (v ?? '').split(',')) {
          const [model, value] = pair.split('=');
          if (!model || !(model in SPLIT_MODELS)) throw errors.invalidArgument('--lr', `MODEL=rate with MODEL among ${Object.keys(SPLIT_MODELS).join(', ')}`, pair);
          options.learningRates = { ...options.learningRates, [model]: num('--lr', value) };
        }
        break;
      case '--ewc-lambda':
        options.ewcLambda = num(flag, v);
        break;
      case '--batch-size':
        options.batchSize = num(flag, v);
        break;
      case '--out':
        if (!v) throw errors.invalidArgument(flag, 'a folder', v);
        out = resolve(cwd, v);
        break;
      default:
        throw errors.invalidArgument('argument', `one of the options of:\n${SPLIT_USAGE}`, flag);
    }
  }
  return { options, out };
}

/** The accuracy-after-each-task plot of a result (SVG). */
export function splitAccuracyPlot(result: SplitFashionMnistResult): string {
  return linePlotSvg({
    series: result.models.map((m) => ({ name: m.label, y: m.accuracyAfterTask })),
    xCategories: result.tasks.map((c, t) => `after T${t + 1} {${c.join(',')}}`),
    yLabel: '10-class test accuracy',
    yDomain: [0, 1],
    title: `Class-incremental Split Fashion-MNIST (N=${result.settings.hidden}, k=${result.settings.k}, ${result.settings.epochsPerTask} epochs/task)`,
  });
}

/** Writes results.json, table.txt and accuracy.svg into `out`; returns the table. */
export function writeSplitOutputs(result: SplitFashionMnistResult, out: string): string {
  const table = formatSplitTable(result);
  writeText(join(out, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeText(join(out, 'table.txt'), `${table}\n`);
  writeText(join(out, 'accuracy.svg'), splitAccuracyPlot(result));
  return table;
}

/** Runs `engram split-fmnist`; resolves to the exit code (0 on success, 2 on bad arguments). */
export async function runSplitCommand(args: readonly string[], io: CommandIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${SPLIT_USAGE}\n`);
    return 0;
  }
  let parsed: ReturnType<typeof parseSplitArgs>;
  try {
    parsed = parseSplitArgs(args, io.cwd);
  } catch (e) {
    io.stderr(`${(e as Error).message}\n`);
    return 2;
  }
  let last = '';
  const result = await runSplitFashionMnist({
    ...parsed.options,
    onProgress: ({ model, seed, task, event }) => {
      if (event.type !== 'epoch') return;
      const line = `${model} seed ${seed} task ${task + 1} epoch ${event.epoch + 1}/${event.epochs} loss ${event.loss.toFixed(4)} (${(event.elapsedMs / 1000).toFixed(1)} s)`;
      if (line !== last) io.stderr(`${line}\n`);
      last = line;
    },
  });
  const table = writeSplitOutputs(result, parsed.out);
  io.stdout(`Split Fashion-MNIST (${result.source} set: ${result.trainImages} train / ${result.testImages} test images), seeds ${result.settings.seeds.join(',')}\n`);
  io.stdout(`${table}\nwrote ${join(parsed.out, 'results.json')}, table.txt, accuracy.svg\n`);
  return 0;
}
