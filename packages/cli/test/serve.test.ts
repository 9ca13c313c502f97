import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnergyModel, createEngram, initBackend, lagrangians, memorySynapse, saveModel } from '@engram/core';
import { chromium, type Browser } from 'playwright-core';
import { demoLiveRun, specLiveRun, startLiveServer, type LiveServer } from '../src/index.js';
import { CHROMIUM, CHROMIUM_ARGS, tempDir } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;
const post = async (url: string): Promise<{ status: string }> => (await (await fetch(url, { method: 'POST' })).json()) as { status: string };

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
  });
  after(async () => server.close());

  it('serves the page and the tensor count on loopback', async () => {
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const html = await (await fetch(server.url)).text();
    expect(html).to.contain('<svg id="curve"').and.to.contain("new EventSource('/api/events')");
    const t = await getJson<{ numTensors: number }>(`${server.url}api/tensors`);
    expect(t.numTensors).to.be.a('number');
    expect((await fetch(`${server.url}api/nothing`, { method: 'POST' })).status).to.equal(404);
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

  it('serves a saved model (specLiveRun) and frees it on cancel', async () => {
    const tmp = tempDir();
    const engram = await createEngram();
    const g = new EnergyModel()
      .addLayer('v', { shape: [16], lagrangian: lagrangians.identity() })
      .addSynapse('mem', memorySynapse({ memories: 3, features: 16, beta: 2 }), ['v']);
    const spec = (await saveModel(g, join(tmp.dir, 'g'), { engram })).spec;
    g.dispose();
    const srv = await startLiveServer({ factory: specLiveRun(engram, spec, { steps: 500 }), title: 'spec', port: 0, stepDelayMs: 5 });
    try {
      const start = (await getJson<{ numTensors: number }>(`${srv.url}api/tensors`)).numTensors;
      const images: string[] = [];
      srv.session.listen((m) => {
        if (m.type === 'step' && m.image) images.push(m.image);
      });
      await post(`${srv.url}api/start`);
      await waitFor(() => srv.session.stepsSeen > 3);
      expect(images[0]).to.match(/^data:image\/png;base64,/);
      await post(`${srv.url}api/cancel`);
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
