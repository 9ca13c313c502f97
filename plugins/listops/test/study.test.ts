import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, take, toArray, filter } from 'rxjs';
import { createEngram, ErrorCodes, initBackend, parseConfig } from '@engram/core';
import {
  analyseDigitEmbeddings,
  chanceScores,
  distinctExamples,
  listOpsCommand,
  listOpsPlugin,
  ListOpsTransformer,
  medianThreshold,
  resolveStudySettings,
  runStudy,
  seedThreshold,
  StudyData,
  summarize,
  taskDefinition,
  trainPhase,
  type RunRecord,
  type StudyEvent,
} from '../src/node/index.js';
import { expectCode, expectRejects } from './helpers.js';

describe('the ListOps study', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('finds thresholds from which on every larger model learns, and their median over seeds', () => {
    const pts = (accs: number[]) => accs.map((accuracy, i) => ({ params: 100 * 2 ** i, accuracy }));
    expect(seedThreshold(pts([0.1, 0.95, 0.5, 0.92, 0.99]), 0.9)).to.equal(800);
    expect(seedThreshold(pts([0.1, 0.2, 0.3]), 0.9)).to.equal(null);
    expect(seedThreshold(pts([0.91, 0.95]), 0.9)).to.equal(100);
    expect(medianThreshold([800, null, 400])).to.equal(800);
    expect(medianThreshold([null, null, 400])).to.equal(null);
    expect(medianThreshold([200, 400])).to.equal(300);
  });

  it('checks the paper\'s claims on the records: thresholds, joint ratio, pretraining, the similar-hard pair, embeddings', () => {
    const s = resolveStudySettings({ widths: [4, 8, 16], seeds: [0, 1, 2], tasks: ['MAX', 'MED', 'SUM', 'SUM+MAX+MED', 'MAX+MED->SUM', 'SUM+NADD'] });
    const params: Record<number, number> = { 4: 500, 8: 1500, 16: 4500 };
    // Accuracy by task at widths 4, 8, 16 (the same for every seed).
    const acc: Record<string, number[]> = { MAX: [0.95, 0.99, 1], MED: [0.5, 0.95, 0.99], SUM: [0.1, 0.1, 0.97], 'SUM+MAX+MED': [0.1, 0.93, 0.99], 'MAX+MED->SUM': [0.92, 0.96, 1], 'SUM+NADD': [0.1, 0.1, 0.95] };
    const records = Object.entries(acc).flatMap(([task, a]) =>
      s.widths.flatMap((width, i) =>
        s.seeds.map(
          (seed) =>
            ({
              task,
              width,
              seed,
              params: params[width]!,
              accuracy: a[i]!,
              accuracies: { [task === 'MAX' || task === 'MED' ? task : 'SUM']: a[i]!, ...(task === 'SUM+MAX+MED' ? { MAX: 1, MED: 0.5 } : {}) },
              target: task === 'MAX' || task === 'MED' ? task : 'SUM',
              embedding: { numberLine: task === 'SUM' ? 0.4 : 0.9, parity: task === 'SUM' ? 0.3 : 0.8, neighbours: 0.5 },
              ablation: { attentionReliance: task === 'SUM' ? 0.2 : 0.9, ffnReliance: task === 'SUM' ? 0.9 : 0.5, attentionNorm: 1, ffnNorm: 1 },
              elapsedMs: 1000,
            }) as unknown as RunRecord,
        ),
      ),
    );
    const summary = summarize(records, s);
    const thr = (task: string) => summary.tasks.find((t) => t.task === task)!.thresholds[0]!;
    expect(thr('SUM').perSeed).to.deep.equal([4500, 4500, 4500]);
    expect(thr('MED').median).to.equal(1500);
    expect(thr('MAX').median).to.equal(500);
    expect(summary.operators.find((o) => o.task === 'SUM+MAX+MED' && o.op === 'MED')!.means).to.deep.equal([0.5, 0.5, 0.5]);
    const found = Object.fromEntries(summary.findings.map((f) => [f.claim.split(' ').slice(0, 4).join(' '), f.reproduced]));
    expect(found).to.deep.equal({
      'SUM needs more parameters': true,
      'MED needs at least': true,
      'joint SUM+MAX+MED training learns': true,
      'after MAX+MED pretraining, a': true,
      'pairing SUM with the': true,
      'jointly trained models have': true,
      'jointly trained models separate': true,
      'SUM-only models rely more': true,
    });
  });

  it('scores a number line and parity in digit embeddings, and random embeddings near chance', () => {
    const line = Array.from({ length: 10 }, (_, d) => [d, 0.3 * (d % 2), 0, 0.01 * Math.sin(d)]);
    const a = analyseDigitEmbeddings(line);
    expect(a.numberLine).to.be.above(0.99);
    expect(a.parity).to.be.above(0.9);
    expect(a.neighbours).to.equal(1);
    expect(a.pcs).to.have.length(10);
    expect(a.explained[0]).to.be.above(0.9);
    const chance = chanceScores(16, 100);
    expect(chance.numberLine).to.be.within(0.2, 0.7);
    expect(chance.parity).to.be.within(0.2, 0.7);
    expect(chance.neighbours).to.be.within(0.05, 0.4);
  });

  it('builds each task from its name, and rejects bad names and settings with coded errors', () => {
    expect(taskDefinition('MAX+MED->SUM')).to.deep.include({ target: 'SUM' });
    expect(taskDefinition('MAX+MED->SUM').phases.map((p) => p.ops)).to.deep.equal([['MAX', 'MED'], ['SUM']]);
    expect(taskDefinition('SUM+MAX+MED').target).to.equal('SUM');
    expectCode(() => taskDefinition('SUM+ADD'), ErrorCodes.INVALID_ARGUMENT, /operator 'ADD'/);
    expectCode(() => taskDefinition('A->B->C'), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => resolveStudySettings({ tasks: ['SUM', 'MAX+MAX'] }), ErrorCodes.INVALID_ARGUMENT, /without repeated/);
    expectCode(() => resolveStudySettings({ widths: [6], heads: 4 }), ErrorCodes.INVALID_ARGUMENT, /multiple of heads/);
    expectCode(() => resolveStudySettings({ seeds: [] }), ErrorCodes.INVALID_ARGUMENT, /non-empty/);
    expect(resolveStudySettings({}).generator.chainOfThought).to.equal('running');
    expect(resolveStudySettings({ chainOfThought: 'lists' }).generator.chainOfThought).to.equal('lists');
    expectCode(() => parseConfig(listOpsCommand.options, { widht: [4] }, 'listops', 'options'), ErrorCodes.INVALID_CONFIG, /did you mean 'widths'/);
    expectCode(() => parseConfig(listOpsCommand.options, { criterion: 2 }, 'listops', 'options'), ErrorCodes.INVALID_CONFIG, /criterion/);
    const q = resolveStudySettings({ quick: true, widths: [6] });
    expect(q.widths).to.deep.equal([6]);
    expect(q.generator.maxDepth).to.equal(1);
  });

  it('shares one SUM test set among the tasks scored on SUM, disjoint from every training set', () => {
    const s = resolveStudySettings({ quick: true });
    const data = new StudyData(s.generator, s.sizes, 0);
    const sumTest = new Set(data.test('SUM').map((e) => e.text));
    const joint = data.phase(['SUM', 'MAX', 'MED']);
    expect(joint.train.length).to.equal(3 * s.sizes.train);
    for (const e of [...joint.train, ...joint.val, ...data.phase(['SUM']).train]) expect(sumTest.has(e.text)).to.equal(false);
    expect(new StudyData(s.generator, s.sizes, 0).test('SUM').map((e) => e.text)).to.deep.equal([...sumTest]);
    const node = new StudyData({ ...s.generator, mixing: 'node', maxDepth: 2 }, { ...s.sizes, share: 'total' }, 0);
    const mix = node.phase(['SUM', 'MAX']);
    expect(mix.train.length).to.equal(s.sizes.train);
    const held = new Set([...node.test('SUM'), ...node.test('MAX')].map((e) => e.text));
    for (const e of mix.train) expect(held.has(e.text)).to.equal(false);
  });

  it('trains as a stream that frees its tensors on complete, cancel and error, and stops early', async () => {
    const m = new ListOpsTransformer({ width: 8, generator: { ops: ['MAX'], maxDepth: 1, maxArgs: 3 } });
    const ex = distinctExamples(m.shape.generator, 160, 0);
    const settings = { batchSize: 32, lr: 1e-2, maxEpochs: 3, minEpochs: 0, target: 1, patience: 1, minDelta: 0.5, seed: 0 };
    const start = tf.memory().numTensors;
    const events = await lastValueFrom(trainPhase(m, ex.slice(0, 128), ex.slice(128), settings).pipe(toArray()));
    const last = events[events.length - 1]!;
    // minDelta 0.5 cannot be met: patience 1 stops after the second epoch.
    expect(last.outcome).to.deep.include({ epochs: 2, stoppedBy: 'plateau' });
    expect(events.filter((e) => e.event.type === 'batch').length).to.equal(8);
    expect(tf.memory().numTensors).to.equal(start);
    await firstValueFrom(trainPhase(m, ex.slice(0, 128), ex.slice(128), settings).pipe(take(2)));
    expect(tf.memory().numTensors).to.equal(start);
    await expectRejects(lastValueFrom(trainPhase(m, ex.slice(0, 128), ex.slice(128), { ...settings, lr: -1 })), ErrorCodes.INVALID_ARGUMENT, /lr must be/);
    await expectRejects(lastValueFrom(trainPhase(m, [], ex, settings)), ErrorCodes.INVALID_ARGUMENT, /at least one training/);
    expect(tf.memory().numTensors).to.equal(start);
    m.dispose();
  });

  it('resumes a killed sweep: finished runs are read back, a line cut short is run again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'listops-study-'));
    try {
      const path = join(dir, 'results.jsonl');
      const s = resolveStudySettings({ quick: true, tasks: ['MAX', 'SUM'], widths: [4], maxEpochs: 1 });
      const first = await lastValueFrom(runStudy(s, { resultsPath: path }).pipe(toArray()));
      expect(first.filter((e) => e.type === 'run').length).to.equal(2);
      expect(readFileSync(path, 'utf8').trim().split('\n')).to.have.length(2);
      appendFileSync(path, '{"key": "cut sho');
      const again: StudyEvent[] = await lastValueFrom(runStudy(s, { resultsPath: path }).pipe(toArray()));
      expect(again[0]).to.deep.include({ type: 'start', total: 2, done: 2 });
      expect(again.filter((e) => e.type === 'skip').length).to.equal(2);
      expect(again.some((e) => e.type === 'epoch')).to.equal(false);
      const rec = (again.find((e) => e.type === 'skip') as { record: RunRecord }).record;
      expect(rec.params).to.be.above(0);
      expect(rec.digitEmbeddings).to.have.length(10);
      // Stopping the stream mid-run leaves no half record behind.
      const fresh = join(dir, 'fresh.jsonl');
      await lastValueFrom(runStudy(s, { resultsPath: fresh }).pipe(filter((e) => e.type === 'epoch'), take(1)));
      expect(existsSync(fresh)).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the quick study as `engram listops --quick`: tables, JSON and plots', async () => {
    const engram = await createEngram({ plugins: [listOpsPlugin] });
    expect(engram.commands().map((c) => c.id)).to.include('listops/listops');
    expect(engram.ids('model')).to.include('listops/transformer');
    const dir = mkdtempSync(join(tmpdir(), 'listops-quick-'));
    let stdout = '';
    let stderr = '';
    try {
      const options = parseConfig(listOpsCommand.options, { quick: true, out: 'q' }, 'listops', 'options');
      const code = await listOpsCommand.run({ options, positionals: [] }, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, cwd: dir }, engram);
      expect(code).to.equal(0);
      expect(stderr).to.match(/\[14\/14\] SUM\+NADD d=8/);
      expect(stdout).to.match(/Learning thresholds/);
      expect(stdout).to.match(/\| MAX\+MED->SUM \|/);
      const files = readdirSync(join(dir, 'q'));
      expect(files).to.include.members(['results.jsonl', 'results.json', 'summary.md', 'report.html', 'accuracy-vs-params.svg', 'pca']);
      expect(readdirSync(join(dir, 'q', 'pca'))).to.have.length(14);
      const json = JSON.parse(readFileSync(join(dir, 'q', 'results.json'), 'utf8')) as { records: RunRecord[] };
      expect(json.records).to.have.length(14);
      for (const r of json.records) expect(r.accuracy).to.be.within(0, 1);
      expect(readFileSync(join(dir, 'q', 'pca', 'SUM_d4_s0.svg'), 'utf8')).to.match(/^<svg/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
