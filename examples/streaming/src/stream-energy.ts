/**
 * Example (c): subscribe to a running energy descent, print the energy every k
 * steps, and cancel early — with plain RxJS operators.
 *
 * The model is a modern Hopfield memory of Fashion-MNIST images built from core
 * parts; the query is a stored image with its bottom half erased (clamped top half).
 */
import * as tf from '@tensorflow/tfjs';
import { EnergyModel, initBackend, lagrangians, memorySynapse, type DynamicsStep } from '@engram/core';
import { occlusionMask } from '@engram/data';
import { loadFashionMnist } from '@engram/data/node';
import { filter, lastValueFrom, take, takeWhile, tap, toArray } from 'rxjs';

/** Options of {@link streamEnergy}. */
export interface StreamEnergyOptions {
  /** Print every k-th step (default 10). */
  every?: number;
  /** Cancel after this many printed lines (default 5). */
  lines?: number;
  /** Also cancel once the energy changes by less than this between printed steps (default 0: never). */
  until?: number;
  /** Stored images (default 64). */
  memories?: number;
  log?: (line: string) => void;
}

/** Runs the example; resolves to the printed steps. */
export async function streamEnergy(opts: StreamEnergyOptions = {}): Promise<DynamicsStep[]> {
  const every = opts.every ?? 10;
  const log = opts.log ?? ((l: string) => console.log(l));
  await initBackend();
  const data = loadFashionMnist({ split: 'train', source: 'subset', limit: opts.memories ?? 64 });
  const K = data.count;
  const patterns = tf.tidy(() => {
    const x = tf.tensor2d(data.images, [K, 784]);
    return tf.sub(tf.mul(x, 2), 1); // pixels in [-1, 1]
  });
  const model = new EnergyModel()
    .addLayer('image', { shape: [784], lagrangian: lagrangians.tanh({ beta: 1 }) })
    .addSynapse('memory', memorySynapse({ memories: K, size: 784, beta: 0.05, patterns }), ['image']);
  patterns.dispose();
  const mask = occlusionMask([28, 28], 'bottom-half');
  const visible = tf.tensor2d(mask.data, [1, 784]);
  const query = tf.tidy(() => tf.mul(tf.sub(tf.mul(tf.tensor2d(data.images.subarray(0, 784), [1, 784]), 2), 1), visible));
  let previous: number | null = null;
  const printed = await lastValueFrom(
    model.run({ initial: { image: query }, clamp: { image: visible }, maxSteps: 10_000, dt: 0.1 }).pipe(
      filter((s) => s.step % every === 0),
      takeWhile((s) => {
        const keep = previous === null || !(opts.until && Math.abs(s.energy! - previous) < opts.until);
        previous = s.energy;
        return keep;
      }, true),
      take(opts.lines ?? 5),
      tap((s) => log(`step ${String(s.step).padStart(5)}  t=${s.t.toFixed(2)}  energy ${s.energy!.toFixed(4)}  |dx| ${s.delta.toExponential(2)}`)),
      toArray(),
    ),
  );
  tf.dispose([visible, query]);
  model.dispose();
  return printed;
}
