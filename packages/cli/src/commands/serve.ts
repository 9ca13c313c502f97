/** `engram serve [spec]`: the playground in the browser, with runs on the Node side (server-sent events). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from '@engram/core';
import { fileBesideSpec, loadModel, readSpecJson } from '@engram/core/node';
import { toBase64 } from '@engram/playground';
import { startLiveServer, type LiveServer } from '../serve/server.js';
import { defineCliCommand } from './types.js';

/** The `serve` subcommand; resolves when the server closes (Ctrl-C). */
export const serveCommand = defineCliCommand({
  name: 'serve',
  description: 'the playground in the browser: any model kind, run live on this machine (server-sent events)',
  options: z.strictObject({
    port: z.number().int().min(0).max(65535).default(8787).describe('port (0 picks a free one)'),
    host: z.string().default('127.0.0.1').describe('interface to listen on (loopback only by default)'),
    delay: z.number().min(0).default(0).describe('milliseconds added after each step so a run can be watched'),
  }),
  positionals: [{ name: 'spec.json', description: 'a saved model the page starts with (any kind)', required: false }],
  details:
    "The page lists every registered model kind, builds its config form from the kind's schema, and runs in this page or on the server (the runner menu). Pause holds the run between two steps; Cancel unsubscribes, which frees the run's tensors.",
  async run({ options: o, positionals }, io, ctx) {
    const engram = await ctx.engram();
    let preset: { spec: Record<string, unknown>; weights: string } | undefined;
    if (positionals[0]) {
      const specPath = resolve(io.cwd, positionals[0]);
      // Load it once now so that a bad spec fails here, as one line, not in the browser.
      (await loadModel(engram, specPath)).dispose();
      const spec = (await readSpecJson(specPath, 'model spec')) as Record<string, unknown> & { weights: { file: string } };
      preset = { spec, weights: toBase64(new Uint8Array(readFileSync(fileBesideSpec(specPath, spec.weights.file, 'weights.file')))) };
    }
    const server: LiveServer = await startLiveServer({ engram, port: o.port, host: o.host, stepDelayMs: o.delay, ...(preset ? { preset } : {}), warn: (l) => io.stderr(l) });
    io.stdout(`engram playground on ${server.url} (backend ${ctx.backend}); press Ctrl-C to stop\n`);
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
