/**
 * Training progress: a one-line bar redrawn in place on a terminal (epoch,
 * batch, loss, ETA), plain lines when stdout is a pipe or a file.
 */
import type { TrainEvent } from '@engram/core';
import type { CliIO } from './io.js';

/** Formats milliseconds as m:ss (or h:mm:ss). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Estimated time left after `done` of `total` units took `elapsedMs`. */
export function eta(elapsedMs: number, done: number, total: number): number {
  return done > 0 ? (elapsedMs / done) * (total - done) : NaN;
}

/** Renders a stream of TrainEvents to `io`. */
export class ProgressBar {
  private lastPlain = -1;
  private drawn = false;

  /** `plainEvery`: without a terminal, print a batch line every this many batches (default: about 10 per epoch). */
  constructor(
    private readonly io: CliIO,
    private readonly plainEvery?: number,
  ) {}

  /** Shows one event. */
  update(ev: TrainEvent): void {
    const batches = ev.batches ?? 0;
    const doneUnits = ev.epoch * batches + (ev.type === 'epoch' ? batches : ev.batch + 1);
    const totalUnits = ev.epochs * batches;
    const left = batches > 0 ? formatDuration(eta(ev.elapsedMs, doneUnits, totalUnits)) : '?';
    const metrics = ev.metrics ? Object.entries(ev.metrics).map(([k, v]) => `  ${k} ${v.toFixed(4)}`).join('') : '';
    if (ev.type === 'epoch') {
      const line = `epoch ${ev.epoch + 1}/${ev.epochs}  mean loss ${ev.loss.toFixed(5)}${metrics}  elapsed ${formatDuration(ev.elapsedMs)}  ETA ${left}`;
      if (this.io.isTTY && this.drawn) this.io.stdout('\r\x1b[2K');
      this.io.stdout(`${line}\n`);
      this.drawn = false;
      return;
    }
    const head = `epoch ${ev.epoch + 1}/${ev.epochs} batch ${ev.batch + 1}/${batches || '?'}`;
    const tail = `loss ${ev.loss.toFixed(5)}  ETA ${left}`;
    if (this.io.isTTY) {
      const width = Math.max(10, Math.min(40, (this.io.columns ?? 80) - head.length - tail.length - 6));
      const frac = totalUnits > 0 ? doneUnits / totalUnits : 0;
      const fill = Math.round(frac * width);
      this.io.stdout(`\r\x1b[2K${head} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${tail}`);
      this.drawn = true;
      return;
    }
    const every = this.plainEvery ?? Math.max(1, Math.ceil(batches / 10));
    const global = ev.epoch * batches + ev.batch;
    if (ev.batch % every === 0 || ev.batch + 1 === batches) {
      if (global !== this.lastPlain) this.io.stdout(`${head}  ${tail}\n`);
      this.lastPlain = global;
    }
  }

  /** Ends an in-place line, if one is drawn. */
  finish(): void {
    if (this.io.isTTY && this.drawn) this.io.stdout('\n');
    this.drawn = false;
  }
}
