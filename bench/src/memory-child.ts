/**
 * Peak memory of one engram case in a fresh process (spawned by memory.ts):
 *
 *   node memory-child.js CASE_JSON
 *
 * CASE_JSON = {"kind": "et-train" | "et-train-checkpointed" | "et-inference" | "dense-am", "params": {...}, "runs": 2}.
 * Prints one line: {ok, ms, max_rss_kb, baseline_rss_kb, wasm_heap_bytes, backend, error?}.
 * The wasm heap never shrinks, so its size after the runs is its peak.
 */
import * as tf from '@tensorflow/tfjs';
import { backendInfo, initBackend } from '@engram/core';
import { denseAmCase } from './cases/dense-am.js';
import { etInferenceCase, etTrainCase } from './cases/et.js';
import { ET_DEFAULT } from './cases/et-block.js';
import type { BenchCase } from './harness.js';

interface Spec {
  kind: 'et-train' | 'et-train-checkpointed' | 'et-inference' | 'dense-am';
  params?: Record<string, number>;
  runs?: number;
}

function make(spec: Spec): BenchCase {
  const p = spec.params ?? {};
  if (spec.kind === 'et-train') return etTrainCase('memory', { ...ET_DEFAULT, ...p }, 3);
  if (spec.kind === 'et-train-checkpointed') return etTrainCase('memory', { ...ET_DEFAULT, ...p }, 1, 'et-train-step', true);
  if (spec.kind === 'et-inference') return etInferenceCase('memory', { ...ET_DEFAULT, ...p }, 5);
  return denseAmCase('memory', { memories: 10_000, features: 784, batch: 256, steps: 5, beta: 0.05, ...p });
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
const out: Record<string, unknown> = { spec };
try {
  await initBackend();
  out['backend'] = backendInfo().description;
  out['baseline_rss_kb'] = process.resourceUsage().maxRSS;
  const c = make(spec);
  const w = await c.setup();
  const runs = spec.runs ?? 2;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await w.run();
  out['ms'] = (performance.now() - t0) / runs;
  w.dispose();
  out['ok'] = true;
} catch (e) {
  out['ok'] = false;
  out['error'] = e instanceof Error ? e.message.split('\n')[0] : String(e);
}
out['max_rss_kb'] = process.resourceUsage().maxRSS;
const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.buffer.byteLength;
if (heap !== undefined) out['wasm_heap_bytes'] = heap;
process.stdout.write(JSON.stringify(out) + '\n');
