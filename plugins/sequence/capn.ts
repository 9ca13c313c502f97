import { initBackend } from '@engram/core';
import * as seq from '@engram/sequence';
await initBackend({ backend: 'wasm' });
const [n, d] = process.argv.slice(2).map(Number);
const isNew = 'DenseNet' in seq;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const res = await (seq.measureSequenceCapacity as any)(isNew ? { size: n, separation: { kind: 'power', n: d }, sequences: 100, seed: 0 } : { neurons: n, separation: { kind: 'polynomial', degree: d }, sequences: 100, seed: 0 });
  console.log(isNew ? 'new' : 'old', 'capacity', res.capacity, 'tries', res.tried.length, ((performance.now() - t0) / 1000).toFixed(2), 's');
}
