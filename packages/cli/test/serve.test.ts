import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnergyModel, createEngram, initBackend, lagrangians, memorySynapse } from '@engram/core';
import { saveModel } from '@engram/core/node';
import { chromium, type Browser } from 'playwright-core';
import { demoLiveRun, modelLiveRun, startLiveServer, type LiveServer } from '../src/index.js';
import { loadModel } from '@engram/core/node';
import { request } from 'node:http';
import { CHROMIUM, CHROMIUM_ARGS, tempDir } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;
let token = '';
const post = async (url: string): Promise<{ status: string }> => (await (await fetch(url, { method: 'POST', headers: { 'x-engram-token': token } })).json()) as { status: string };

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

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 20000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await sleep(25);
  }
}

describe('engram serve (live view)', function () {
  let server: LiveServer;

  before(async () => {
    await initBackend({ backend: 'wasm' });
    server = await startLiveServer({
      factory: demoLiveRun({ images: 8, steps: 2000, dt: 0.01, source: 'subset' }),
      title: 'test run',
      port: 0,
      stepDelayMs: 5,
    });
    token = server.token;
  });
  after(async () => server.close());

  it('serves the page and the tensor count on loopback', async () => {
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const html = await (await fetch(server.url)).text();
    expect(html).to.contain('<svg id="curve"').and.to.contain("new EventSource('/api/events')");
    const t = await getJson<{ numTensors: number }>(`${server.url}api/tensors`);
    expect(t.numTensors).to.be.a('number');
    expect((await fetch(`${server.url}api/nothing`, { method: 'POST', headers: { 'x-engram-token': token } })).status).to.equal(404);
    expect(html).to.contain(token);
  });

  it('refuses a foreign Host, a foreign Origin and a missing token with 403, and starts nothing', async () => {
    const host = new URL(server.url).host;
    const rebinding = await raw(`${server.url}api/status`, 'GET', { host: 'evil.example' });
    expect(rebinding.status).to.equal(403);
    expect(JSON.parse(rebinding.body).code).to.equal('ENGRAM_ERR_FORBIDDEN');
    const page = await raw(server.url, 'GET', { host: 'evil.example:80' });
    expect(page.status).to.equal(403);
    const csrf = await raw(`${server.url}api/start`, 'POST', { host, origin: 'http://attacker.example', 'x-engram-token': token });
    expect(csrf.status).to.equal(403);
    const noToken = await raw(`${server.url}api/start`, 'POST', { host });
    expect(noToken.status).to.equal(403);
    const wrongToken = await raw(`${server.url}api/start`, 'POST', { host, origin: `http://${host}`, 'x-engram-token': 'nope' });
    expect(wrongToken.status).to.equal(403);
    const big = await raw(`${server.url}api/pause`, 'POST', { host, 'x-engram-token': token }, 'x'.repeat(100 * 1024));
    expect(big.status).to.equal(413);
    expect(server.session.state).to.be.oneOf(['idle', 'cancelled', 'done']);
    expect(server.session.stepsSeen).to.equal(0);
  });

  /** A live server on a small core graph whose runs take many steps (each Start builds and frees its own model). */
  async function smallServer(extra: { maxClientBuffer?: number; steps?: number; size?: number; imageIntervalMs?: number } = {}): Promise<LiveServer> {
    const size = extra.size ?? 64;
    const build = () =>
      new EnergyModel()
        .addLayer('v', { shape: [size], lagrangian: lagrangians.identity() })
        .addSynapse('mem', memorySynapse({ memories: 8, size, beta: 2 }), ['v']);
    return startLiveServer({
      factory: async (scheduler) => modelLiveRun(build(), 'small', scheduler, { steps: extra.steps ?? 100000, dt: 1e-4 }),
      title: 'small',
      port: 0,
      stepDelayMs: 0,
      ...(extra.maxClientBuffer ? { maxClientBuffer: extra.maxClientBuffer } : {}),
      ...(extra.imageIntervalMs !== undefined ? { imageIntervalMs: extra.imageIntervalMs } : {}),
    });
  }

  it('100 concurrent starts and 1,000 start/cancel cycles leave no run stepping and the tensor count at its baseline', async () => {
    const srv = await smallServer();
    const ctl = (a: string) => fetch(`${srv.url}api/${a}`, { method: 'POST', headers: { 'x-engram-token': srv.token } }).then((r) => r.json() as Promise<{ status: string }>);
    try {
      const base = (await getJson<{ numTensors: number }>(`${srv.url}api/tensors`)).numTensors;
      await Promise.all(Array.from({ length: 100 }, () => ctl('start')));
      expect(srv.session.state).to.equal('running');
      await ctl('cancel');
      for (let i = 0; i < 1000; i++) await Promise.all([ctl('start'), ctl('cancel')]);
      await ctl('cancel');
      await sleep(100);
      const seen = srv.session.stepsSeen;
      await sleep(300);
      expect(srv.session.stepsSeen, 'a run is still stepping').to.equal(seen);
      expect(srv.session.state).to.equal('cancelled');
      expect((await getJson<{ numTensors: number }>(`${srv.url}api/tensors`)).numTensors).to.equal(base);
    } finally {
      await srv.close();
    }
  });

  it('drops an event-stream client that never reads, without the server buffering for it', async () => {
    // Big messages (a 64x64 image on every step) fill the socket buffers quickly.
    const srv = await smallServer({ maxClientBuffer: 64 * 1024, size: 4096, imageIntervalMs: 0 });
    try {
      const { Socket } = await import('node:net');
      const sock = new Socket();
      await new Promise<void>((r) => sock.connect(srv.port, '127.0.0.1', r));
      sock.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n\r\n`);
      sock.pause(); // never reads
      const rss = process.memoryUsage().rss;
      await fetch(`${srv.url}api/start`, { method: 'POST', headers: { 'x-engram-token': srv.token } });
      await waitFor(() => srv.clients === 1, 10000);
      // The kernel's socket buffers fill first; then the server's buffer for this client passes 64 KiB and it is dropped.
      await waitFor(() => srv.clients === 0, 90000);
      expect(srv.session.state, 'the run goes on').to.equal('running');
      expect(process.memoryUsage().rss - rss, 'server memory growth').to.be.lessThan(100 * 2 ** 20);
      sock.destroy();
    } finally {
      await srv.close();
    }
  });

  it('pause holds the loop between steps, resume continues, cancel frees every tensor', async () => {
    const start = (await getJson<{ numTensors: number }>(`${server.url}api/tensors`)).numTensors;
    expect((await post(`${server.url}api/start`)).status).to.equal('running');
    await waitFor(() => server.session.stepsSeen > 5);
    expect((await post(`${server.url}api/pause`)).status).to.equal('paused');
    await sleep(50);
    const held = server.session.stepsSeen;
    await sleep(300);
    expect(server.session.stepsSeen).to.equal(held);
    expect((await post(`${server.url}api/resume`)).status).to.equal('running');
    await waitFor(() => server.session.stepsSeen > held + 3);
    expect((await post(`${server.url}api/cancel`)).status).to.equal('cancelled');
    const after = (await getJson<{ numTensors: number }>(`${server.url}api/tensors`)).numTensors;
    expect(after).to.equal(start);
    // Cancelling while paused frees everything too.
    await post(`${server.url}api/start`);
    await waitFor(() => server.session.stepsSeen > 2);
    await post(`${server.url}api/pause`);
    await post(`${server.url}api/cancel`);
    await sleep(50);
    expect((await getJson<{ numTensors: number }>(`${server.url}api/tensors`)).numTensors).to.equal(start);
  });

  it('serves a saved model (any kind, through the protocol) and frees it on cancel', async () => {
    const tmp = tempDir();
    const engram = await createEngram();
    const g = new EnergyModel()
      .addLayer('v', { shape: [16], lagrangian: lagrangians.identity() })
      .addSynapse('mem', memorySynapse({ memories: 3, size: 16, beta: 2 }), ['v']);
    const spec = (await saveModel(g, join(tmp.dir, 'g'), { engram })).spec;
    g.dispose();
    const srv = await startLiveServer({ factory: async (scheduler) => modelLiveRun(await loadModel(engram, spec), 'spec', scheduler, { steps: 500 }), title: 'spec', port: 0, stepDelayMs: 5 });
    try {
      const start = (await getJson<{ numTensors: number }>(`${srv.url}api/tensors`)).numTensors;
      const images: string[] = [];
      srv.session.listen((m) => {
        if (m.type === 'step' && m.image) images.push(m.image);
      });
      const ctl = (a: string) => fetch(`${srv.url}api/${a}`, { method: 'POST', headers: { 'x-engram-token': srv.token } });
      await ctl('start');
      await waitFor(() => srv.session.stepsSeen > 3);
      expect(images[0]).to.match(/^data:image\/png;base64,/);
      await ctl('cancel');
      expect((await getJson<{ numTensors: number }>(`${srv.url}api/tensors`)).numTensors).to.equal(start);
    } finally {
      await srv.close();
      tmp.cleanup();
    }
  });

  describe('in headless Chromium', function () {
    let browser: Browser | undefined;
    before(async function () {
      if (!existsSync(CHROMIUM)) {
        console.log(`      (skipped: ${CHROMIUM} is absent; install Debian's chromium package to run the browser tests)`);
        this.skip();
      }
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    });
    after(async () => browser?.close());

    it('starts a run, draws the energy curve and the states live, cancels without leaking tensors', async () => {
      const page = await browser!.newPage({ viewport: { width: 1000, height: 760 } });
      await page.goto(server.url);
      const start = (await getJson<{ numTensors: number }>(`${server.url}api/tensors`)).numTensors;
      await page.click('#start');
      await page.waitForFunction(() => Number(document.getElementById('curve')!.getAttribute('data-points')) > 20, undefined, { timeout: 30000 });
      await page.waitForFunction(() => (document.getElementById('state') as HTMLImageElement).naturalWidth > 0, undefined, { timeout: 30000 });
      expect(await page.textContent('#status')).to.equal('running');
      const polyline = await page.getAttribute('#line', 'points');
      expect(polyline!.split(' ').length).to.be.greaterThan(20);
      await page.click('#pause');
      await page.waitForFunction(() => document.getElementById('status')!.textContent === 'paused');
      await page.click('#resume');
      await page.waitForFunction(() => document.getElementById('status')!.textContent === 'running');
      const outDir = resolve(process.env['ENGRAM_TEST_OUT'] ?? join(process.cwd(), 'engram-out', 'test'));
      mkdirSync(outDir, { recursive: true });
      const shot = join(outDir, 'live-view.png');
      await page.screenshot({ path: shot });
      await page.click('#cancel');
      await page.waitForFunction(() => document.getElementById('status')!.textContent === 'cancelled');
      expect((await getJson<{ numTensors: number }>(`${server.url}api/tensors`)).numTensors).to.equal(start);
      expect(existsSync(shot)).to.equal(true);
      await page.close();
    });
  });
});
