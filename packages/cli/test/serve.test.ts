import { expect } from 'chai';
import { request } from 'node:http';
import { createEngram, initBackend, type Engram } from '@engram/core';
import { startLiveServer, type LiveServer } from '../src/index.js';
import type { RunEvent, RunRequest } from '@engram/playground';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 20000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await sleep(25);
  }
}

/** A raw request with chosen headers (fetch forbids setting Host). */
function raw(url: string, method: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A long run of a small core graph: 64 units, a memory of 8, tiny steps, no data. */
function longRun(size = 64, steps = 100000): RunRequest {
  return {
    kind: 'core/graph',
    config: {
      layers: [{ name: 'v', shape: [size], lagrangian: { kind: 'core/identity' } }],
      synapses: [{ name: 'mem', kind: 'core/memory', layers: ['v'], config: { memories: 8, size, beta: 2 } }],
    },
    data: { source: 'none' },
    cue: { store: false, cue: 'clean', noise: 0 },
    batch: 2,
    seed: 0,
    maxSteps: steps,
    dt: 1e-4,
    extra: {},
  };
}

/** Server-sent events of a run, collected. */
function follow(url: string): { events: RunEvent[]; close: () => void } {
  const events: RunEvent[] = [];
  const ctl = new AbortController();
  void fetch(url, { signal: ctl.signal })
    .then(async (res) => {
      const reader = res.body!.getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += new TextDecoder().decode(value);
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const chunk = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (chunk.startsWith('data: ')) events.push(JSON.parse(chunk.slice(6)) as RunEvent);
        }
      }
    })
    .catch(() => undefined);
  return { events, close: () => ctl.abort() };
}

describe('engram serve (the playground on the Node side)', function () {
  let engram: Engram;
  let server: LiveServer;
  const post = async (path: string, body?: unknown, srv = server): Promise<Response> =>
    fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'x-engram-token': srv.token, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const start = async (r: RunRequest, srv = server): Promise<string> => ((await (await post('api/runs', r, srv)).json()) as { id: string }).id;
  const tensors = async (srv = server): Promise<number> => (await getJson<{ numTensors: number }>(`${srv.url}api/tensors`)).numTensors;

  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram();
    server = await startLiveServer({ engram, port: 0, stepDelayMs: 2, maxBody: 1024 * 1024 });
  });
  after(async () => server.close());

  it('serves the page with its token on loopback and lists the registered kinds with their schemas', async () => {
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const html = await (await fetch(server.url)).text();
    expect(html).to.contain(`window.ENGRAM_SERVER = {"token":"${server.token}"}`);
    const { kinds } = await getJson<{ kinds: { id: string; schema: { properties: object }; example: object }[] }>(`${server.url}api/kinds`);
    const graph = kinds.find((k) => k.id === 'core/graph')!;
    expect(graph.schema.properties).to.have.property('layers');
    expect(graph.example).to.have.property('layers');
    expect((await post('api/nothing')).status).to.equal(404);
  });

  it('refuses a foreign Host, a foreign Origin, a missing token and a huge body, and starts nothing', async () => {
    const host = new URL(server.url).host;
    const rebinding = await raw(`${server.url}api/status`, 'GET', { host: 'evil.example' });
    expect(rebinding.status).to.equal(403);
    expect(JSON.parse(rebinding.body).code).to.equal('ENGRAM_ERR_FORBIDDEN');
    expect((await raw(server.url, 'GET', { host: 'evil.example:80' })).status).to.equal(403);
    const body = JSON.stringify(longRun());
    expect((await raw(`${server.url}api/runs`, 'POST', { host, origin: 'http://attacker.example', 'x-engram-token': server.token }, body)).status).to.equal(403);
    expect((await raw(`${server.url}api/runs`, 'POST', { host }, body)).status).to.equal(403);
    expect((await raw(`${server.url}api/runs`, 'POST', { host, origin: `http://${host}`, 'x-engram-token': 'nope' }, body)).status).to.equal(403);
    expect((await raw(`${server.url}api/runs`, 'POST', { host, 'x-engram-token': server.token }, 'x'.repeat(2 * 1024 * 1024))).status).to.equal(413);
    expect((await raw(`${server.url}api/runs`, 'POST', { host, 'x-engram-token': server.token }, '{not json')).status).to.equal(400);
    expect(server.runs.status().running).to.equal(false);
  });

  it('runs a request on the server: events (start, steps, status), pause holds it, cancel frees every tensor', async () => {
    const base = await tensors();
    const id = await start(longRun());
    const sub = follow(`${server.url}api/runs/${id}/events`);
    await waitFor(() => sub.events.filter((e) => e.type === 'step').length > 5);
    expect(sub.events[0]!.type).to.equal('start');
    await post(`api/runs/${id}/pause`);
    await sleep(80);
    const held = sub.events.length;
    await sleep(300);
    expect(sub.events.length, 'no steps while paused').to.equal(held);
    await post(`api/runs/${id}/resume`);
    await waitFor(() => sub.events.length > held + 3);
    await post(`api/runs/${id}/cancel`);
    await waitFor(() => sub.events.some((e) => e.type === 'status' && e.status === 'cancelled'));
    sub.close();
    expect(await tensors()).to.equal(base);
    // A page that connects after the run ended replays it from the start.
    const late = follow(`${server.url}api/runs/${id}/events`);
    await waitFor(() => late.events.some((e) => e.type === 'status' && e.status === 'cancelled'));
    expect(late.events[0]!.type).to.equal('start');
    expect(late.events.filter((e) => e.type === 'step').length).to.be.greaterThan(5);
    late.close();
  });

  it('a bad request is a status error event, not a crash', async () => {
    const id = await start({ ...longRun(), config: { layers: [] } });
    const sub = follow(`${server.url}api/runs/${id}/events`);
    await waitFor(() => sub.events.some((e) => e.type === 'status'));
    const status = sub.events.find((e) => e.type === 'status') as Extract<RunEvent, { type: 'status' }>;
    expect(status.status).to.equal('error');
    expect(status.message).to.match(/ENGRAM_ERR_INVALID_CONFIG.*layers/);
    sub.close();
  });

  it('100 concurrent starts and 1,000 start/cancel cycles leave no run stepping and the tensor count at its baseline', async () => {
    const base = await tensors();
    const ids = await Promise.all(Array.from({ length: 100 }, () => start(longRun())));
    expect(new Set(ids).size).to.equal(100);
    expect(server.runs.status().running).to.equal(true);
    for (let i = 0; i < 1000; i++) {
      const id = await start(longRun());
      await post(`api/runs/${id}/cancel`);
    }
    server.runs.cancelCurrent();
    await sleep(200);
    expect(server.runs.status().running).to.equal(false);
    expect(await tensors()).to.equal(base);
  });

  it('drops an event-stream client that never reads, without the server buffering for it', async () => {
    const srv = await startLiveServer({ engram, port: 0, imageIntervalMs: 0, maxClientBuffer: 64 * 1024 });
    try {
      // Big messages (a 64x64 image on every step) fill the socket buffers quickly.
      const id = await start(longRun(4096), srv);
      const { Socket } = await import('node:net');
      const sock = new Socket();
      await new Promise<void>((r) => sock.connect(srv.port, '127.0.0.1', r));
      sock.write(`GET /api/runs/${id}/events HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n\r\n`);
      sock.pause(); // never reads
      const rss = process.memoryUsage().rss;
      await waitFor(() => srv.clients === 1, 10000);
      await waitFor(() => srv.clients === 0, 90000);
      expect(srv.runs.status().running, 'the run goes on').to.equal(true);
      expect(process.memoryUsage().rss - rss, 'server memory growth').to.be.lessThan(100 * 2 ** 20);
      sock.destroy();
    } finally {
      await srv.close();
    }
  });
});
