import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { initBackend } from '@engram/core';
import { CHROMIUM, CHROMIUM_ARGS, cli, tempDir } from './helpers.js';

describe("the demo's HTML report in headless Chromium", function () {
  let tmp: { dir: string; cleanup: () => void };
  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      (skipped: ${CHROMIUM} is absent; install Debian's chromium package to run the browser tests)`);
      this.skip();
    }
    await initBackend({ backend: 'wasm' });
    tmp = tempDir();
  });
  after(() => tmp?.cleanup());

  it('shows every picture (naturalWidth > 0) and the energy plot', async () => {
    const { code, io } = await cli(['demo', '--images', '12', '--source', 'subset', '--quiet', '--out', tmp.dir]);
    expect(code, io.err).to.equal(0);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(tmp.dir, 'report.html')).href);
      await page.waitForLoadState('load');
      const imgs = await page.$$eval('img', (els) => els.map((e) => ({ src: e.getAttribute('src'), w: (e as HTMLImageElement).naturalWidth, h: (e as HTMLImageElement).naturalHeight })));
      expect(imgs.map((i) => i.src)).to.deep.equal(['completion.png', 'steps.png']);
      for (const i of imgs) expect(i.w, i.src!).to.be.greaterThan(0);
      // completion.png: 3 rows (original / occluded / completed) of 8 images of 28 px at scale 3.
      expect(imgs[0]!.h).to.be.greaterThan(3 * 28 * 3 - 1);
      expect(await page.$$eval('svg polyline, svg path', (els) => els.length)).to.be.greaterThan(0);
      expect(await page.textContent('body')).to.contain('retrieval accuracy');
    } finally {
      await browser.close();
    }
  });
});
