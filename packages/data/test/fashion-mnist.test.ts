import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { ErrorCodes, initBackend, isEngramError } from '@engram/core';
import { FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_DEFAULT_DIR, FASHION_MNIST_DIR_ENV, balancedSubsetIndices, encodeIdx, fashionMnistToTensors, type FashionMnistSet } from '../src/index.js';
import { FASHION_MNIST_SUBSET_DIR, encodeIdxGzip, hasFashionMnist, loadFashionMnist, loadFashionMnistSubset, readIdx, resolveFashionMnistDir } from '../src/node/index.js';
import { expectCode } from './helpers.js';

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, none was thrown');
}


function histogram(labels: Int32Array): number[] {
  const h = new Array<number>(10).fill(0);
  for (const l of labels) h[l]!++;
  return h;
}

function checkImages(set: FashionMnistSet): void {
  expect(set.images.length).to.equal(set.count * 784);
  expect(set.shape).to.deep.equal([set.count, 784]);
  expect(set.imageShape).to.deep.equal([28, 28]);
  expect(set.labels).to.be.instanceOf(Int32Array);
  expect(set.labels.length).to.equal(set.count);
  let min = Infinity;
  let max = -Infinity;
  for (const v of set.images) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  expect(min).to.equal(0);
  expect(max).to.equal(1); // Fashion-MNIST images reach full white
}

// The full set wherever the loader would look ($ENGRAM_FASHION_MNIST_DIR or the Debian path).
const fullPresent = hasFashionMnist();

describe('Fashion-MNIST', () => {
  let scratch: string;
  const savedEnv = process.env[FASHION_MNIST_DIR_ENV];
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'engram-fmnist-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));
  afterEach(() => {
    if (savedEnv === undefined) delete process.env[FASHION_MNIST_DIR_ENV];
    else process.env[FASHION_MNIST_DIR_ENV] = savedEnv;
  });

  describe('committed subset', () => {
    it('loads 1000 train and 300 test images with balanced classes, pixels in [0, 1]', () => {
      const train = loadFashionMnistSubset({ split: 'train' });
      const test = loadFashionMnistSubset({ split: 'test' });
      expect([train.count, test.count]).to.deep.equal([1000, 300]);
      expect(histogram(train.labels)).to.deep.equal(new Array(10).fill(100));
      expect(histogram(test.labels)).to.deep.equal(new Array(10).fill(30));
      checkImages(train);
      checkImages(test);
      expect(train.source).to.equal('subset');
      expect(train.classNames).to.deep.equal(FASHION_MNIST_CLASS_NAMES);
      expect(train.numClasses).to.equal(10);
    });

    it('keeps raw 0..255 values without normalize and honours limit', () => {
      const raw = loadFashionMnistSubset({ split: 'test', normalize: false, limit: 20 });
      const scaled = loadFashionMnistSubset({ split: 'test' });
      expect(raw.count).to.equal(20);
      expect(raw.normalized).to.equal(false);
      expect(raw.images.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).to.equal(true);
      for (let i = 0; i < raw.images.length; i += 97) expect(raw.images[i]! / 255).to.be.closeTo(scaled.images[i]!, 1e-7);
      expect(Array.from(raw.labels)).to.deep.equal(Array.from(scaled.labels.subarray(0, 20)));
      expect(loadFashionMnistSubset({ split: 'test', limit: 10_000 }).count).to.equal(300);
      expectCode(() => loadFashionMnistSubset({ split: 'test', limit: 0 }), ErrorCodes.INVALID_ARGUMENT, 'limit');
    });

    it('resolves the fixture directory from the package root', () => {
      expect(FASHION_MNIST_SUBSET_DIR.replace(/\/$/, '')).to.match(/packages\/data\/fixtures\/fashion-mnist-subset$/);
    });

    it('matches the full set at the indices recorded in subset.json (when the full set is installed)', function () {
      if (!fullPresent) this.skip();
      const manifest = JSON.parse(readFileSync(join(FASHION_MNIST_SUBSET_DIR, 'subset.json'), 'utf8')) as {
        seed: number;
        splits: Record<'train' | 'test', { indices: number[]; perClass: number }>;
      };
      for (const split of ['train', 'test'] as const) {
        const full = loadFashionMnist({ split, normalize: false });
        const sub = loadFashionMnistSubset({ split, normalize: false });
        const { indices, perClass } = manifest.splits[split];
        // The recorded indices are what the seeded selection gives today.
        const again = balancedSubsetIndices(full.labels, perClass, manifest.seed + (split === 'train' ? 0 : 1), 10);
        expect(Array.from(again)).to.deep.equal(indices);
        indices.forEach((idx, row) => {
          expect(sub.labels[row]).to.equal(full.labels[idx]);
          expect(sub.images.subarray(row * 784, (row + 1) * 784)).to.deep.equal(full.images.subarray(idx * 784, (idx + 1) * 784));
        });
      }
    });
    it('is regenerated byte for byte by scripts/make-fixture.ts --check (when the full set is installed)', function () {
      if (!fullPresent) this.skip();
      const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
      const run = spawnSync(process.execPath, ['--conditions=engram-source', '--import', 'tsx', 'scripts/make-fixture.ts', '--check'], {
        cwd: pkg,
        encoding: 'utf8',
      });
      expect(run.status, `${run.stdout}${run.stderr}`).to.equal(0);
      expect(run.stdout).to.contain('up to date');
    });
  });

  describe('full set', () => {
    it('loads the Debian files: 10000 test images, 1000 per class', function () {
      if (!fullPresent) this.skip();
      const test = loadFashionMnist({ split: 'test' });
      expect(test.count).to.equal(10000);
      expect(test.source).to.equal('full');
      expect(histogram(test.labels)).to.deep.equal(new Array(10).fill(1000));
      checkImages(test);
    });

    it('loads the train split with a limit', function () {
      if (!fullPresent) this.skip();
      const train = loadFashionMnist({ split: 'train', limit: 2000 });
      expect(train.count).to.equal(2000);
      checkImages(train);
      // The first training label of Fashion-MNIST is 9 (ankle boot), the second 0 (T-shirt/top).
      expect(Array.from(train.labels.subarray(0, 2))).to.deep.equal([9, 0]);
    });

    it("'auto' picks the full set when present", function () {
      if (!fullPresent) this.skip();
      expect(loadFashionMnist({ split: 'test', source: 'auto', limit: 5 }).source).to.equal('full');
    });
  });

  describe('locations and errors', () => {
    it('a missing directory gives DATA_NOT_FOUND with the apt-get command and the option/env var', () => {
      const missing = join(scratch, 'does-not-exist');
      const err = caught(() => loadFashionMnist({ split: 'train', dir: missing }));
      expect(isEngramError(err, ErrorCodes.DATA_NOT_FOUND)).to.equal(true);
      for (const f of [missing, 'sudo apt-get install dataset-fashion-mnist', "'dir' option", FASHION_MNIST_DIR_ENV, 'train-images-idx3-ubyte']) {
        expect(err.message).to.contain(f);
      }
    });

    it('reads the directory from the environment variable, the option taking precedence', () => {
      const envDir = join(scratch, 'from-env');
      mkdirSync(envDir);
      for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) copyFileSync(join(FASHION_MNIST_SUBSET_DIR, f), join(envDir, f));
      delete process.env[FASHION_MNIST_DIR_ENV];
      expect(resolveFashionMnistDir()).to.deep.equal({ dir: FASHION_MNIST_DEFAULT_DIR, from: 'default' });
      expect(resolveFashionMnistDir('/x')).to.deep.equal({ dir: '/x', from: 'option' });
      process.env[FASHION_MNIST_DIR_ENV] = envDir;
      expect(resolveFashionMnistDir()).to.deep.equal({ dir: envDir, from: 'env' });
      const set = loadFashionMnist({ split: 'test' });
      expect([set.source, set.dir, set.count]).to.deep.equal(['full', envDir, 300]);
      expect(hasFashionMnist(undefined, ['test'])).to.equal(true);
      expect(hasFashionMnist()).to.equal(false); // no train files there
      expectCode(() => loadFashionMnist({ split: 'train' }), ErrorCodes.DATA_NOT_FOUND, envDir, FASHION_MNIST_DIR_ENV);
      expectCode(() => loadFashionMnist({ split: 'test', dir: join(scratch, 'nowhere') }), ErrorCodes.DATA_NOT_FOUND, "'dir' option");
    });

    it("'auto' falls back to the subset when the full set is absent", () => {
      const set = loadFashionMnist({ split: 'test', source: 'auto', dir: join(scratch, 'nowhere') });
      expect(set.source).to.equal('subset');
      expect(set.count).to.equal(300);
    });

    it('reads uncompressed files too', () => {
      const rawDir = join(scratch, 'raw');
      mkdirSync(rawDir);
      for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
        const a = readIdx(join(FASHION_MNIST_SUBSET_DIR, `${f}.gz`));
        writeFileSync(join(rawDir, f), encodeIdx(a));
      }
      const set = loadFashionMnist({ split: 'test', dir: rawDir });
      expect(Array.from(set.labels)).to.deep.equal(Array.from(loadFashionMnistSubset({ split: 'test' }).labels));
    });

    it('damaged or wrongly shaped files give CORRUPT_DATA naming the file', () => {
      const bad = join(scratch, 'bad');
      mkdirSync(bad);
      const images = join(bad, 't10k-images-idx3-ubyte.gz');
      const labels = join(bad, 't10k-labels-idx1-ubyte.gz');
      const goodImages = readFileSync(join(FASHION_MNIST_SUBSET_DIR, 't10k-images-idx3-ubyte.gz'));
      writeFileSync(images, goodImages.subarray(0, goodImages.length >> 1));
      copyFileSync(join(FASHION_MNIST_SUBSET_DIR, 't10k-labels-idx1-ubyte.gz'), labels);
      expectCode(() => loadFashionMnist({ split: 'test', dir: bad }), ErrorCodes.CORRUPT_DATA, images);
      // Valid IDX, wrong image size.
      writeFileSync(images, encodeIdxGzip({ dtype: 'uint8', shape: [300, 27, 29], data: new Uint8Array(300 * 27 * 29) }));
      expectCode(() => loadFashionMnist({ split: 'test', dir: bad }), ErrorCodes.CORRUPT_DATA, images, '[300, 27, 29]');
      // Label count not matching the images.
      writeFileSync(images, encodeIdxGzip({ dtype: 'uint8', shape: [301, 28, 28], data: new Uint8Array(301 * 784) }));
      expectCode(() => loadFashionMnist({ split: 'test', dir: bad }), ErrorCodes.CORRUPT_DATA, labels, '301 images');
      // A label outside 0..9.
      writeFileSync(images, encodeIdxGzip({ dtype: 'uint8', shape: [2, 28, 28], data: new Uint8Array(2 * 784) }));
      writeFileSync(labels, encodeIdxGzip({ dtype: 'uint8', shape: [2], data: Uint8Array.from([3, 10]) }));
      expectCode(() => loadFashionMnist({ split: 'test', dir: bad }), ErrorCodes.CORRUPT_DATA, labels, 'label 10');
    });

    it('rejects bad options', () => {
      expectCode(() => loadFashionMnist({ split: 'validation' as 'train' }), ErrorCodes.INVALID_ARGUMENT, 'split');
      expectCode(() => loadFashionMnist({ split: 'test', source: 'web' as 'full' }), ErrorCodes.INVALID_ARGUMENT, 'source');
    });
  });

  describe('tensors', () => {
    before(async () => {
      await initBackend({ backend: 'wasm' });
    });

    it('gives flat or NHWC images and int32 or one-hot labels, without leaking', async () => {
      const set = loadFashionMnistSubset({ split: 'test', limit: 50 });
      const before = tf.memory().numTensors;
      const flat = fashionMnistToTensors(set);
      expect(flat.images.shape).to.deep.equal([50, 784]);
      expect(flat.images.dtype).to.equal('float32');
      expect(flat.labels.shape).to.deep.equal([50]);
      expect(flat.labels.dtype).to.equal('int32');
      expect(Array.from(await flat.labels.data())).to.deep.equal(Array.from(set.labels));
      const img = fashionMnistToTensors(set, { layout: 'image', oneHot: true });
      expect(img.images.shape).to.deep.equal([50, 28, 28, 1]);
      expect(img.labels.shape).to.deep.equal([50, 10]);
      const hot = (await img.labels.array()) as number[][];
      hot.forEach((row, i) => {
        expect(row.reduce((a, b) => a + b, 0)).to.equal(1);
        expect(row[set.labels[i]!]).to.equal(1);
      });
      const pixels = await img.images.data();
      expect(pixels[28 * 14 + 14]).to.equal(set.images[28 * 14 + 14]);
      flat.dispose();
      img.dispose();
      expect(tf.memory().numTensors).to.equal(before);
      expectCode(() => fashionMnistToTensors(set, { layout: 'nchw' as 'flat' }), ErrorCodes.INVALID_ARGUMENT, 'layout');
      expect(tf.memory().numTensors).to.equal(before);
    });
  });
});
