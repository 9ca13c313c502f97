/**
 * openblas-sgemm: OpenBLAS's own sgemm rate at matmul-peak's size, called
 * straight through the @engram/native addon on a plain buffer (no tfjs, no
 * tensors), with the threads the native path uses: the ceiling matmul-peak is
 * measured against (target: matmul-peak >= 85% of it). Interleaved with
 * matmul-peak. Skipped when the native path is not available.
 */
import { backendInfo } from '@engram/core';
import type { BenchCase } from '../harness.js';
import { PEAK_N } from './matmul.js';

interface SgemmBinding {
  sgemm(heap: ArrayBuffer, ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number, aOff: number, lda: number, bOff: number, ldb: number, beta: number, cOff: number, ldc: number, threads: number): void;
}

export const openblasSgemm: BenchCase = {
  name: 'openblas-sgemm',
  description: `cblas_sgemm ${PEAK_N}x${PEAK_N} by ${PEAK_N}x${PEAK_N} through the addon on a plain buffer (no tfjs), native threads`,
  flops: 2 * PEAK_N ** 3,
  warmup: 2,
  reps: 15,
  async setup() {
    const info = backendInfo();
    if (!info.native) throw new Error(`needs the native path (${info.nativeOff ?? 'off'})`);
    const mod = (await import(/* @vite-ignore */ String('@engram/native'))) as { openNative(): { ok: boolean; binding?: SgemmBinding } };
    const r = mod.openNative();
    if (!r.ok || !r.binding) throw new Error('the @engram/native addon did not open');
    const binding = r.binding;
    const n = PEAK_N;
    const buf = new ArrayBuffer(3 * n * n * 4);
    const f = new Float32Array(buf);
    for (let i = 0; i < 2 * n * n; i++) f[i] = Math.sin(i);
    return {
      run() {
        binding.sgemm(buf, false, false, n, n, n, 1, 0, n, n * n * 4, n, 0, 2 * n * n * 4, n, info.threads);
      },
      dispose: () => undefined,
    };
  },
};
