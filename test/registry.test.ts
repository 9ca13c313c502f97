/**
 * The model protocol, enforced over the whole registry: every registered model
 * kind (the built-in plugins' and any added later) is created from its example
 * config, run to completion, saved and loaded, run from the CLI, run in the
 * live server's session, trained one epoch when it trains, and rejects bad
 * configs, bad run input and use after dispose with coded errors.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { ErrorCodes, initBackend, isEngramError, toJsonSchema, type DynamicsStep, type Engram, type JsonSchema, type Model, type State } from '@engram/core';
import { loadModel, saveModel } from '@engram/core/node';
import { captureIo, loadEngram, main, RunManager } from '@engram/cli';

type Json = Record<string, unknown>;

/** A path into the example config to a leaf of the given kind, with its schema. */
function findLeaf(value: unknown, schema: JsonSchema | undefined, want: (v: unknown, s: JsonSchema) => boolean, path: (string | number)[] = []): { path: (string | number)[]; schema: JsonSchema } | undefined {
  if (!schema) return undefined;
  const alt = (schema['anyOf'] as JsonSchema[] | undefined)?.find((a) => a['type'] !== 'null');
  const s = alt && !schema['type'] ? alt : schema;
  if (Array.isArray(value)) {
    const items = s['items'] as JsonSchema | undefined;
    for (let i = 0; i < value.length; i++) {
      const hit = findLeaf(value[i], items, want, [...path, i]);
      if (hit) return hit;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    const props = (s['properties'] ?? {}) as Record<string, JsonSchema>;
    for (const [k, v] of Object.entries(value)) {
      const hit = findLeaf(v, props[k], want, [...path, k]);
      if (hit) return hit;
    }
    return undefined;
  }
  return want(value, s) ? { path, schema: s } : undefined;
}

function setAt(obj: unknown, path: readonly (string | number)[], v: unknown): unknown {
  const copy = structuredClone(obj) as Json;
  let cur: Json = copy;
  for (const p of path.slice(0, -1)) cur = cur[p as string] as Json;
  cur[path.at(-1) as string] = v;
  return copy;
}

const errorOf = async (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

/** Runs a model from `initial` to its end; returns the steps and the final state (host copies). */
async function runToEnd(model: Model, initial: State): Promise<{ steps: DynamicsStep[]; final: Record<string, Float32Array> }> {
  let final: Record<string, Float32Array> = {};
  const steps = await lastValueFrom(
    model
      .run({
        initial,
        maxSteps: 3,
        onFinal: (s) => {
          final = Object.fromEntries(Object.entries(s).map(([k, t]) => [k, Float32Array.from(t.dataSync() as Float32Array)]));
          for (const t of Object.values(s)) t.dispose();
        },
      })
      .pipe(toArray()),
  );
  return { steps, final };
}

const maxAbsDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

describe('every registered model kind follows the model protocol', function () {
  this.timeout(600000);
  let engram: Engram;
  let tmp: string;

  before(async () => {
    await initBackend({ backend: 'wasm' });
    const loaded = await loadEngram();
    expect(loaded.warnings, loaded.warnings.join('\n')).to.deep.equal([]);
    engram = loaded.engram;
    tmp = mkdtempSync(join(tmpdir(), 'engram-registry-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the registry holds the built-in kinds', () => {
    expect(engram.ids('model')).to.include.members([
      'core/graph',
      'hopfield/classical',
      'hopfield/dense',
      'hopfield/modern',
      'hopfield/drdam',
      'hopfield/association',
      'hopfield/pooling',
      'hopfield/layer',
      'sequence/seqnet',
      'sequence/dense',
      'sequence/gpi',
      'sequence/mixed',
      'sequence/bipartite',
      'sdm/sdmlp',
      'energy-transformer/block',
      'energy-transformer/image',
      'energy-transformer/graph',
      'diffusion/score',
      'diffusion/exact',
    ]);
  });

  // The kinds are only known once the plugins are loaded: one test per kind, generated in a hook.
  it('each kind: example -> run -> save/load -> engram run -> live session -> train -> bad input -> dispose', async () => {
    const kinds = engram.ids('model');
    const failures: string[] = [];
    for (const kind of kinds) {
      try {
        await checkKind(kind);
      } catch (err) {
        failures.push(`${kind}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  async function checkKind(kind: string): Promise<void> {
    const before = tf.memory().numTensors;
    const contribution = engram.get('model', kind);
    const model = await engram.createModel(kind, contribution.example);
    expect(model.kind).to.equal(kind);
    expect(model.layers.length, 'layers').to.be.greaterThan(0);

    // run to completion from a generated state
    const initial = model.initialState(2, { seed: 1 });
    const first = await runToEnd(model, initial);
    expect(first.steps.length, 'steps').to.be.greaterThan(0);
    expect(first.steps.at(-1)!.done, 'last step done').to.equal(true);

    // save, load, same config, same weights, same run
    const path = join(tmp, kind.replace('/', '-'), 'model.json');
    await saveModel(model, path, { engram });
    const back = await loadModel(engram, path);
    expect(back.kind).to.equal(kind);
    expect(back.getConfig()).to.deep.equal(model.getConfig());
    const va = model.variables();
    const vb = back.variables();
    expect(Object.keys(vb)).to.deep.equal(Object.keys(va));
    for (const k of Object.keys(va)) expect(maxAbsDiff(va[k]!.dataSync() as Float32Array, vb[k]!.dataSync() as Float32Array), `weight ${k}`).to.equal(0);
    const again = await runToEnd(back, initial);
    for (const [k, x] of Object.entries(first.final)) {
      expect(again.final[k], `final ${k}`).to.not.equal(undefined);
      expect(maxAbsDiff(x, again.final[k]!), `final ${k} after reload`).to.be.lessThan(1e-5);
    }
    back.dispose();

    // from the CLI
    const io = captureIo();
    const code = await main(['run', path, '--steps', '3', '--json'], io);
    expect(code, `engram run: ${io.err}`).to.equal(0);
    const lines = io.out.trim().split('\n').map((l) => JSON.parse(l) as { step: number; done: boolean });
    expect(lines.at(-1)!.done, 'engram run ended').to.equal(true);

    // through the live server's run manager (what engram serve runs for the playground)
    const manager = new RunManager(engram);
    const id = await manager.start({ kind, config: contribution.example as Record<string, unknown>, data: { source: 'none' }, cue: { store: false, cue: 'clean', noise: 0 }, batch: 2, seed: 1, maxSteps: 3, extra: {} });
    const live = await new Promise<{ status: string; steps: number; message?: string }>((resolve) => {
      let steps = 0;
      manager.follow(id, (e) => {
        if (e.type === 'step') steps++;
        if (e.type === 'status' && e.status !== 'running') resolve({ status: e.status, steps, ...(e.message ? { message: e.message } : {}) });
      });
    });
    expect(live.status, `live run: ${live.message ?? ''}`).to.equal('done');
    expect(live.steps, 'live steps').to.be.greaterThan(0);

    // one training epoch on the default data subset
    if (model.training) {
      const tio = captureIo();
      const out = join(tmp, `${kind.replace('/', '-')}-trained`, 'model.json');
      const t = await main(['train', path, '--epochs', '1', '--limit', '16', '--batch-size', '8', '--save', out], tio);
      expect(t, `engram train: ${tio.err}`).to.equal(0);
      expect(tio.out).to.match(/final loss \d/);
    }

    // bad configs: a typo, a wrong type, an out-of-range value — each coded, naming the key and the kind
    const schema = toJsonSchema(contribution.schema);
    const example = contribution.example as Json;
    const firstKey = Object.keys(example)[0];
    if (firstKey && firstKey.length > 2) {
      const typo = `${firstKey.slice(0, -1)}${firstKey.at(-1) === 'x' ? 'y' : 'x'}${firstKey.at(-1)}`;
      const rest = Object.fromEntries(Object.entries(example).filter(([k]) => k !== firstKey));
      const e = await errorOf(engram.createModel(kind, { ...rest, [typo]: example[firstKey] }));
      expect(isEngramError(e, ErrorCodes.INVALID_CONFIG), `typo: ${String(e)}`).to.equal(true);
      expect(String(e)).to.contain(kind).and.to.contain(typo);
    }
    const typed = findLeaf(example, schema, (v) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean');
    expect(typed, 'a leaf to break').to.not.equal(undefined);
    const wrongType = setAt(example, typed!.path, typeof (typed && findValue(example, typed.path)) === 'number' ? 'not a number' : 12345);
    const e2 = await errorOf(engram.createModel(kind, wrongType as Json));
    expect(isEngramError(e2, ErrorCodes.INVALID_CONFIG), `wrong type at ${typed!.path.join('.')}: ${String(e2)}`).to.equal(true);
    expect(String(e2)).to.contain(kind).and.to.contain(String(typed!.path.at(-1)));
    const bounded = findLeaf(example, schema, (v, s) => typeof v === 'number' && (typeof s['minimum'] === 'number' || typeof s['exclusiveMinimum'] === 'number'));
    if (bounded) {
      const min = (bounded.schema['minimum'] ?? bounded.schema['exclusiveMinimum']) as number;
      const e3 = await errorOf(engram.createModel(kind, setAt(example, bounded.path, min - 1) as Json));
      expect(isEngramError(e3, ErrorCodes.INVALID_CONFIG), `out of range at ${bounded.path.join('.')}: ${String(e3)}`).to.equal(true);
      expect(String(e3)).to.contain(kind);
    }

    // bad run input is an error notification (subscribed with `error` only), never a throw
    const nan: State = Object.fromEntries(Object.entries(initial).map(([k, t]) => [k, tf.fill(t.shape, NaN)]));
    for (const [what, options] of [
      ['garbage initial', { initial: 'not a tensor' }],
      ['NaN initial', { initial: nan }],
      ['typo in run options', { initial, maxStep: 3 }],
      ['negative dt', { initial, dt: -1 }],
    ] as const) {
      const err = await new Promise<unknown>((resolve) => {
        model.run(options as never).subscribe({ error: resolve, complete: () => resolve(undefined) });
      });
      expect(isEngramError(err), `${what}: ${String(err)}`).to.equal(true);
    }
    for (const t of Object.values(nan)) t.dispose();

    // use after dispose
    model.dispose();
    expect(model.isDisposed).to.equal(true);
    const gone = await errorOf(firstValueFrom(model.run({ initial })));
    expect(isEngramError(gone, ErrorCodes.DISPOSED), `run after dispose: ${String(gone)}`).to.equal(true);
    let thrown: unknown;
    try {
      model.initialState(1);
    } catch (err) {
      thrown = err;
    }
    expect(isEngramError(thrown, ErrorCodes.DISPOSED), `initialState after dispose: ${String(thrown)}`).to.equal(true);
    for (const t of Object.values(initial)) t.dispose();
    expect(tf.memory().numTensors, 'tensors after the whole check').to.be.at.most(before);
  }
});

function findValue(obj: unknown, path: readonly (string | number)[]): unknown {
  let cur = obj as Json;
  for (const p of path) cur = cur[p as string] as Json;
  return cur;
}
