/**
 * The playground in headless Chromium: the built page (packages/playground/dist)
 * served as static files, and the same page served by `engram serve` with its
 * server runner. Runs real model kinds end to end and checks what a user sees:
 * the status, the energy curve, the runs table, and the live tensor count.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { chromium, type Browser, type Download, type Page } from 'playwright-core';
import * as tf from '@tensorflow/tfjs';
import { EnergyModel, createEngram, initBackend, lagrangians, memorySynapse, serializeModel, type Engram } from '@engram/core';
import { loadEngram, startLiveServer, type LiveServer } from '@engram/cli';
import { toBase64 } from '@engram/playground';

const CHROMIUM = '/usr/bin/chromium';
// SwiftShader gives headless Chromium a WebGL context without a GPU.
const ARGS = ['--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
const DIST = resolve('packages/playground/dist');
/** Screenshots of what the tests saw (test output; described in the closing notes). */
const SHOTS = resolve('.cache/test-output/playground');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };

function staticServer(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })));
}

async function open(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.engramReady === true || /failed to start/.test(document.getElementById('app')?.textContent ?? ''), null, { timeout: 90000 });
  expect(await page.evaluate(() => window.engramReady === true), await page.textContent('#app') ?? '').to.equal(true);
  (page as Page & { errors?: string[] }).errors = errors;
  return page;
}

const tensorsShown = async (page: Page): Promise<number> => Number(/(\d+)\s*$/.exec((await page.textContent('#tensors')) ?? '')?.[1] ?? NaN);

/** Starts a run of `kind` with the form as it is and waits for its end; returns the status and the runs table's last row. */
async function runKind(page: Page, kind: string, set: Record<string, string> = {}): Promise<{ status: string; message: string; points: number; first: number; last: number }> {
  await page.selectOption('#kind', kind);
  for (const [id, v] of Object.entries(set)) await page.fill(`#${id}`, v);
  await page.click('#start');
  await page.waitForFunction(() => ['done', 'error', 'cancelled'].includes(document.getElementById('status')?.textContent ?? ''), null, { timeout: 120000 });
  const row = await page.$$eval('#runs tr', (rows) => Array.from(rows.at(-1)!.querySelectorAll('td'), (td) => td.textContent ?? ''));
  return {
    status: (await page.textContent('#status')) ?? '',
    message: (await page.textContent('#message')) ?? '',
    points: Number(await page.getAttribute('#plot', 'data-points')),
    first: Number(row[5]),
    last: Number(row[6]),
  };
}

declare global {
  interface Window {
    engramReady?: boolean;
  }
}

describe('the playground in headless Chromium', function () {
  let browser: Browser;
  let site: { server: Server; url: string };

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      (skipped: ${CHROMIUM} is absent; install Debian's chromium package to run the browser tests)`);
      this.skip();
    }
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('the playground is not built: run npm run build');
    mkdirSync(SHOTS, { recursive: true });
    site = await staticServer(DIST);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
  });

  it('runs kinds of three plugins on wasm in the page: energy falls, the curve is drawn, every tensor comes back', async () => {
    const page = await open(browser, `${site.url}?backend=wasm`);
    expect(await page.textContent('#backend')).to.contain('wasm');
    const base = await tensorsShown(page);
    for (const kind of ['hopfield/modern', 'sequence/seqnet', 'energy-transformer/image']) {
      const r = await runKind(page, kind, { steps: '40' });
      expect(r.status, `${kind}: ${r.message}`).to.equal('done');
      expect(r.points, kind).to.be.greaterThan(1);
      if (kind !== 'sequence/seqnet') expect(r.last, kind).to.be.at.most(r.first + 1e-3 * Math.abs(r.first));
      expect(await tensorsShown(page), `${kind}: live tensors after the run`).to.equal(base);
    }
    // Compare: the finished runs with an energy are ticked and overlaid (one curve each), the table lists all three.
    expect(await page.$$eval('#runs tr', (rows) => rows.length - 1)).to.equal(3);
    expect(await page.$$eval('#runs input[type=checkbox]', (boxes) => boxes.map((b) => (b as HTMLInputElement).checked))).to.deep.equal([true, true, true]);
    expect(await page.$$eval('#plot polyline', (lines) => lines.length), 'curves of hopfield/modern and energy-transformer/image').to.equal(2);
    await page.click('#runs input[data-run="1"]');
    expect(await page.$$eval('#plot polyline', (lines) => lines.length), 'after unticking run 1').to.equal(1);
    await page.click('#runs input[data-run="1"]');
    await page.screenshot({ path: join(SHOTS, 'wasm-three-kinds.png'), fullPage: true });
    expect((page as Page & { errors?: string[] }).errors).to.deep.equal([]);
    await page.close();
  });

  it('runs on webgl with the same energies as on wasm (same seed)', async () => {
    const wasm = await open(browser, `${site.url}?backend=wasm`);
    const a = await runKind(wasm, 'hopfield/modern', { steps: '20' });
    await wasm.close();
    const webgl = await open(browser, `${site.url}?backend=webgl`);
    expect(await webgl.textContent('#backend')).to.contain('webgl');
    const b = await runKind(webgl, 'hopfield/modern', { steps: '20' });
    expect(b.status, b.message).to.equal('done');
    expect(b.first).to.be.closeTo(a.first, 1e-3 * Math.abs(a.first) + 1e-3);
    expect(b.last).to.be.closeTo(a.last, 1e-3 * Math.abs(a.last) + 1e-3);
    await webgl.screenshot({ path: join(SHOTS, 'webgl-hopfield-modern.png'), fullPage: true });
    await webgl.close();
  });

  it('cancel stops a long run and frees its tensors; a bad config is a message, not a crash', async () => {
    const page = await open(browser, `${site.url}?backend=wasm`);
    const base = await tensorsShown(page);
    await page.selectOption('#kind', 'energy-transformer/image');
    await page.fill('#steps', '100000');
    await page.click('#start');
    await page.waitForFunction(() => Number(document.getElementById('plot')?.getAttribute('data-points')) > 2, null, { timeout: 60000 });
    await page.click('#cancel');
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'cancelled', null, { timeout: 30000 });
    await page.screenshot({ path: join(SHOTS, 'cancelled-energy-transformer.png'), fullPage: true });
    await page.waitForFunction((b) => /(\d+)\s*$/.exec(document.getElementById('tensors')?.textContent ?? '')?.[1] === String(b), base, { timeout: 30000 });
    await page.selectOption('#kind', 'hopfield/modern');
    await page.fill('[id="config.beta"]', '-1');
    await page.click('#start');
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'error', null, { timeout: 30000 });
    expect(await page.textContent('#message')).to.match(/ENGRAM_ERR_INVALID_CONFIG.*beta/);
    expect(await tensorsShown(page)).to.equal(base);
    await page.close();
  });

  it('saves a model to files and runs it again after loading them', async () => {
    const page = await open(browser, `${site.url}?backend=wasm`);
    await page.selectOption('#kind', 'hopfield/modern');
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await page.click('#save');
    for (let i = 0; i < 200 && downloads.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    const byName = Object.fromEntries(await Promise.all(downloads.map(async (d) => [d.suggestedFilename(), await d.path()])));
    expect(Object.keys(byName).sort()).to.deep.equal(['hopfield-modern.json', 'hopfield-modern.weights.bin']);
    const spec = byName['hopfield-modern.json'] as string;
    const weights = byName['hopfield-modern.weights.bin'] as string;
    await page.setInputFiles('#load-spec', spec);
    await page.setInputFiles('#load-weights', weights);
    await page.waitForFunction(() => /loaded/.test(document.getElementById('loaded')?.textContent ?? '') || /error/.test(document.getElementById('message')?.className ?? ''), null, { timeout: 30000 });
    expect(await page.textContent('#loaded'), (await page.textContent('#message')) ?? '').to.contain('hopfield/modern');
    const r = await runKind(page, 'hopfield/modern', { steps: '10' });
    expect(r.status, r.message).to.equal('done');
    await page.close();
  });

  describe('served by engram serve', () => {
    let live: LiveServer;
    let served: Engram;
    before(async () => {
      await initBackend({ backend: 'wasm' });
      const { engram } = await loadEngram();
      served = engram;
      live = await startLiveServer({ engram, port: 0 });
    });
    after(async () => live?.close());

    it('runs kinds of three plugins on the server from the page, cancels one, and the server gets its tensors back', async () => {
      const page = await open(browser, live.url);
      const options = await page.$$eval('#runner option', (os) => os.map((o) => o.textContent));
      expect(options[0]).to.equal('on the server');
      await page.waitForFunction(() => (document.getElementById('kind') as HTMLSelectElement | null)?.options.length! > 10, null, { timeout: 30000 });
      const base = await tensorsShown(page);
      const r = await runKind(page, 'hopfield/modern', { steps: '30' });
      expect(r.status, r.message).to.equal('done');
      expect(r.points).to.be.greaterThan(1);
      expect(r.last).to.be.at.most(r.first + 1e-6);
      const b = await runKind(page, 'sequence/seqnet', { steps: '30' });
      expect(b.status, b.message).to.equal('done');
      const c = await runKind(page, 'energy-transformer/image', { steps: '20' });
      expect(c.status, c.message).to.equal('done');
      expect(c.last).to.be.at.most(c.first + 1e-3 * Math.abs(c.first));
      // Cancel on the server: the run stops and the server's tensors come back.
      await page.fill('#steps', '100000');
      await page.click('#start');
      await page.waitForFunction(() => Number(document.getElementById('plot')?.getAttribute('data-points')) > 2, null, { timeout: 60000 });
      await page.click('#cancel');
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'cancelled', null, { timeout: 30000 });
      expect(live.runs.status().running).to.equal(false);
      await page.screenshot({ path: join(SHOTS, 'served-by-engram-serve.png'), fullPage: true });
      await page.waitForFunction((b) => /(\d+)\s*$/.exec(document.getElementById('tensors')?.textContent ?? '')?.[1] === String(b), base, { timeout: 30000 });
      await page.close();
    });

    it('engram serve <spec.json>: the page starts with that model, and a run on the server uses its weights', async () => {
      // A saved core graph whose stored patterns are not the seeded ones its config would draw: the first energy tells which weights ran.
      const model = new EnergyModel()
        .addLayer('v', { shape: [8], lagrangian: lagrangians.identity() })
        .addSynapse('mem', memorySynapse({ memories: 4, size: 8, beta: 2, patterns: tf.tidy(() => tf.mul(tf.ones([4, 8]), 3)) }), ['v']);
      const { spec, weights } = serializeModel(model, { engram: await createEngram() });
      // The page's start with data 'none': a generated state (batch 4, seed 0, std 1).
      const start = model.initialState(4, { seed: 0, std: 1 });
      const terms = model.energy(start);
      const expected = tf.sum(terms.total).dataSync()[0]!;
      tf.dispose([terms.total, ...Object.values(terms.terms ?? {}), ...Object.values(start)]);
      model.dispose();
      const srv = await startLiveServer({ engram: served, port: 0, preset: { spec: spec as unknown as Record<string, unknown>, weights: toBase64(weights) } });
      try {
        const page = await open(browser, srv.url);
        await page.waitForFunction(() => (document.getElementById('kind') as HTMLSelectElement | null)?.value === 'core/graph', null, { timeout: 30000 });
        expect(await page.textContent('#loaded')).to.contain('core/graph');
        await page.selectOption('#data', 'none');
        const r = await runKind(page, 'core/graph', { steps: '5' });
        expect(r.status, r.message).to.equal('done');
        expect(r.first).to.be.closeTo(expected, 1e-3 * Math.abs(expected));
        await page.close();
      } finally {
        await srv.close();
      }
    });
  });
});
