/**
 * The paper's grid search trained all at once. Every grid point (beta, lr,
 * fill) sees the same batches and masks (they depend on the seed only) and
 * starts from the same prototypes, so the C trainings differ only in their
 * numbers: stacking them as [C, ...] tensors runs them through ONE unrolled
 * dynamics per batch (core's integrate on a [C, batch, size] state) and ONE
 * trainStream with a per-variable Adam, several times faster than C separate
 * fits on a tfjs backend dominated by per-op overhead, with the same result
 * as C separate `Clam` fits (tested, up to float32 round-off). Each configuration keeps its own
 * plateau schedule (a stopped one is frozen at rate 0) and best-epoch checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import { lastValueFrom, takeWhile, tap } from 'rxjs';
import { integrate, ops, trainStream, type DynamicsSystem } from '@engram/core';
import type { ResolvedClamOptions } from '../clusterer/clam-options.js';
import type { HostMatrix } from '../internal/host-matrix.js';
import { kmeansPlusPlusCenters } from '../internal/kmeanspp.js';
import { seededNormal } from '../internal/seeded-normal.js';
import { PerVariableAdam } from '../internal/per-variable-optimizer.js';
import { AUTHORS_PLATEAU, PlateauSchedule } from '../internal/plateau.js';
import { resolveSteps, type FillRule } from '../models/clam-schema.js';
import { fillValues, maskedBatches, type ClamBatch } from '../models/masked-batches.js';

/** One grid point. */
export interface BankConfig {
  beta: number;
  lr: number;
  fill: FillRule;
}

/** The training of one grid point. */
export interface BankOutcome extends BankConfig {
  /** Final (or best-epoch) prototypes [k * d]. */
  prototypes: Float32Array;
  /** Epoch losses (sums of batch losses) until the configuration stopped. */
  losses: number[];
}

/** What the bank needs of the shared options. */
export type BankOptions = Pick<ResolvedClamOptions, 'epochs' | 'batchSize' | 'dt' | 'steps' | 'hidden' | 'sharedMaskEvery' | 'seed' | 'init' | 'plateau' | 'keepBest'>;

/** Trains every configuration on `x` with `k` prototypes; resolves to one outcome per configuration, in order. */
export async function trainBank(x: HostMatrix, k: number, configs: readonly BankConfig[], o: BankOptions): Promise<BankOutcome[]> {
  const C = configs.length;
  const { d } = x;
  const steps = resolveSteps(o);
  const init =
    o.init === 'kmeans++'
      ? tf.tensor2d(Float32Array.from(kmeansPlusPlusCenters(x, k, o.seed).data), [k, d])
      : tf.tensor2d(seededNormal(k * d, 0.1, 0.1, o.seed), [k, d]); // ClamModel's default initialisation, same seed
  const vars = configs.map((_, c) => tf.variable(init, true, `clam-bank-${c}-${Math.random().toString(36).slice(2)}`));
  init.dispose();
  const fills = tf.tensor3d(Float32Array.from(configs.flatMap((c) => Array.from(fillValues(x, c.fill)))), [C, 1, d]);
  const betas = tf.tensor3d(configs.map((c) => c.beta), [C, 1, 1]);
  const optimizer = new PerVariableAdam(new Map(vars.map((v, c) => [v.name, configs[c]!.lr])));
  const schedules = configs.map((c) => new PlateauSchedule(c.lr, AUTHORS_PLATEAU));
  const stopped = new Array<boolean>(C).fill(false);
  const losses: number[][] = configs.map(() => []);
  const epochSums = new Float64Array(C);
  const best = new Array<tf.Tensor | undefined>(C).fill(undefined);
  const bestLoss = new Float64Array(C).fill(Number.POSITIVE_INFINITY);
  // The fill values are applied per configuration in the loss; the batches carry a dummy fill.
  const data = maskedBatches(x, { batchSize: o.batchSize, hidden: o.hidden, fill: new Float64Array(d), sharedMaskEvery: o.sharedMaskEvery, seed: o.seed });
  let lastLosses: tf.Tensor | undefined;

  const loss = (batch: ClamBatch): tf.Scalar =>
    tf.tidy(() => {
      const P = tf.stack(vars) as tf.Tensor3D; // [C, k, d]
      const half = tf.mul(tf.sum(tf.square(P), 2, true), 0.5).reshape([C, 1, k]);
      const system: DynamicsSystem = {
        step: (s, ctx) => {
          const xs = s['x']! as tf.Tensor3D;
          const logits = tf.mul(tf.sub(tf.matMul(xs, P, false, true), half), betas);
          const w = ops.softmax(logits, 2) as tf.Tensor3D;
          return { next: { x: tf.sub(xs, tf.mul(tf.sub(xs, tf.matMul(w, P)), ctx.dt)) } };
        },
      };
      const start = tf.add(tf.mul(batch.x, tf.sub(1, batch.hidden)), tf.mul(fills, batch.hidden));
      const final = integrate(system, { x: start }, { steps, dt: o.dt, clamp: { x: tf.sub(1, batch.hidden) } })['x']!;
      const perConfig = tf.mean(tf.mul(tf.square(tf.sub(final, batch.x)), batch.hidden), [1, 2]);
      lastLosses?.dispose();
      lastLosses = tf.keep(perConfig.clone());
      return tf.sum(perConfig) as tf.Scalar;
    });

  const stream = trainStream({
    variables: vars,
    optimizer,
    epochs: o.epochs,
    batchesPerEpoch: data.batchesPerEpoch,
    batches: (epoch) => data.batches(epoch),
    loss,
  });
  try {
    await lastValueFrom(
      stream.pipe(
        tap((e) => {
          if (e.type === 'batch') {
            const v = lastLosses!.dataSync();
            for (let c = 0; c < C; c++) epochSums[c]! += v[c]!;
            return;
          }
          for (let c = 0; c < C; c++) {
            if (stopped[c]) continue;
            const l = epochSums[c]!;
            losses[c]!.push(l);
            if (o.keepBest && l < bestLoss[c]!) {
              bestLoss[c] = l;
              best[c]?.dispose();
              best[c] = vars[c]!.clone();
            }
            if (o.plateau) {
              const lr = schedules[c]!.update(l);
              if (schedules[c]!.exhausted) {
                stopped[c] = true;
                optimizer.setRate(vars[c]!.name, 0);
              } else optimizer.setRate(vars[c]!.name, lr);
            }
          }
          epochSums.fill(0);
        }),
        takeWhile(() => stopped.some((s) => !s), true),
      ),
      { defaultValue: undefined },
    );
    return configs.map((cfg, c) => ({ ...cfg, prototypes: Float32Array.from((best[c] ?? vars[c]!).dataSync()), losses: losses[c]! }));
  } finally {
    lastLosses?.dispose();
    for (const b of best) b?.dispose();
    for (const v of vars) v.dispose();
    tf.dispose([fills, betas]);
    optimizer.dispose();
  }
}
