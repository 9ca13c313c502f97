import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@engram/core';
import { binaryPatterns } from '@engram/data';
import { DenseNet, recallSequence } from '@engram/sequence';
await initBackend({ backend: 'wasm' });
const [s, p, n, d] = process.argv.slice(2).map(Number);
const xi = tf.tensor3d(binaryPatterns({ count: s * p, size: n, seed: 3 }).data, [s, p, n]);
const times: number[] = [];
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const net = DenseNet.fromPatterns(xi, { separation: { kind: 'power', n: d } });
  const res = await recallSequence(net, { stop: 'never', keepOverlaps: false, yieldEvery: 16 });
  net.dispose();
  times.push((performance.now() - t0) / p);
  if (r === 0) console.log('successes', res.successes);
}
console.log('new ms/step', times.map((x) => x.toFixed(3)).join(' '));
