/**
 * Transparent huge pages for the wasm heap, where the native path runs its
 * products on it. OpenBLAS's sgemm walks its operands in panels; on 4 KiB
 * pages a 1024^2 product misses the TLB enough to measure: a bare sgemm took
 * 0.92-0.95x the time on 2 MiB pages, a tfjs matMul 0.96x and a
 * descent-autodiff run 0.976x in pairs of fresh processes (Sapphire Rapids,
 * OpenBLAS SkylakeX kernels). Kernels whose THP mode is "madvise" (Debian's default)
 * give huge pages only to memory that asks, so the addon madvises the heap's
 * address range, the reservation included (the wasm memory grows in place
 * into it, so pages faulted later come huge too).
 *
 * Trade-off: resident memory rounds up to 2 MiB where the heap is touched
 * sparsely (a few MiB on a heap of hundreds). $ENGRAM_HUGE_PAGES=0 turns it off.
 */
import type { NativeBinding } from './binding.js';
import { heap, type WasmBackendLike } from './heap.js';

/** wasm32's largest memory: the range advised ahead of the heap's growth. */
const WASM32_MAX_BYTES = 4 * 1024 ** 3;

const advised = new WeakSet<object>();
let advisedBytes = 0;

/** False when $ENGRAM_HUGE_PAGES is 0/false/off/no. */
export function hugePagesEnabledByEnv(): boolean {
  const v = typeof process !== 'undefined' ? process.env?.['ENGRAM_HUGE_PAGES'] : undefined;
  return !(v !== undefined && ['0', 'false', 'off', 'no'].includes(v.trim().toLowerCase()));
}

/** Asks for huge pages over `backend`'s heap once per backend (when the addon can and the environment allows). */
export function adviseHeapHugePages(binding: NativeBinding, backend: WasmBackendLike): void {
  if (advised.has(backend) || !binding.adviseHugePages || !hugePagesEnabledByEnv()) return;
  advised.add(backend);
  advisedBytes = binding.adviseHugePages(heap(backend), WASM32_MAX_BYTES);
}

/** Bytes of wasm heap advised for huge pages in this process (0: none). */
export function hugePagesAdvised(): number {
  return advisedBytes;
}
