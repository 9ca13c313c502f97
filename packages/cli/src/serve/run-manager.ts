/**
 * The server side of the playground's server runner: one run at a time per
 * server, as a state machine with a generation number (a start supersedes the
 * current run, and a run whose setup finishes after it was superseded is
 * cancelled before it takes a step; cancel always stops and frees). Each
 * run's events are kept (bounded), so a page that connects late replays the
 * run from its start.
 */
import type { Engram } from '@engram/core';
import { startRun, type RunEvent, type RunHandle, type RunRequest } from '@engram/playground';

/** A run as the server keeps it. */
interface ServerRun {
  id: string;
  events: RunEvent[];
  listeners: Set<(e: RunEvent) => void>;
  handle?: RunHandle;
  ended: boolean;
}

/** Most events kept per run for late subscribers (steps beyond it are thinned to every other one). */
const MAX_EVENTS = 20000;

const ends = (e: RunEvent): boolean => e.type === 'status' && (e.status === 'done' || e.status === 'cancelled' || e.status === 'error');

/** Runs the playground's requests on the server, one at a time. */
export class RunManager {
  private readonly runs = new Map<string, ServerRun>();
  private current: ServerRun | undefined;
  private generation = 0;
  private counter = 0;

  constructor(
    private readonly engram: Engram,
    private readonly options: { stepDelayMs?: number; imageIntervalMs?: number } = {},
  ) {}

  /** Starts `request` (superseding the current run); resolves with its id once it is set up. */
  async start(request: RunRequest): Promise<string> {
    this.cancelCurrent();
    const mine = ++this.generation;
    const run: ServerRun = { id: `run-${++this.counter}`, events: [], listeners: new Set(), ended: false };
    this.runs.set(run.id, run);
    // Keep the last few runs only: a server that runs for days must not grow.
    for (const id of [...this.runs.keys()].slice(0, Math.max(0, this.runs.size - 8))) this.runs.delete(id);
    this.current = run;
    const emit = (e: RunEvent): void => {
      if (run.ended) return;
      if (run.events.length >= MAX_EVENTS) run.events = run.events.filter((x, i) => x.type !== 'step' || i % 2 === 0);
      run.events.push(e);
      for (const l of run.listeners) l(e);
      if (ends(e)) run.ended = true;
    };
    const handle = await startRun(this.engram, request, emit, this.options);
    if (mine !== this.generation) {
      // Superseded while it was being set up: it never runs on.
      handle.cancel();
      return run.id;
    }
    run.handle = handle;
    return run.id;
  }

  /** Follows a run: replays its events so far, then the new ones; returns the unsubscribe. */
  follow(id: string, listener: (e: RunEvent) => void): (() => void) | undefined {
    const run = this.runs.get(id);
    if (!run) return undefined;
    for (const e of run.events) listener(e);
    if (run.ended) return () => {};
    run.listeners.add(listener);
    return () => run.listeners.delete(listener);
  }

  /** pause / resume / cancel of a run (only the current one can be controlled). */
  control(id: string, action: 'pause' | 'resume' | 'cancel'): boolean {
    const run = this.runs.get(id);
    if (!run) return false;
    if (run !== this.current) return true;
    if (action === 'cancel') this.cancelCurrent();
    else run.handle?.[action]();
    return true;
  }

  /** The current run's id and whether it is still going. */
  status(): { current?: string; running: boolean } {
    return this.current ? { current: this.current.id, running: !this.current.ended } : { running: false };
  }

  /** Cancels whatever runs (or is being set up). */
  cancelCurrent(): void {
    this.generation++;
    const run = this.current;
    if (!run) return;
    run.handle?.cancel();
    if (!run.ended) {
      for (const l of run.listeners) l({ type: 'status', status: 'cancelled' });
      run.events.push({ type: 'status', status: 'cancelled' });
      run.ended = true;
    }
  }
}
