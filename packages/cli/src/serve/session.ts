/**
 * One live run for `engram serve`: subscribes to a model's dynamics on a
 * {@link PausableScheduler}, turns steps into small JSON messages (energy,
 * update size, and the current states as a PNG data URI a few times a second),
 * and supports pause, resume and cancel. Cancel unsubscribes, which frees every
 * tensor of the run; the session then disposes its model.
 */
import type { Observable, Subscription } from 'rxjs';
import type { DynamicsStep } from '@engram/core';
import { imageGridPng, pngDataUri } from '@engram/viz';
import { PausableScheduler } from './pausable-scheduler.js';

/** A run the server can show: the stream, how to draw states, and cleanup. */
export interface LiveRun {
  /** One line describing the model. */
  readonly title: string;
  /** The dynamics; subscribe once. Must request snapshots of the layers `images` reads. */
  readonly steps: Observable<DynamicsStep>;
  /** Current states as images (values in [0, 1]), or null when the model's states are not images. */
  images(states: NonNullable<DynamicsStep['states']>): { data: Float32Array; count: number; width: number; height: number } | null;
  /** Frees the model and inputs. */
  dispose(): void;
}

/** Builds a LiveRun on the given scheduler. */
export type LiveRunFactory = (scheduler: PausableScheduler) => Promise<LiveRun>;

/** Status of a session. */
export type SessionStatus = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'cancelled' | 'error';

/** A message for the page (sent as a server-sent event). */
export type SessionMessage =
  | { type: 'start'; title: string }
  | { type: 'step'; step: number; t: number; energy: number | null; delta: number; converged: boolean; done: boolean; image?: string }
  | { type: 'status'; status: SessionStatus; message?: string };

/**
 * Runs one LiveRun at a time and broadcasts its messages. A state machine with
 * a generation number: every start or cancel supersedes what came before, so a
 * run whose (asynchronous) setup finishes after it was superseded is freed
 * before it takes a step, and cancel always stops and frees the current run —
 * however many requests arrive concurrently.
 */
export class LiveSession {
  private status: SessionStatus = 'idle';
  private sub: Subscription | undefined;
  private run: LiveRun | undefined;
  private scheduler: PausableScheduler | undefined;
  private generation = 0;
  private lastImageAt = 0;
  private readonly listeners = new Set<(m: SessionMessage) => void>();
  /** Steps received in the current run. */
  stepsSeen = 0;

  constructor(
    private readonly factory: LiveRunFactory,
    private readonly options: { stepDelayMs?: number; imageIntervalMs?: number } = {},
  ) {}

  /** Current status. */
  get state(): SessionStatus {
    return this.status;
  }

  /** Adds a listener; returns its remover. */
  listen(fn: (m: SessionMessage) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(m: SessionMessage): void {
    for (const fn of this.listeners) fn(m);
  }

  private setStatus(status: SessionStatus, message?: string): void {
    this.status = status;
    this.emit(message === undefined ? { type: 'status', status } : { type: 'status', status, message });
  }

  /** Starts a new run (cancelling a current one, or one still being set up). */
  async start(): Promise<void> {
    this.cancel();
    const mine = ++this.generation;
    const scheduler = new PausableScheduler(this.options.stepDelayMs ?? 0);
    this.setStatus('starting');
    let run: LiveRun;
    try {
      run = await this.factory(scheduler);
    } catch (err) {
      if (mine === this.generation) this.setStatus('error', err instanceof Error ? err.message : String(err));
      throw err;
    }
    if (mine !== this.generation) {
      // Superseded (cancelled or restarted) while it was being set up: it never runs.
      run.dispose();
      return;
    }
    this.scheduler = scheduler;
    this.run = run;
    this.stepsSeen = 0;
    this.lastImageAt = 0;
    this.emit({ type: 'start', title: run.title });
    this.setStatus('running');
    const interval = this.options.imageIntervalMs ?? 150;
    this.sub = run.steps.subscribe({
      next: (s) => {
        this.stepsSeen++;
        const msg: SessionMessage = { type: 'step', step: s.step, t: s.t, energy: s.energy, delta: s.delta, converged: s.converged, done: s.done };
        const now = Date.now();
        if (s.states && (s.done || s.step === 0 || now - this.lastImageAt >= interval)) {
          const img = run.images(s.states);
          if (img) {
            msg.image = pngDataUri(imageGridPng({ images: img.data, count: img.count, imageWidth: img.width, imageHeight: img.height, range: [0, 1], scale: 3, rows: 1 }));
            this.lastImageAt = now;
          }
        }
        this.emit(msg);
      },
      error: (err: unknown) => {
        this.finish();
        this.setStatus('error', err instanceof Error ? err.message : String(err));
      },
      complete: () => {
        this.finish();
        this.setStatus('done');
      },
    });
  }

  /** Holds the run between two steps. */
  pause(): void {
    if (this.status !== 'running' || !this.scheduler) return;
    this.scheduler.pause();
    this.setStatus('paused');
  }

  /** Continues a paused run. */
  resume(): void {
    if (this.status !== 'paused' || !this.scheduler) return;
    this.scheduler.resume();
    this.setStatus('running');
  }

  /** Stops the run: unsubscribes (freeing its tensors) and disposes the model; also stops one being set up. */
  cancel(): void {
    if (this.status === 'starting') {
      this.generation++;
      this.setStatus('cancelled');
      return;
    }
    if (!this.sub) return;
    const wasActive = this.status === 'running' || this.status === 'paused';
    this.sub.unsubscribe();
    // Let a held loop wake up, see that it is closed, and end.
    this.scheduler?.resume();
    this.finish();
    if (wasActive) this.setStatus('cancelled');
  }

  private finish(): void {
    this.sub = undefined;
    this.run?.dispose();
    this.run = undefined;
    this.scheduler = undefined;
  }
}
