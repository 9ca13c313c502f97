// node packages/native/scripts/compare-builds.mjs OTHER.node [pairs]
// Times this package's addon against another build of it (OTHER.node, e.g. built from an older commit
// in a copy of this folder with `node scripts/build.mjs`), both loaded in one process, kernel call by
// kernel call, alternating which runs first: prints the median (and quartiles) of the per-pair time
// ratios this / other for the attention kernels (with and without the log-sum-exp) and a batch of 128 small products (the ET bench's
// per-head sizes: B = 32, N = 49, 4 heads of 32). One-shot loop timings on these shared machines
// swing more than the differences kernel changes make; pairs do not.
import { openNative } from '../index.js';

const otherPath = process.argv[2];
const pairs = Math.max(20, Number(process.argv[3] ?? 300) || 300);
if (!otherPath) {
  console.error('usage: node packages/native/scripts/compare-builds.mjs OTHER.node [pairs]');
  process.exit(2);
}
const mine = openNative();
if (!mine.ok) {
  console.error(`this build does not open: ${mine.message}`);
  process.exit(1);
}
const module = { exports: {} };
process.dlopen(module, otherPath);
const other = module.exports;
other.open([mine.blas.path]);
other.setBlasThreads(mine.blas.threads);
other.setLanes(mine.blas.threads);
const lanes = mine.blas.threads;
const [B, N, H, Y] = [32, 49, 4, 32];
const T = B * N * H * Y;
const heap = new ArrayBuffer(4 * (8 * T + 2 * B * H * N));
const f = new Float32Array(heap);
for (let i = 0; i < f.length; i++) f[i] = 0.5 * Math.sin(i);
const offsets = new Float64Array(3 * B * H);
for (let p = 0; p < B * H; p++) {
  offsets[3 * p] = 4 * p * N * Y;
  offsets[3 * p + 1] = 4 * (T + p * N * Y);
  offsets[3 * p + 2] = 4 * (2 * T + p * N * N);
}
// [label, the binding function it needs, the call]
const kernels = [
  ['headAttention', 'headAttention', (b) => b.headAttention(heap, 0, 4 * T, -1, 1, 8 * T, 12 * T, -1, B, N, H, Y, 0.17, lanes)],
  ['headAttention with lse', 'headAttention', (b) => b.headAttention(heap, 0, 4 * T, -1, 1, 8 * T, 12 * T, 24 * T, B, N, H, Y, 0.17, lanes)],
  ['headAttentionGrad', 'headAttentionGrad', (b) => b.headAttentionGrad(heap, 0, 4 * T, -1, 1, 8 * T, 12 * T, -1, 16 * T, 20 * T, B, N, H, Y, 0.17, lanes)],
  ['sgemmBatch', 'sgemmBatch', (b) => b.sgemmBatch(heap, false, true, N, N, Y, 1, offsets, Y, Y, 0, N, lanes)],
];
for (const [name, fn, run] of kernels) {
  if (typeof other[fn] !== 'function') {
    console.log(`${name}: not in the other build`);
    continue;
  }
  for (let i = 0; i < 20; i++) [mine.binding, other].forEach(run);
  const ratios = [];
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 ? [mine.binding, other] : [other, mine.binding];
    const t0 = performance.now();
    run(order[0]);
    const t1 = performance.now();
    run(order[1]);
    const t2 = performance.now();
    ratios.push(i % 2 ? (t1 - t0) / (t2 - t1) : (t2 - t1) / (t1 - t0));
  }
  ratios.sort((a, b) => a - b);
  const at = (q) => ratios[Math.floor(q * (ratios.length - 1))].toFixed(3);
  console.log(`${name}: this / other median ${at(0.5)} (IQR ${at(0.25)}-${at(0.75)}), ${pairs} pairs, ${lanes} lanes`);
}
