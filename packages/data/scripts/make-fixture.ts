/**
 * Regenerates the committed Fashion-MNIST subset (packages/data/fixtures/fashion-mnist-subset)
 * from the full set, deterministically: a seeded, class-balanced choice of
 * examples, written as gzipped IDX files plus subset.json (seed, counts,
 * SHA-256 of the source files, chosen indices).
 *
 *   npx tsx packages/data/scripts/make-fixture.ts [--dir <full set dir>] [--out <dir>] [--check]
 *
 * --check regenerates in memory and exits 1 if the committed files differ.
 * Not part of the library build (tsconfig includes src/ only).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { balancedSubsetIndices, type FashionMnistSplit } from '../src/index.js';
import { FASHION_MNIST_SUBSET_DIR, encodeIdxGzip, readIdx, resolveFashionMnistDir } from '../src/node/index.js';

/** The fixture's definition: changing any of these changes the committed files. */
const SEED = 20240611;
// 1,000 + 300 images keep the committed files under ~600 KB (Fashion-MNIST compresses to ~57%).
const PER_CLASS: Record<FashionMnistSplit, number> = { train: 100, test: 30 };
const FILES: Record<FashionMnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

const { values } = parseArgs({
  options: { dir: { type: 'string' }, out: { type: 'string' }, check: { type: 'boolean', default: false } },
});
const fullDir = resolveFashionMnistDir(values.dir).dir;
const outDir = values.out ?? FASHION_MNIST_SUBSET_DIR;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const outputs = new Map<string, Uint8Array>();
const manifest: Record<string, unknown> = {
  description: 'Class-balanced seeded subset of Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, MIT license) for engram tests and demos',
  generator: 'packages/data/scripts/make-fixture.ts',
  seed: SEED,
  splits: {},
};

for (const split of ['train', 'test'] as const) {
  const src = FILES[split];
  const imagesPath = join(fullDir, `${src.images}.gz`);
  const labelsPath = join(fullDir, `${src.labels}.gz`);
  const images = readIdx(imagesPath, { dtype: 'uint8' });
  const labels = readIdx(labelsPath, { dtype: 'uint8' });
  const pixels = images.shape[1]! * images.shape[2]!;
  // Each split gets its own seed so that changing one split's size leaves the other alone.
  const indices = balancedSubsetIndices(labels.data, PER_CLASS[split], SEED + (split === 'train' ? 0 : 1), 10);
  const subImages = new Uint8Array(indices.length * pixels);
  const subLabels = new Uint8Array(indices.length);
  indices.forEach((idx, row) => {
    subImages.set(images.data.subarray(idx * pixels, (idx + 1) * pixels), row * pixels);
    subLabels[row] = labels.data[idx]!;
  });
  outputs.set(`${src.images}.gz`, encodeIdxGzip({ dtype: 'uint8', shape: [indices.length, 28, 28], data: subImages }));
  outputs.set(`${src.labels}.gz`, encodeIdxGzip({ dtype: 'uint8', shape: [indices.length], data: subLabels }));
  (manifest.splits as Record<string, unknown>)[split] = {
    count: indices.length,
    perClass: PER_CLASS[split],
    sourceImagesSha256: sha256(readFileSync(imagesPath)),
    sourceLabelsSha256: sha256(readFileSync(labelsPath)),
    indices: Array.from(indices),
  };
}
// Indented, except the index arrays, which stay on one line each to keep the file small.
const json = JSON.stringify(manifest, (key, value: unknown) => (key === 'indices' ? JSON.stringify(value) : value), 1).replace(
  /"indices": "(\[[0-9,]*\])"/g,
  '"indices": $1',
);
outputs.set('subset.json', new TextEncoder().encode(`${json}\n`));

if (values.check) {
  const stale = [...outputs].filter(([name, bytes]) => {
    const path = join(outDir, name);
    return !existsSync(path) || sha256(readFileSync(path)) !== sha256(bytes);
  });
  for (const [name] of stale) console.error(`differs: ${join(outDir, name)}`);
  console.log(stale.length === 0 ? `fixture in ${outDir} is up to date` : `${stale.length} file(s) differ`);
  process.exit(stale.length === 0 ? 0 : 1);
}
mkdirSync(outDir, { recursive: true });
let total = 0;
for (const [name, bytes] of outputs) {
  writeFileSync(join(outDir, name), bytes);
  total += bytes.length;
  console.log(`${join(outDir, name)}  ${bytes.length} bytes`);
}
console.log(`total ${total} bytes`);
