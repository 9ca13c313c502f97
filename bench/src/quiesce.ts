/**
 * Waiting for the machine to go idle between two timed runs.
 *
 * Why (measured here): after a product on two OpenBLAS threads, OpenBLAS's
 * worker thread keeps spinning for about 100 ms of CPU time before it sleeps
 * (its thread timeout, 2^28 cycles), in engram's process and in every torch
 * server alike. A run that starts during that spin shares a core with it: with
 * a fixed pause of 100 ms, engram's matmul-peak (always run right after the
 * torch 2x2 twin in the rotation) measured 1.6x torch 1x2 while alone it equals
 * torch 1x2. Waiting until every CPU is idle makes each run start on a quiet
 * machine whoever ran before it.
 */
import { readFileSync } from 'node:fs';

/** Busy and total jiffies of all CPUs from /proc/stat's first line (undefined off Linux). */
export function cpuTimes(read: () => string = () => readFileSync('/proc/stat', 'utf8')): { busy: number; total: number } | undefined {
  let text: string;
  try {
    text = read();
  } catch {
    return undefined;
  }
  const line = text.split('\n', 1)[0] ?? '';
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== 'cpu') return undefined;
  const v = fields.slice(1).map(Number);
  if (v.length < 4 || v.some((x) => !Number.isFinite(x))) return undefined;
  // user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
  const idle = v[3]! + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Options of {@link waitForIdle}. */
export interface QuiesceOptions {
  /** Length of one observation window, ms (default 30). */
  windowMs?: number;
  /** A window counts as idle below this busy fraction of all CPUs (default 0.1). */
  maxBusy?: number;
  /** Give up after this long, ms (default 1500): a machine busy with others' work never goes idle. */
  timeoutMs?: number;
  /** Source of the CPU counters (tests). */
  times?: () => { busy: number; total: number } | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves once one observation window shows the CPUs (nearly) idle, or at the
 * timeout; returns how long it waited (ms) and whether it saw an idle window.
 * Off Linux (no /proc/stat) it returns at once.
 */
export async function waitForIdle(options: QuiesceOptions = {}): Promise<{ waitedMs: number; idle: boolean }> {
  const windowMs = options.windowMs ?? 30;
  const maxBusy = options.maxBusy ?? 0.1;
  const timeoutMs = options.timeoutMs ?? 1500;
  const times = options.times ?? (() => cpuTimes());
  const t0 = performance.now();
  let prev = times();
  if (!prev) return { waitedMs: 0, idle: false };
  for (;;) {
    await sleep(windowMs);
    const now = times();
    if (!now) return { waitedMs: performance.now() - t0, idle: false };
    const total = now.total - prev.total;
    const busy = total > 0 ? (now.busy - prev.busy) / total : 1;
    if (busy < maxBusy) return { waitedMs: performance.now() - t0, idle: true };
    if (performance.now() - t0 >= timeoutMs) return { waitedMs: performance.now() - t0, idle: false };
    prev = now;
  }
}
