/** `engram serve [spec]`: the live view of a run in the browser. */
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, loadModel, EngramError, ErrorCodes, type Engram } from '@engram/core';
import { numberOpt, parseCommandArgs, stringOpt } from '../args.js';
import { UsageError } from '../errors.js';
import { buildCompletionTask } from '../demo/completion-task.js';
import { isRunnable } from '../runnable.js';
import { startLiveServer, type LiveServer } from '../serve/server.js';
import type { LiveRun, LiveRunFactory } from '../serve/session.js';
import type { CliCommand } from './types.js';

const USAGE = `Usage: engram serve [spec.json] [options]

Starts a local web page that runs a model and shows its energy curve and
current states live (server-sent events), with Start, Pause, Resume and Cancel.
Without a spec it runs the demo's memory (Fashion-MNIST completion, core parts);
with one it loads the model and runs it from seeded noise (states are drawn as
images when a layer's size is a square number, e.g. 784 = 28x28).
Pause holds the dynamics loop between two steps on the server (a pausable RxJS
scheduler); Cancel unsubscribes, which frees the run's tensors.

Options:
  --port P         port (default 8787; 0 picks a free one)
  --host H         interface to listen on (default 127.0.0.1, loopback only)
  --steps N        maximum steps of a run (default 600)
  --dt X           step size (default 0.05 for the demo memory, 0.1 for a spec)
  --images K       demo memory: images stored and shown (default 16)
  --delay MS       pause added after each step so the run can be watched (default 20)
  --backend NAME   wasm | cpu
  -h, --help       this text
`;

/** Options of {@link demoLiveRun}. */
export interface DemoLiveOptions {
  images?: number;
  steps?: number;
  dt?: number;
  source?: 'auto' | 'full' | 'subset';
}

/** The demo memory as a live run (the queries' first 8 states drawn as images). */
export function demoLiveRun(o: DemoLiveOptions = {}): LiveRunFactory {
  return async (scheduler) => {
    const task = await buildCompletionTask({ images: o.images ?? 16, source: o.source ?? 'auto' });
    const shown = Math.min(8, task.count);
    const run: LiveRun = {
      title: `demo memory: ${task.count} Fashion-MNIST images in a modern Hopfield network (core parts), bottom halves hidden`,
      steps: task.run({ maxSteps: o.steps ?? 600, dt: o.dt ?? 0.05, tolerance: 1e-5, snapshot: [task.layer], scheduler }),
      images: (states) => {
        const v = states[task.layer];
        return v ? { data: task.toPixels(v.data.subarray(0, shown * task.stride), shown), count: shown, width: task.width, height: task.height } : null;
      },
      dispose: () => task.dispose(),
    };
    return run;
  };
}

/** Per-frame min-max scaling to [0, 1]: arbitrary models have arbitrary ranges. */
function toUnit(data: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of data) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  return data.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 0.5));
}

/**
 * A loaded model as a live run from seeded noise (4 samples): a core graph
 * (initialState) or a single-state model with a numeric `dim`. States whose
 * per-sample size is a square number are drawn as images.
 */
export function specLiveRun(engram: Engram, specPath: string, o: { steps?: number; dt?: number } = {}): LiveRunFactory {
  return async (scheduler) => {
    const model = await loadModel(engram, specPath);
    const single = isRunnable(model) && model.layers === undefined && typeof model.dim === 'number';
    if (!isRunnable(model) || (typeof model.initialState !== 'function' && !single)) {
      model.dispose();
      throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${specPath}: model kind '${model.kind}' needs run() and initialState() or a numeric dim to be served`, { source: specPath });
    }
    const initial = single ? tf.randomNormal([4, model.dim!], 0, 1, 'float32', 0) : model.initialState!(4, { seed: 0, std: 1 });
    const base = { maxSteps: o.steps ?? 600, dt: o.dt ?? 0.1, snapshot: true, scheduler };
    const steps = initial instanceof tf.Tensor ? model.run({ ...base, initial }) : model.run({ ...base, initial });
    return {
      title: `${model.kind} from ${specPath}`,
      steps,
      images: (states) => {
        for (const s of Object.values(states)) {
          const side = Math.sqrt(s.data.length / s.shape[0]!);
          if (Number.isInteger(side) && side >= 4) return { data: toUnit(s.data), count: s.shape[0]!, width: side, height: side };
        }
        return null;
      },
      dispose: () => {
        tf.dispose(initial instanceof tf.Tensor ? initial : Object.values(initial));
        model.dispose();
      },
    };
  };
}

/** The `serve` subcommand; resolves when the server closes (Ctrl-C). */
export const serveCommand: CliCommand = {
  name: 'serve',
  description: 'live view in the browser: energy curve and states over server-sent events',
  usage: USAGE,
  async run(args, io, ctx) {
    const p = parseCommandArgs('serve', args, {
      port: { type: 'string' },
      host: { type: 'string' },
      steps: { type: 'string' },
      dt: { type: 'string' },
      images: { type: 'string' },
      delay: { type: 'string' },
      backend: { type: 'string' },
    });
    if (p.values['help']) {
      io.stdout(USAGE);
      return 0;
    }
    if (p.positionals.length > 1) throw new UsageError(`expected at most one spec file, got ${p.positionals.length}`, 'serve');
    const port = numberOpt('serve', p, 'port', 8787, { min: 0, max: 65535, integer: true });
    const steps = numberOpt('serve', p, 'steps', 600, { min: 1, integer: true });
    const delay = numberOpt('serve', p, 'delay', 20, { min: 0 });
    const dtGiven = p.values['dt'] !== undefined ? numberOpt('serve', p, 'dt', 0.1, { min: 1e-12 }) : undefined;
    const backend = stringOpt(p, 'backend');
    if (backend !== undefined && backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`option --backend must be wasm or cpu, got '${backend}'`, 'serve');
    const used = await initBackend(backend ? { backend } : {});
    const spec = p.positionals[0];
    let factory: LiveRunFactory;
    let title: string;
    if (spec) {
      const specPath = resolve(io.cwd, spec);
      const engram = await ctx.engram();
      // Load once now so that a bad spec fails here, as one line, not in the browser.
      (await loadModel(engram, specPath)).dispose();
      factory = specLiveRun(engram, specPath, { steps, ...(dtGiven !== undefined ? { dt: dtGiven } : {}) });
      title = specPath;
    } else {
      factory = demoLiveRun({ steps, images: numberOpt('serve', p, 'images', 16, { min: 1, max: 1000, integer: true }), ...(dtGiven !== undefined ? { dt: dtGiven } : {}) });
      title = 'demo memory (Fashion-MNIST completion)';
    }
    const server: LiveServer = await startLiveServer({ factory, title, port, host: stringOpt(p, 'host', '127.0.0.1')!, stepDelayMs: delay });
    io.stdout(`engram live view on ${server.url} (backend ${used}); press Ctrl-C to stop\n`);
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};
