import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { backendInfo } from '../../src/backend/backend-info.js';
import type { NativeBinding } from '../../src/backend/native/binding.js';
import { adviseHeapHugePages, hugePagesEnabledByEnv } from '../../src/backend/native/huge-pages.js';
import type { WasmBackendLike } from '../../src/backend/native/heap.js';
import { onNativeWasm } from '../helpers.js';

/** AnonHugePages of this process in kB (Linux), or undefined. */
function anonHugeKb(): number | undefined {
  try {
    const m = /AnonHugePages:\s+(\d+) kB/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

describe('huge pages for the wasm heap (native path)', function () {
  onNativeWasm();

  it('ENGRAM_HUGE_PAGES=0 (or false/off/no) turns the advice off; anything else leaves it on', () => {
    const saved = process.env['ENGRAM_HUGE_PAGES'];
    try {
      for (const [v, on] of [['0', false], ['off', false], [' FALSE ', false], ['no', false], ['1', true], ['', true]] as const) {
        process.env['ENGRAM_HUGE_PAGES'] = v;
        expect(hugePagesEnabledByEnv(), JSON.stringify(v)).to.equal(on);
      }
      delete process.env['ENGRAM_HUGE_PAGES'];
      expect(hugePagesEnabledByEnv()).to.equal(true);
    } finally {
      if (saved === undefined) delete process.env['ENGRAM_HUGE_PAGES'];
      else process.env['ENGRAM_HUGE_PAGES'] = saved;
    }
  });

  it('advises each backend once, over the heap and the wasm32 reservation ahead of it, and not at all when turned off', () => {
    const calls: Array<[number, number]> = [];
    const binding = { adviseHugePages: (buf: ArrayBuffer, bytes: number) => (calls.push([buf.byteLength, bytes]), bytes) } as unknown as NativeBinding;
    const fake = (): WasmBackendLike => ({ wasm: { HEAPU8: new Uint8Array(64) } }) as unknown as WasmBackendLike;
    const one = fake();
    adviseHeapHugePages(binding, one);
    adviseHeapHugePages(binding, one);
    expect(calls).to.deep.equal([[64, 4 * 1024 ** 3]]);
    const saved = process.env['ENGRAM_HUGE_PAGES'];
    process.env['ENGRAM_HUGE_PAGES'] = '0';
    try {
      adviseHeapHugePages(binding, fake());
    } finally {
      if (saved === undefined) delete process.env['ENGRAM_HUGE_PAGES'];
      else process.env['ENGRAM_HUGE_PAGES'] = saved;
    }
    expect(calls).to.have.length(1);
    adviseHeapHugePages({} as NativeBinding, fake()); // an older addon: nothing to call, no throw
  });

  it('the real heap: backendInfo says so, and a large product faults its memory in as huge pages where the kernel gives them', function () {
    const info = backendInfo();
    if (!info.hugePages) {
      process.stdout.write('      (skipped: the heap was not advised here, e.g. ENGRAM_HUGE_PAGES=0)\n');
      this.skip();
    }
    const before = anonHugeKb();
    const mode = (() => {
      try {
        return readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
      } catch {
        return '';
      }
    })();
    const a = tf.randomNormal([2048, 2048], 0, 1, 'float32', 1);
    const c = tf.matMul(a, a);
    c.dataSync();
    const after = anonHugeKb();
    tf.dispose([a, c]);
    // Only where THP is available ("[always]" or "[madvise]") and the kernel could find free huge pages: report otherwise.
    if (before === undefined || after === undefined || !/\[(always|madvise)\]/.test(mode)) return;
    expect(after, `AnonHugePages ${before} -> ${after} kB`).to.be.greaterThan(0);
  });
});
