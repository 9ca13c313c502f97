/**
 * What the playground's UI and its two runners (in the page, or on the Node
 * side through `engram serve`) say to each other: the model kinds on offer, a
 * run request, and the events of a run. Plain JSON, so the server runner
 * carries them over HTTP and server-sent events unchanged.
 */

/** A model kind as the UI lists it. */
export interface KindInfo {
  id: string;
  plugin: string;
  description: string;
  /** JSON Schema of its config (the form is generated from it). */
  schema: Record<string, unknown>;
  /** A small valid config (the form's starting values). */
  example: Record<string, unknown>;
  /** JSON Schema of the kind's own run keys (core's common keys left out). */
  runSchema: Record<string, unknown>;
  /** Whether the kind has a memory face (store) and a training face. */
  memory: boolean;
  trainable: boolean;
}

/** Where a run's data come from. */
export type DataChoice =
  | { source: 'none' }
  /** Fashion-MNIST when the first layer is an image (a square of 16 or more values), random patterns otherwise. */
  | { source: 'auto'; count: number; seed: number }
  | { source: 'fashion-mnist'; count: number }
  | { source: 'random'; kind: 'binary' | 'gaussian'; count: number; seed: number }
  | { source: 'upload'; pixels: number[]; width: number; height: number };

/** How the data become the run's start: stored as memories, and the cue given. */
export interface CueChoice {
  /** Store the data as the model's memories when it has a memory face (store). */
  store: boolean;
  /** The cue: the samples as they are, with noise added, or with the bottom half hidden (and the top half clamped). */
  cue: 'clean' | 'noisy' | 'bottom-half';
  /** Noise standard deviation for 'noisy'. */
  noise: number;
}

/** One run the UI asks for. */
export interface RunRequest {
  kind: string;
  config: Record<string, unknown>;
  data: DataChoice;
  cue: CueChoice;
  /** Samples run (the first samples of the data, or generated). */
  batch: number;
  seed: number;
  maxSteps: number;
  dt?: number;
  tolerance?: number;
  /** The model's own run keys (validated by its run schema). */
  extra: Record<string, unknown>;
  /** A saved model to run instead of a new one from kind and config: its spec and its weights (base64). */
  model?: { spec: Record<string, unknown>; weights: string };
}

/** A state as an image for the page: values in [0, 1], row-major, `count` images of width x height. */
export interface StateImages {
  layer: string;
  width: number;
  height: number;
  count: number;
  pixels: number[];
}

/** Events of a run, in order: start, steps, and status changes (the last one ends the run). */
export type RunEvent =
  | { type: 'start'; title: string; layers: { name: string; shape: (number | null)[] }[] }
  | { type: 'step'; step: number; t: number; energy: number | null; delta: number; converged: boolean; done: boolean; energyTree: Record<string, number>; images?: StateImages[] }
  | { type: 'status'; status: 'running' | 'paused' | 'done' | 'cancelled' | 'error'; message?: string };

/** A running run. */
export interface RunHandle {
  pause(): void;
  resume(): void;
  cancel(): void;
}

/** Something that runs models for the UI: the page itself, or an engram server. */
export interface Runner {
  /** 'in this page' or 'on the server'. */
  readonly where: string;
  kinds(): Promise<KindInfo[]>;
  start(request: RunRequest, listener: (e: RunEvent) => void): Promise<RunHandle>;
  /** Live tensors in the runner (to show that a cancelled run leaves none). */
  tensors(): Promise<number>;
}
