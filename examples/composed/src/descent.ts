/**
 * The descent as a stream: the model protocol's `run` on the composed graph
 * with the image clamped, recording the energy at every step and the energy
 * tree (one term per layer's Legendre energy and per connection) at the start
 * and at the end — the quantities the classifier's unrolled descent lowers.
 */
import * as tf from '@tensorflow/tfjs';
import type { EnergyModel } from '@engram/core';
import { lastValueFrom, tap } from 'rxjs';
import { DEFAULT_DESCENT, type DescentSettings } from './classify.js';
import { IMAGE, IMAGE_SIZE, LABEL } from './config.js';

/** What one streamed descent showed. */
export interface DescentTrace {
  /** Total energy (summed over the images) after each update; index 0 is the start. */
  energies: number[];
  /** The energy tree at the start and after the last update, by term. */
  start: Record<string, number>;
  end: Record<string, number>;
  /** The label layer's activation (softmax) at the end, per image. */
  probabilities: number[][];
}

/** Options of {@link streamDescent}: the descent's settings; `steps` defaults to the classifier's. */
export type StreamDescentOptions = DescentSettings;

/**
 * Streams the descent of `images` (row-major [n, 784]) with the image clamped
 * and the tokens and label free, from zeros. Resolves when the stream ends.
 */
export async function streamDescent(model: EnergyModel, images: Float32Array, options: StreamDescentOptions = {}): Promise<DescentTrace> {
  const { steps, dt } = { ...DEFAULT_DESCENT, ...options };
  const n = images.length / IMAGE_SIZE;
  const energies: number[] = [];
  let start: Record<string, number> = {};
  let end: Record<string, number> = {};
  let probabilities: number[][] = [];
  const image = tf.tensor2d(images, [n, IMAGE_SIZE]);
  try {
    await lastValueFrom(
      model
        .run({
          initial: { [IMAGE]: image },
          clamp: { [IMAGE]: true },
          maxSteps: steps,
          dt,
          energyTree: true,
          // The final state is ours to read and free.
          onFinal: (state) => {
            const p = tf.tidy(() => model.layer(LABEL).lagrangian.activation(state[LABEL]!));
            probabilities = p.arraySync() as number[][];
            p.dispose();
            for (const t of Object.values(state)) t.dispose();
          },
        })
        .pipe(
          tap((s) => {
            energies.push(s.energy ?? NaN);
            if (s.step === 0) start = s.energyTree;
            end = s.energyTree;
          }),
        ),
    );
  } finally {
    image.dispose();
  }
  return { energies, start, end, probabilities };
}

/** The energy tree as aligned text lines: one term per line, start and end side by side. */
export function formatEnergyTree(trace: Pick<DescentTrace, 'start' | 'end'>): string[] {
  const names = [...new Set([...Object.keys(trace.start), ...Object.keys(trace.end)])];
  const width = Math.max(4, ...names.map((k) => k.length));
  const num = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(4)).padStart(12);
  const total = (t: Record<string, number>): number => Object.values(t).reduce((a, b) => a + b, 0);
  return [
    `${'term'.padEnd(width)} ${'start'.padStart(12)} ${'end'.padStart(12)}`,
    ...names.map((k) => `${k.padEnd(width)} ${num(trace.start[k])} ${num(trace.end[k])}`),
    `${'total'.padEnd(width)} ${num(total(trace.start))} ${num(total(trace.end))}`,
  ];
}
