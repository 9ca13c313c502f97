/** `engram serve [spec]`: the live view of a run in the browser, for any model kind. */
import { resolve } from 'node:path';
import { z } from '@engram/core';
import { loadModel } from '@engram/core/node';
import { buildCompletionTask } from '../demo/completion-task.js';
import { readSetPairs } from '../set-pairs.js';
import { modelLiveRun } from '../serve/model-live-run.js';
import { startLiveServer, type LiveServer } from '../serve/server.js';
import type { LiveRun, LiveRunFactory } from '../serve/session.js';
import { defineCliCommand } from './types.js';

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

/** The `serve` subcommand; resolves when the server closes (Ctrl-C). */
export const serveCommand = defineCliCommand({
  name: 'serve',
  description: 'live view in the browser: energy curve and states over server-sent events',
  options: z.strictObject({
    port: z.number().int().min(0).max(65535).default(8787).describe('port (0 picks a free one)'),
    host: z.string().default('127.0.0.1').describe('interface to listen on (loopback only by default)'),
    steps: z.number().int().min(1).default(600).describe('maximum steps of a run'),
    dt: z.number().positive().optional().describe("step size (default 0.05 for the demo memory, the model's for a spec)"),
    images: z.number().int().min(1).max(1000).default(16).describe('demo memory: images stored and shown'),
    batch: z.number().int().min(1).max(64).default(4).describe('spec: samples run from a generated state'),
    delay: z.number().min(0).default(20).describe('milliseconds added after each step so the run can be watched'),
    set: z.array(z.string()).default([]).describe("spec: the model's own run option key=value (repeatable)"),
  }),
  positionals: [{ name: 'spec.json', description: "a saved model of any kind (default: the demo's memory)", required: false }],
  details:
    'Pause holds the dynamics loop between two steps on the server (a pausable RxJS scheduler); Cancel unsubscribes, which frees the run\'s tensors.',
  async run({ options: o, positionals }, io, ctx) {
    let factory: LiveRunFactory;
    let title: string;
    const spec = positionals[0];
    if (spec) {
      const specPath = resolve(io.cwd, spec);
      const engram = await ctx.engram();
      // Load once now so that a bad spec or a bad --set fails here, as one line, not in the browser.
      const probe = await loadModel(engram, specPath);
      let extra: Record<string, unknown>;
      try {
        extra = readSetPairs('serve', o.set, probe.runSchema);
      } finally {
        probe.dispose();
      }
      factory = async (scheduler) =>
        modelLiveRun(await loadModel(engram, specPath), `${probe.kind} from ${specPath}`, scheduler, {
          steps: o.steps,
          batch: o.batch,
          extra,
          ...(o.dt !== undefined ? { dt: o.dt } : {}),
        });
      title = specPath;
    } else {
      factory = demoLiveRun({ steps: o.steps, images: o.images, ...(o.dt !== undefined ? { dt: o.dt } : {}) });
      title = 'demo memory (Fashion-MNIST completion)';
    }
    const server: LiveServer = await startLiveServer({ factory, title, port: o.port, host: o.host, stepDelayMs: o.delay });
    io.stdout(`engram live view on ${server.url} (backend ${ctx.backend}); press Ctrl-C to stop\n`);
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
});
