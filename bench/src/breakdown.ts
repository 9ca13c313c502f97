/**
 * Where a case's time goes on the engram side: inside kernels (the kernel
 * functions of the active backend, native calls included) or outside them
 * (tfjs' engine: tapes, scopes, tensor bookkeeping, and the case's own JS).
 * `--breakdown` runs each selected case a few more times with every kernel of
 * the backend wrapped in a timer, after the timed rounds (the wrappers cost
 * ~0.2 us per kernel; the timed rounds never run with them).
 *
 * Why: tfjs spends 20-30 us of JS per kernel here, more than the arithmetic of
 * most elementwise kernels, so the number of kernels is itself a cost; this
 * is how it was found and how a change to it is checked.
 */
import * as tf from '@tensorflow/tfjs';
import type { BenchCase } from './harness.js';

/** One case's breakdown (means over the probed runs). */
export interface Breakdown {
  runs: number;
  wall_ms: number;
  kernel_ms: number;
  outside_ms: number;
  kernels_per_run: number;
  /**
   * The case times itself (its run returns ms, e.g. per epoch or per transition)
   * and its run includes work it leaves out of that time (building the model,
   * the data): wall and outside cover the whole run, not the reported time.
   */
  self_timed: boolean;
  /** The kernels taking the most time per run. */
  top: Array<{ kernel: string; ms: number; calls: number }>;
}

/** Wraps every kernel of `backend` in a timer; returns the stats and a restore function. */
export function timeKernels(backend: string): { stats: Map<string, { ms: number; calls: number }>; restore(): void } {
  const stats = new Map<string, { ms: number; calls: number }>();
  const originals = tf.getKernelsForBackend(backend);
  for (const cfg of originals) {
    const inner = cfg.kernelFunc;
    tf.unregisterKernel(cfg.kernelName, backend);
    tf.registerKernel({
      ...cfg,
      kernelFunc: (args) => {
        const t0 = performance.now();
        try {
          return inner(args);
        } finally {
          const s = stats.get(cfg.kernelName) ?? { ms: 0, calls: 0 };
          s.ms += performance.now() - t0;
          s.calls++;
          stats.set(cfg.kernelName, s);
        }
      },
    });
  }
  return {
    stats,
    restore() {
      for (const cfg of originals) {
        tf.unregisterKernel(cfg.kernelName, backend);
        tf.registerKernel(cfg);
      }
    },
  };
}

/** Runs `c` (setup, one warm-up) `runs` times with kernel timing on. */
export async function breakdown(c: BenchCase, runs = 3, topN = 6): Promise<Breakdown> {
  const w = await c.setup();
  try {
    await w.run();
    const timing = timeKernels(tf.getBackend());
    let wall = 0;
    let selfTimed = false;
    try {
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const own = await w.run();
        wall += performance.now() - t0;
        selfTimed ||= typeof own === 'number';
      }
    } finally {
      timing.restore();
    }
    const all = [...timing.stats.entries()];
    const kernelMs = all.reduce((a, [, s]) => a + s.ms, 0) / runs;
    return {
      runs,
      wall_ms: wall / runs,
      kernel_ms: kernelMs,
      outside_ms: wall / runs - kernelMs,
      kernels_per_run: all.reduce((a, [, s]) => a + s.calls, 0) / runs,
      self_timed: selfTimed,
      top: all
        .sort((p, q) => q[1].ms - p[1].ms)
        .slice(0, topN)
        .map(([kernel, s]) => ({ kernel, ms: s.ms / runs, calls: s.calls / runs })),
    };
  } finally {
    w.dispose();
  }
}
