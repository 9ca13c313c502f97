/**
 * The live-view HTTP server (node:http, loopback by default):
 *   GET  /              the page
 *   GET  /api/events    server-sent events: {type: 'start'|'step'|'status', ...}
 *   POST /api/start     start a run (cancels a current one)
 *   POST /api/pause     hold the run between two steps
 *   POST /api/resume    continue it
 *   POST /api/cancel    unsubscribe (frees the run's tensors) and dispose the model
 *   GET  /api/status    {status, steps, numTensors}
 *   GET  /api/tensors   {numTensors}: tf.memory().numTensors, to check for leaks
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs';
import { livePageHtml } from './page.js';
import { LiveSession, type LiveRunFactory } from './session.js';

/** Options of {@link startLiveServer}. */
export interface LiveServerOptions {
  /** Builds the run shown by the page. */
  factory: LiveRunFactory;
  /** Title of the page. */
  title: string;
  /** Port (0 = any free port; default 0). */
  port?: number;
  /** Host (default 127.0.0.1). */
  host?: string;
  /** Delay added to each step so the run can be watched (ms, default 20). */
  stepDelayMs?: number;
}

/** A running live server. */
export interface LiveServer {
  /** e.g. http://127.0.0.1:43123/ */
  readonly url: string;
  readonly port: number;
  readonly session: LiveSession;
  /** Cancels the run, ends the event streams and closes the server. */
  close(): Promise<void>;
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Starts the server; resolves once it listens. */
export async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  const session = new LiveSession(options.factory, { stepDelayMs: options.stepDelayMs ?? 20 });
  const streams = new Set<ServerResponse>();
  session.listen((m) => {
    const line = `data: ${JSON.stringify(m)}\n\n`;
    for (const res of streams) res.write(line);
  });
  const page = livePageHtml(options.title);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && (path === '/' || path === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page);
      return;
    }
    if (method === 'GET' && path === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`data: ${JSON.stringify({ type: 'status', status: session.state })}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (method === 'GET' && path === '/api/tensors') return json(res, 200, { numTensors: tf.memory().numTensors });
    if (method === 'GET' && path === '/api/status') return json(res, 200, { status: session.state, steps: session.stepsSeen, numTensors: tf.memory().numTensors });
    if (method === 'POST' && path.startsWith('/api/')) {
      const action = path.slice(5);
      if (action === 'start') await session.start();
      else if (action === 'pause') session.pause();
      else if (action === 'resume') session.resume();
      else if (action === 'cancel') session.cancel();
      else return json(res, 404, { error: `unknown action '${action}'` });
      return json(res, 200, { status: session.state });
    }
    json(res, 404, { error: `no route ${method} ${path}` });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => json(res, 500, { error: err instanceof Error ? err.message : String(err) }));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    session,
    close: async () => {
      session.cancel();
      for (const res of streams) res.end();
      streams.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
