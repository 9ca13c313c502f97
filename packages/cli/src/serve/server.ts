/**
 * The `engram serve` HTTP server (node:http, loopback by default): it serves
 * the playground's page and runs its requests on the Node side.
 *
 *   GET  /                         the playground (with this server's token)
 *   GET  /assets/..., /wasm/..., /data/...   the page's static files
 *   GET  /api/kinds                the registered model kinds (schemas, examples)
 *   POST /api/runs                 start a run (body: the page's RunRequest) -> { id }
 *   GET  /api/runs/<id>/events     server-sent events of the run (replayed from its start)
 *   POST /api/runs/<id>/<action>   pause | resume | cancel
 *   GET  /api/status, /api/tensors the current run; tf.memory().numTensors
 *
 * Requests whose Host is not the bound host:port get 403 (DNS rebinding);
 * state-changing requests need the per-launch token the page carries (header
 * `x-engram-token`) and, when the browser sends one, the server's own Origin
 * (CSRF); request bodies are bounded; each event-stream client has a bounded
 * buffer (a client that stops reading is dropped) and the number of clients is capped.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Engram } from '@engram/core';
import { kindsOf, type KindInfo, type RunRequest } from '@engram/playground';
import { playgroundDir } from './playground-files.js';
import { RunManager } from './run-manager.js';

/** Options of {@link startLiveServer}. */
export interface LiveServerOptions {
  /** The registry the runs use. */
  engram: Engram;
  /** Port (0 = any free port; default 0). */
  port?: number;
  /** Host (default 127.0.0.1). */
  host?: string;
  /** Delay added to each step so a run can be watched (ms, default 0). */
  stepDelayMs?: number;
  /** Least milliseconds between two state images sent to the page (default 120). */
  imageIntervalMs?: number;
  /** Most concurrent event-stream clients (default 16). */
  maxClients?: number;
  /** Most bytes buffered for one event-stream client before it is dropped (default 1 MiB). */
  maxClientBuffer?: number;
  /**
   * Largest request body in bytes (default 64 MiB): a run of a saved model carries
   * its weights as base64 inside the request. Bodies are read only after the token
   * and Origin checks.
   */
  maxBody?: number;
  /** A saved model the page starts with (spec and weights as base64), e.g. from `engram serve spec.json`. */
  preset?: { spec: Record<string, unknown>; weights: string };
  /** Where a warning goes when the server listens beyond loopback. */
  warn?: (line: string) => void;
}

/** A running server. */
export interface LiveServer {
  /** e.g. http://127.0.0.1:43123/ */
  readonly url: string;
  readonly port: number;
  readonly runs: RunManager;
  /** The per-launch token state-changing requests must carry (header x-engram-token). */
  readonly token: string;
  /** Event-stream clients connected now. */
  readonly clients: number;
  /** Cancels the run, ends the event streams and closes the server. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gz': 'application/gzip',
};

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** A coded error body, as every refusal of the server is. */
function refuse(res: ServerResponse, code: number, errorCode: string, message: string): void {
  json(res, code, { error: message, code: errorCode });
}

/** Reads a request body of at most `max` bytes (a bigger one rejects). */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error('too large'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the server; resolves once it listens. */
export async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  const runs = new RunManager(options.engram, { stepDelayMs: options.stepDelayMs ?? 0, ...(options.imageIntervalMs !== undefined ? { imageIntervalMs: options.imageIntervalMs } : {}) });
  const streams = new Set<ServerResponse>();
  const maxClients = options.maxClients ?? 16;
  const maxBuffer = options.maxClientBuffer ?? 2 ** 20;
  const maxBody = options.maxBody ?? 64 * 2 ** 20;
  const token = randomBytes(16).toString('hex');
  const host = options.host ?? '127.0.0.1';
  const root = playgroundDir();
  let kinds: Promise<KindInfo[]> | undefined;
  let allowedHosts = new Set<string>();

  const page = (): string => {
    const file = root ? join(root, 'index.html') : undefined;
    const html = file ? readFileSync(file, 'utf8') : '<!DOCTYPE html><p>The playground is not built: run <code>npm run build</code>.</p>';
    // The token (hex) and the preset (JSON, '<' escaped) go into the page the server serves, and nowhere else.
    const boot = JSON.stringify({ token, ...(options.preset ? { model: options.preset } : {}) }).replace(/</g, '\\u003c');
    return html.replace('<head>', `<head>\n<script>window.ENGRAM_SERVER = ${boot};</script>`);
  };

  const serveFile = (res: ServerResponse, path: string): boolean => {
    if (!root) return false;
    const file = resolve(root, `.${path}`);
    if (!file.startsWith(root + sep)) return false;
    try {
      if (!statSync(file).isFile()) return false;
    } catch {
      return false;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
    return true;
  };

  const sse = (req: IncomingMessage, res: ServerResponse, id: string): void => {
    if (streams.size >= maxClients) return refuse(res, 503, 'ENGRAM_ERR_BUSY', `at most ${maxClients} event streams: close another tab`);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    streams.add(res);
    let replaying = true;
    const stop = runs.follow(id, (e) => {
      // A client that does not read: its buffer grows; drop it rather than the server's memory.
      // The replay of a run's past events is written at once, so only live events count.
      if (!replaying && res.writableLength > maxBuffer) {
        streams.delete(res);
        res.destroy();
        return;
      }
      res.write(`data: ${JSON.stringify(e)}\n\n`);
    });
    replaying = false;
    if (!stop) {
      res.write(`data: ${JSON.stringify({ type: 'status', status: 'error', message: `no run '${id}'` })}\n\n`);
      res.end();
      streams.delete(res);
      return;
    }
    req.on('close', () => {
      stop();
      streams.delete(res);
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      return refuse(res, 403, 'ENGRAM_ERR_FORBIDDEN', `Host '${req.headers.host ?? ''}' is not this server (${[...allowedHosts].join(' or ')}): open the page at the address engram serve printed`);
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET') {
      if (path === '/' || path === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
        res.end(page());
        return;
      }
      if (path === '/api/kinds') return json(res, 200, { kinds: await (kinds ??= kindsOf(options.engram)) });
      if (path === '/api/tensors') return json(res, 200, { numTensors: tf.memory().numTensors });
      if (path === '/api/status') return json(res, 200, { ...runs.status(), numTensors: tf.memory().numTensors });
      const events = /^\/api\/runs\/([\w-]+)\/events$/.exec(path);
      if (events) return sse(req, res, events[1]!);
      if (!path.startsWith('/api/') && serveFile(res, path)) return;
      return refuse(res, 404, 'ENGRAM_ERR_NOT_FOUND', `no route ${method} ${path}`);
    }
    if (method !== 'POST' || !path.startsWith('/api/')) return refuse(res, 404, 'ENGRAM_ERR_NOT_FOUND', `no route ${method} ${path}`);
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^https?:\/\//, '').toLowerCase())) {
      return refuse(res, 403, 'ENGRAM_ERR_FORBIDDEN', `requests from the page at ${origin} may not control this server`);
    }
    if (req.headers['x-engram-token'] !== token) {
      return refuse(res, 403, 'ENGRAM_ERR_FORBIDDEN', 'missing or wrong x-engram-token: control the server from the page it serves');
    }
    const tooLarge = (): void => {
      res.setHeader('connection', 'close');
      res.on('finish', () => req.destroy());
      refuse(res, 413, 'ENGRAM_ERR_TOO_LARGE', `request bodies are limited to ${Math.round(maxBody / 1024)} KiB`);
    };
    if (Number(req.headers['content-length'] ?? 0) > maxBody) return tooLarge();
    let body: string;
    try {
      body = await readBody(req, maxBody);
    } catch {
      return tooLarge();
    }
    if (path === '/api/runs') {
      let request: RunRequest;
      try {
        request = JSON.parse(body) as RunRequest;
        if (!request || typeof request.kind !== 'string') throw new Error('a run request needs a kind');
      } catch (err) {
        return refuse(res, 400, 'ENGRAM_ERR_INVALID_ARGUMENT', `the body must be a run request as JSON (${(err as Error).message})`);
      }
      return json(res, 200, { id: await runs.start(request) });
    }
    const control = /^\/api\/runs\/([\w-]+)\/(pause|resume|cancel)$/.exec(path);
    if (control) {
      if (!runs.control(control[1]!, control[2] as 'pause' | 'resume' | 'cancel')) return refuse(res, 404, 'ENGRAM_ERR_NOT_FOUND', `no run '${control[1]}'`);
      return json(res, 200, runs.status());
    }
    return refuse(res, 404, 'ENGRAM_ERR_NOT_FOUND', `no route ${method} ${path}`);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => refuse(res, 500, 'ENGRAM_ERR_INTERNAL', err instanceof Error ? err.message : String(err)));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolvePromise());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set([`${shownHost}:${port}`.toLowerCase(), ...(LOOPBACK.has(host) ? [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`] : [])]);
  if (!LOOPBACK.has(host)) {
    (options.warn ?? ((l: string) => process.stderr.write(l)))(
      `engram serve: warning: listening on ${host}, beyond this machine: anyone who can reach ${shownHost}:${port} can open the page and run models\n`,
    );
  }
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    runs,
    token,
    get clients() {
      return streams.size;
    },
    close: async () => {
      runs.cancelCurrent();
      for (const res of streams) res.end();
      streams.clear();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
