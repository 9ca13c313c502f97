/**
 * The recall figures of Chaudhry et al. (2023) that the tests check, printed
 * with their counts and run times (20 seeded sequences per case, run as one
 * batch; a success is a full period with every state exactly the expected
 * pattern), plus the seed scans behind the two 0/20 cases.
 *
 *   npx tsx --conditions=engram-source plugins/sequence/examples/recall.ts
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@engram/core';
import { binaryPatterns } from '@engram/data';
import { DenseNet, GpiNet, MixedNet, SeqNet, recallSequence, type RecallResult, type SequenceMemory } from '@engram/sequence';

await initBackend({ backend: 'wasm' });
console.log(`backend: ${tf.getBackend()}`);

const d2 = { kind: 'power', n: 2 } as const;

async function recall(make: (p: tf.Tensor3D) => SequenceMemory, s: number, p: number, n: number, seed: number, bias = 0.5, opts: Parameters<typeof recallSequence>[1] = {}): Promise<RecallResult> {
  const patterns = tf.tensor3d(binaryPatterns({ count: s * p, size: n, seed, bias }).data, [s, p, n]);
  const net = make(patterns);
  patterns.dispose();
  try {
    return await recallSequence(net, { keepOverlaps: false, yieldEvery: 8, ...opts });
  } finally {
    net.dispose();
  }
}

async function row(label: string, run: () => Promise<string>): Promise<void> {
  const t0 = performance.now();
  const result = await run();
  console.log(`${label.padEnd(74)} ${result.padEnd(34)} ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}

const count = (r: RecallResult) => `${r.successes}/${r.success.length}`;
await row('SeqNet, N = 100, P = 5 (seed 10)', async () => count(await recall((p) => SeqNet.fromPatterns(p), 20, 5, 100, 10)));
await row('SeqNet, N = 100, P = 15 (seed 13)', async () => count(await recall((p) => SeqNet.fromPatterns(p), 20, 15, 100, 13)));
await row('DenseNet d = 2, N = 100, P = 100 (seed 10)', async () => count(await recall((p) => DenseNet.fromPatterns(p, { separation: d2 }), 20, 100, 100, 10)));
await row('DenseNet d = 2, N = 100, P = 250 (seed 14)', async () => count(await recall((p) => DenseNet.fromPatterns(p, { separation: d2 }), 20, 250, 100, 14)));
await row('N = 300, P = 100 (seed 5): SeqNet / DenseNet d = 2', async () => {
  const a = await recall((p) => SeqNet.fromPatterns(p), 1, 100, 300, 5, 0.5, { stop: 'never' });
  const b = await recall((p) => DenseNet.fromPatterns(p, { separation: d2 }), 1, 100, 300, 5, 0.5, { stop: 'never' });
  return `${count(a)} (min overlap after 50 steps ${Math.min(...a.minExpectedOverlap.slice(50)).toFixed(2)}) / ${count(b)} (min overlap ${Math.min(...b.minExpectedOverlap).toFixed(4)})`;
});
await row('N = 30, P = 200 (seed 8): DenseNet exp / d = 2', async () => {
  const a = await recall((p) => DenseNet.fromPatterns(p, { separation: { kind: 'exp' } }), 20, 200, 30, 8);
  const b = await recall((p) => DenseNet.fromPatterns(p, { separation: d2 }), 20, 200, 30, 8);
  return `${count(a)} / ${count(b)}`;
});
await row('P(+1) = 0.75, N = 100, P = 20 (seed 6): SeqNet / DenseNet d = 2', async () =>
  `${count(await recall((p) => SeqNet.fromPatterns(p), 20, 20, 100, 6, 0.75))} / ${count(await recall((p) => DenseNet.fromPatterns(p, { separation: d2 }), 20, 20, 100, 6, 0.75))}`,
);
await row('P(+1) = 0.75: GPI d = 1 P = 20 / d = 2 P = 20 / d = 2 P = 60', async () =>
  [
    await recall((p) => GpiNet.fromPatterns(p), 20, 20, 100, 6, 0.75),
    await recall((p) => GpiNet.fromPatterns(p, { separation: d2 }), 20, 20, 100, 6, 0.75),
    await recall((p) => GpiNet.fromPatterns(p, { separation: d2 }), 20, 60, 100, 6, 0.75),
  ]
    .map(count)
    .join(' / '),
);
await row('P(+1) = 0.75: GPI without self-exclusion, P = 90 / P = 120', async () => {
  const a = await recall((p) => GpiNet.fromPatterns(p, { excludeSelf: false }), 20, 90, 100, 6, 0.75);
  const b = await recall((p) => GpiNet.fromPatterns(p, { excludeSelf: false }), 20, 120, 100, 6, 0.75);
  return `${count(a)} (min overlap ${Math.min(...a.minExpectedOverlap)}) / ${count(b)}`;
});
await row('MixedNet lambda 2.5, delay 5, N = 100, P = 40 (seed 7): d = 10 / d = 1', async () => {
  const mixed = (n: number) => recall((p) => MixedNet.fromPatterns(p, { lambda: 2.5, delay: 5, symmetric: { kind: 'power', n } }), 20, 40, 100, 7, 0.5, { hold: 5, stop: 'never' });
  return `${count(await mixed(10))} / ${count(await mixed(1))}`;
});

// Seed scans: how often a single sequence still succeeds above capacity.
for (const [label, make, p] of [
  ['SeqNet, N = 100, P = 15', (x: tf.Tensor3D) => SeqNet.fromPatterns(x), 15],
  ['DenseNet d = 2, N = 100, P = 250', (x: tf.Tensor3D) => DenseNet.fromPatterns(x, { separation: d2 }), 250],
] as const) {
  await row(`${label}: successes over seeds 10-19 (20 sequences each)`, async () => {
    const per: number[] = [];
    for (let seed = 10; seed < 20; seed++) per.push((await recall(make, 20, p, 100, seed, 0.5, { stop: 'never' })).successes);
    return `${per.reduce((a, b) => a + b, 0)}/200 (${per.join(', ')})`;
  });
}
