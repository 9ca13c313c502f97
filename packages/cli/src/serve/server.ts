/**
 * The live-view HTTP server (node:http, loopback by default). Requests whose
 * Host is not the bound host:port get 403 (DNS rebinding); state-changing
 * requests need the per-launch token the page carries (header
 * `x-engram-token`) and, when the browser sends one, the server's own Origin
 * (CSRF); request bodies are bounded; each event-stream client has a bounded
 * buffer (a client that stops reading is dropped) and the number of clients is capped.
 *
 *   GET  /              the page
 *   GET  /api/events    server-sent events: {type: 'start'|'step'|'status', ...}
 *   POST /api/start     start a run (cancels a current one)
 *   POST /api/pause     hold the run between two steps
 *   POST /api/resume    continue it
 *   POST /api/cancel    unsubscribe (frees the run's tensors) and dispose the model
 *   GET  /api/status    {status, steps, numTensors}
 *   GET  /api/tensors   {numTensors}: tf.memory().numTensors, to check for leaks
 */
import { randomBytes } from 'node:crypto';
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
  /** Least milliseconds between two state images sent to the page (default 150). */
  imageIntervalMs?: number;
  /** Most concurrent event-stream clients (default 16). */
  maxClients?: number;
  /** Most bytes buffered for one event-stream client before it is dropped (default 1 MiB). */
  maxClientBuffer?: number;
  /** Where a warning goes when the server listens beyond loopback. */
  warn?: (line: string) => void;
}

/** A running live server. */
export interface LiveServer {
  /** e.g. http://127.0.0.1:43123/ */
  readonly url: string;
  readonly port: number;
  readonly session: LiveSession;
  /** The per-launch token state-changing requests must carry (header x-engram-token). */
  readonly token: string;
  /** Event-stream clients connected now. */
  readonly clients: number;
  /** Cancels the run, ends the event streams and closes the server. */
  close(): Promise<void>;
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** A coded error body, as every refusal of the server is. */
function refuse(res: ServerResponse, code: number, errorCode: string, message: string): void {
  json(res, code, { error: message, code: errorCode });
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const MAX_BODY = 64 * 1024;

/** Reads a request body of at most `max` bytes (a bigger one rejects). */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        // Stop keeping it; the caller answers 413 and closes the connection.
        reject(new Error('too large'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the server; resolves once it listens. */
export async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  const session = new LiveSession(options.factory, { stepDelayMs: options.stepDelayMs ?? 20, ...(options.imageIntervalMs !== undefined ? { imageIntervalMs: options.imageIntervalMs } : {}) });
  const streams = new Set<ServerResponse>();
  const maxClients = options.maxClients ?? 16;
  const maxBuffer = options.maxClientBuffer ?? 2 ** 20;
  const token = randomBytes(16).toString('hex');
  session.listen((m) => {
    const line = `data: ${JSON.stringify(m)}\n\n`;
    for (const res of streams) {
      // A client that does not read: its buffer grows; drop it rather than the server's memory.
      if (res.writableLength > maxBuffer) {
        streams.delete(res);
        res.destroy();
        continue;
      }
      res.write(line);
    }
  });
  const page = livePageHtml(options.title, token);
  const host = options.host ?? '127.0.0.1';
  let allowedHosts = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      return refuse(res, 403, 'ENGRAM_ERR_FORBIDDEN', `Host '${req.headers.host ?? ''}' is not this server (${[...allowedHosts].join(' or ')}): open the page at the address engram serve printed`);
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && (path === '/' || path === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
      res.end(page);
      return;
    }
    if (method === 'GET' && path === '/api/events') {
      if (streams.size >= maxClients) return refuse(res, 503, 'ENGRAM_ERR_BUSY', `at most ${maxClients} event streams: close another tab`);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`data: ${JSON.stringify({ type: 'status', status: session.state })}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (method === 'GET' && path === '/api/tensors') return json(res, 200, { numTensors: tf.memory().numTensors });
    if (method === 'GET' && path === '/api/status') return json(res, 200, { status: session.state, steps: session.stepsSeen, numTensors: tf.memory().numTensors });
    if (method === 'POST' && path.startsWith('/api/')) {
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
        refuse(res, 413, 'ENGRAM_ERR_TOO_LARGE', 'request bodies are limited to 64 KiB');
      };
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) return tooLarge();
      try {
        await readBody(req, MAX_BODY);
      } catch {
        return tooLarge();
      }
      const action = path.slice(5);
      if (action === 'start') {
        // Answer once the run is set up (or superseded); setup errors reach the page as a status event.
        await session.start().catch(() => undefined);
      } else if (action === 'pause') session.pause();
      else if (action === 'resume') session.resume();
      else if (action === 'cancel') session.cancel();
      else return refuse(res, 404, 'ENGRAM_ERR_NOT_FOUND', `unknown action '${action}'`);
      return json(res, 200, { status: session.state });
    }
    refuse(res, 404, 'ENGRAM_ERR_NOT_FOUND', `no route ${method} ${path}`);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => refuse(res, 500, 'ENGRAM_ERR_INTERNAL', err instanceof Error ? err.message : String(err)));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
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
    session,
    token,
    get clients() {
      return streams.size;
    },
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
