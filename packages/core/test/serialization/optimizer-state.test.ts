import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../src/backend/backend.js';
import { restoreOptimizerState, serializeOptimizerState, type OptimizerStateArtifacts } from '../../src/serialization/optimizer-state.js';
import { loadOptimizerState, optimizerStatePaths, saveOptimizerState } from '../../src/node/optimizer-files.js';
import { ErrorCodes, isEngramError, type ErrorCode } from '../../src/errors/index.js';

async function rejects(p: Promise<unknown>, code: ErrorCode, pattern?: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isEngramError(err, code), `expected ${code}, got ${String(err)}`).to.equal(true);
  if (pattern) expect((err as Error).message).to.match(pattern);
}

/** A small least-squares problem: two variables, a fixed seeded batch. */
class Problem {
  readonly w = tf.tidy(() => tf.variable(tf.randomNormal([3, 2], 0, 1, 'float32', 11)));
  readonly b = tf.tidy(() => tf.variable(tf.randomNormal([2], 0, 1, 'float32', 12)));
  private readonly x = tf.randomNormal([5, 3], 0, 1, 'float32', 13);
  private readonly y = tf.randomNormal([5, 2], 0, 1, 'float32', 14);
  get vars(): tf.Variable[] {
    return [this.w, this.b];
  }
  step(opt: tf.Optimizer): void {
    opt.minimize(() => tf.sum(tf.square(tf.sub(tf.add(tf.matMul(this.x, this.w), this.b), this.y))) as tf.Scalar, false, this.vars);
  }
  values(): Float32Array[] {
    return this.vars.map((v) => v.dataSync() as Float32Array).map((a) => Float32Array.from(a));
  }
  assign(values: Float32Array[]): void {
    this.vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(values[i]!, v.shape))));
  }
  dispose(): void {
    tf.dispose([this.w, this.b, this.x, this.y]);
  }
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((arr, i) => arr.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i]![j]!)))));
  return m;
}

/**
 * Trains `make()` a few steps, captures its state with `capture`, takes one more
 * step (the uninterrupted run), then rewinds the variables and takes that step
 * with a fresh optimizer restored by `restore`, and with a fresh unrestored one.
 */
async function resumeCase(
  make: () => tf.Optimizer,
  capture: (opt: tf.Optimizer) => Promise<void>,
  restore: (opt: tf.Optimizer, vars: tf.Variable[]) => Promise<void>,
): Promise<{ resumed: number; fresh: number; iterations: number }> {
  const p = new Problem();
  const opt = make();
  for (let i = 0; i < 4; i++) p.step(opt);
  await capture(opt);
  const saved = p.values();
  p.step(opt);
  const uninterrupted = p.values();
  p.assign(saved);
  const restored = make();
  await restore(restored, p.vars);
  p.step(restored);
  const resumed = maxDiff(p.values(), uninterrupted);
  const iterations = restored.iterations;
  p.assign(saved);
  const fresh = make();
  p.step(fresh);
  const freshDiff = maxDiff(p.values(), uninterrupted);
  [opt, restored, fresh].forEach((o) => o.dispose());
  p.dispose();
  return { resumed, fresh: freshDiff, iterations };
}

describe('optimizer state', () => {
  let dir: string;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    dir = mkdtempSync(join(tmpdir(), 'engram-optstate-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('Adam saved to files and restored into a fresh Adam takes the same next step as the original (no leaks)', async () => {
    const before = tf.memory().numTensors;
    const path = join(dir, 'adam', 'ckpt');
    const r = await resumeCase(
      () => tf.train.adam(0.05, 0.8, 0.95),
      async (opt) => {
        const files = await saveOptimizerState(opt, path);
        expect(files.spec).to.equal(`${path}.optimizer.json`);
        expect(files.weights).to.match(/ckpt\.optimizer\.[0-9a-f]{8}\.bin$/);
        const spec = JSON.parse(readFileSync(files.spec, 'utf8'));
        expect(spec.className).to.equal('Adam');
        expect(spec.iterations).to.equal(4);
        expect(spec.config).to.include({ learningRate: 0.05, beta1: 0.8, beta2: 0.95 });
        expect(spec.weights.entries.map((e: { name: string }) => e.name)[0]).to.equal('iter');
        expect(spec.weights.entries.length).to.equal(5); // iter + m, v for each of the 2 variables
      },
      async (opt, vars) => {
        expect(await loadOptimizerState(opt, `${path}.json`, { variables: vars })).to.equal(true);
        expect(opt.iterations).to.equal(4);
      },
    );
    expect(r.iterations).to.equal(5);
    expect(r.resumed).to.be.at.most(1e-6);
    // Restarting the moments from zero gives a visibly different step: the comparison can fail.
    expect(r.fresh).to.be.greaterThan(1e-3);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('SGD with momentum restored in memory continues identically; plain SGD keeps its iteration count', async () => {
    // tfjs 4.22's MomentumOptimizer.dispose() forgets its learning-rate scalar: measure that and allow exactly it.
    const n0 = tf.memory().numTensors;
    tf.train.momentum(0.1, 0.9).dispose();
    const tfjsLeak = tf.memory().numTensors - n0;
    const before = tf.memory().numTensors;
    let art: OptimizerStateArtifacts | undefined;
    const r = await resumeCase(
      () => tf.train.momentum(0.02, 0.9),
      async (opt) => {
        art = await serializeOptimizerState(opt);
        expect(art.spec.className).to.equal('Momentum');
        expect(art.spec.weights.entries.length).to.equal(3);
      },
      (opt, vars) => restoreOptimizerState(opt, art!, { variables: vars }),
    );
    expect(r.resumed).to.be.at.most(1e-6);
    expect(r.fresh).to.be.greaterThan(1e-3);
    const sgd = tf.train.sgd(0.1);
    const p = new Problem();
    p.step(sgd);
    p.step(sgd);
    const sgdArt = await serializeOptimizerState(sgd);
    const sgd2 = tf.train.sgd(0.1);
    await restoreOptimizerState(sgd2, sgdArt, { variables: p.vars });
    expect(sgd2.iterations).to.equal(2);
    // Restoring over an optimizer that already has slots replaces (and frees) them.
    const m1 = tf.train.momentum(0.02, 0.9);
    p.step(m1);
    await restoreOptimizerState(m1, art!, { variables: p.vars });
    expect(m1.iterations).to.equal(4);
    [sgd, sgd2, m1].forEach((o) => o.dispose());
    p.dispose();
    expect(tf.memory().numTensors).to.equal(before + 4 * tfjsLeak); // 4 momentum optimizers were made
    expect(tfjsLeak).to.be.at.most(1);
  });

  it('rejects mismatched classes and shapes, and truncated, corrupt or malformed files, with coded errors', async () => {
    const start = tf.memory().numTensors;
    const p = new Problem();
    const adam = tf.train.adam(0.05);
    p.step(adam);
    const path = join(dir, 'bad', 'ckpt');
    const files = await saveOptimizerState(adam, path);
    const art = await serializeOptimizerState(adam);

    const sgd = tf.train.sgd(0.1);
    await rejects(restoreOptimizerState(sgd, art), ErrorCodes.WEIGHTS_MISMATCH, /state is of a Adam optimizer but this optimizer is SGD/);
    const other = tf.tidy(() => [tf.variable(tf.zeros([4, 2])), tf.variable(tf.zeros([2]))]);
    const fresh = tf.train.adam(0.05);
    await rejects(restoreOptimizerState(fresh, art, { variables: other }), ErrorCodes.WEIGHTS_MISMATCH, /has shape \[3,2\] but variable 0 .* has shape \[4,2\]/);
    await rejects(restoreOptimizerState(fresh, art, { variables: [p.w] }), ErrorCodes.WEIGHTS_MISMATCH, /4 saved Adam slots do not fit 1 variables \(2 per variable\)/);
    // An optimizer already trained on other variables: the slots must line up.
    const trained = tf.train.adam(0.05);
    trained.minimize(() => tf.sum(tf.square(other[0]!)) as tf.Scalar, false, [other[0]!]);
    await rejects(restoreOptimizerState(trained, art), ErrorCodes.WEIGHTS_MISMATCH, /4 saved slots do not match the optimizer's 2/);
    expect(fresh.iterations).to.equal(0); // nothing changed by the failed restores

    const bin = readFileSync(files.weights);
    writeFileSync(files.weights, bin.subarray(0, bin.length - 4));
    await rejects(loadOptimizerState(fresh, path), ErrorCodes.CORRUPT_WEIGHTS, /has \d+ bytes but the spec expects \d+ \(truncated/);
    const flipped = Buffer.from(bin);
    flipped[7] = flipped[7]! ^ 0x40;
    writeFileSync(files.weights, flipped);
    await rejects(loadOptimizerState(fresh, path), ErrorCodes.CORRUPT_WEIGHTS, /CRC-32/);
    rmSync(files.weights);
    await rejects(loadOptimizerState(fresh, path), ErrorCodes.CORRUPT_WEIGHTS, /cannot read the weights file/);
    writeFileSync(files.weights, bin);
    const specText = readFileSync(files.spec, 'utf8');
    writeFileSync(files.spec, specText.slice(0, 40));
    await rejects(loadOptimizerState(fresh, path), ErrorCodes.INVALID_SPEC, /not valid JSON/);
    const spec = JSON.parse(specText);
    writeFileSync(files.spec, JSON.stringify({ ...spec, format: 'engram-model' }));
    await rejects(loadOptimizerState(fresh, path), ErrorCodes.INVALID_SPEC, /'format' must be 'engram-optimizer-state'/);
    const bent = structuredClone(spec);
    bent.weights.entries[1].shape = [3, 3];
    writeFileSync(files.spec, JSON.stringify(bent));
    await rejects(loadOptimizerState(fresh, path), ErrorCodes.INVALID_SPEC, /inconsistent/);
    const noIter = structuredClone(spec);
    noIter.weights.entries[0].name = 'steps';
    await rejects(restoreOptimizerState(fresh, { spec: noIter, weights: art.weights }), ErrorCodes.INVALID_SPEC, /'iter'/);
    writeFileSync(files.spec, specText);
    expect(await loadOptimizerState(fresh, path, { variables: p.vars })).to.equal(true);
    expect(fresh.iterations).to.equal(1);

    const missing = join(dir, 'nothing', 'ckpt');
    await rejects(loadOptimizerState(sgd, missing), ErrorCodes.INVALID_SPEC, /cannot read the optimizer state: ENOENT/);
    expect(await loadOptimizerState(sgd, missing, { optional: true })).to.equal(false);
    expect(existsSync(optimizerStatePaths(missing).spec)).to.equal(false);
    const adamax = tf.train.adamax(0.1);
    await rejects(serializeOptimizerState(adamax), ErrorCodes.INVALID_ARGUMENT, /Adamax cannot report its state/);
    adamax.dispose();
    [adam, sgd, fresh, trained].forEach((o) => o.dispose());
    tf.dispose(other);
    p.dispose();
    expect(tf.memory().numTensors).to.equal(start);
  });

  it('optimizerStatePaths accepts the checkpoint base, its model spec or the state spec', () => {
    for (const p of ['out/ckpt', 'out/ckpt.json', 'out/ckpt.optimizer.json']) {
      expect(optimizerStatePaths(p)).to.deep.equal({ spec: 'out/ckpt.optimizer.json', weights: 'out/ckpt.optimizer.bin' });
    }
  });
});
