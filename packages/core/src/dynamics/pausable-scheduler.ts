/**
 * An RxJS scheduler for the engine's between-step yields that can hold the
 * loop: while paused, scheduled work waits in a queue, so the dynamics stop
 * exactly between two steps, with no events buffered and nothing recomputed.
 * Resume runs the queue. Cancel is the subscriber's unsubscribe (which frees
 * the run's tensors at once); `release()` then drops what is queued.
 */
import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';

/** A pausable scheduler; `stepDelayMs` slows each yield down (for watching). */
export class PausableScheduler implements SchedulerLike {
  private paused = false;
  private queue: (() => void)[] = [];

  constructor(private readonly stepDelayMs = 0) {}

  /** Current time in ms. */
  now(): number {
    return Date.now();
  }

  /** Whether work is being held. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Schedules `work` after `delay` (plus the step delay), or holds it while paused. */
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const sub = new Subscription(() => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    });
    const action = Object.assign(sub, { schedule: (s?: T, d?: number) => this.schedule(work, d, s) }) as unknown as SchedulerAction<T>;
    const fire = (): void => {
      if (cancelled) return;
      if (this.paused) {
        this.queue.push(fire);
        return;
      }
      timer = setTimeout(() => {
        if (cancelled) return;
        if (this.paused) this.queue.push(fire);
        else work.call(action, state);
      }, delay + this.stepDelayMs);
    };
    fire();
    return sub;
  }

  /** Holds scheduled work from now on. */
  pause(): void {
    this.paused = true;
  }

  /** Runs the held work and stops holding. */
  resume(): void {
    this.paused = false;
    const q = this.queue;
    this.queue = [];
    for (const f of q) f();
  }

  /** Forgets held work (after the subscriber unsubscribed, nothing needs it). */
  release(): void {
    this.queue = [];
    this.paused = false;
  }
}
