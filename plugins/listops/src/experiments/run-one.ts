/**
 * One run of the study: build a model of the given width, train it through
 * the task's phases (a stream of training events), then score it on every
 * operator the task uses, analyse its digit embeddings and ablate its
 * sub-layers. The record is what goes into results.jsonl.
 */
import type { TrainEvent } from '@engram/core';
import { concat, defer, finalize, map, Observable, of } from 'rxjs';
import type { ListOpsOperator } from '../listops/operators.js';
import { valueClasses } from '../listops/options.js';
import { ListOpsTransformer } from '../models/transformer.js';
import { ablate, type AblationResult } from './ablation.js';
import { analyseDigitEmbeddings, type EmbeddingAnalysis } from './embedding-analysis.js';
import type { StudySettings } from './study-settings.js';
import type { StudyData } from './task-data.js';
import { taskDefinition, taskOperators } from './tasks.js';
import { trainPhase, type PhaseOutcome } from './train-phase.js';

/** What identifies a run (its key is this, with the study's data and optimisation settings). */
export interface RunConfig {
  readonly task: string;
  readonly width: number;
  readonly seed: number;
}

/** The record of a finished run. */
export interface RunRecord {
  readonly key: string;
  readonly task: string;
  readonly target: ListOpsOperator;
  readonly width: number;
  readonly layers: number;
  readonly heads: number;
  readonly ffn: number;
  readonly seed: number;
  readonly params: number;
  /** Test accuracy (greedy decoding) on the target operator. */
  readonly accuracy: number;
  /** Teacher-forced accuracy of the value slots on the target operator. */
  readonly stepAccuracy: number;
  /** Test accuracy on every operator the task uses. */
  readonly accuracies: Readonly<Record<string, number>>;
  readonly phases: readonly PhaseOutcome[];
  readonly embedding: EmbeddingAnalysis;
  /** The digit embeddings themselves (rows 0..9), so that other analyses can be run later. */
  readonly digitEmbeddings: readonly (readonly number[])[];
  readonly ablation: AblationResult;
  readonly elapsedMs: number;
}

/** The key of a run in results.jsonl: everything that changes its outcome. */
export function runKey(run: RunConfig, s: StudySettings): string {
  return JSON.stringify({
    task: run.task,
    width: run.width,
    seed: run.seed,
    layers: s.layers,
    heads: s.heads,
    ffn: s.ffn,
    format: s.format,
    generator: s.generator,
    sizes: s.sizes,
    phase: s.phase,
    // Phases that train the target operator stop on its own validation set.
    stopping: 'target-operator',
  });
}

/** A training event of a run's phase. */
export interface RunProgress {
  readonly type: 'epoch' | 'batch';
  readonly run: RunConfig;
  readonly phase: number;
  readonly event: TrainEvent;
}

/** A finished run. */
export interface RunDone {
  readonly type: 'run';
  readonly record: RunRecord;
}

/** The run as a cold stream: progress events, then the record. The model is freed on complete, error and cancel. */
export function runOne(run: RunConfig, s: StudySettings, data: StudyData): Observable<RunProgress | RunDone> {
  return defer(() => {
    const task = taskDefinition(run.task);
    const model = new ListOpsTransformer({ width: run.width, layers: s.layers, heads: s.heads, ffn: s.ffn, format: s.format, generator: s.generator, seed: run.seed });
    const outcomes: PhaseOutcome[] = [];
    const start = Date.now();
    const phases = task.phases.map((phase, i) =>
      defer(() => {
        const { train, val: mixVal } = data.phase(phase.ops);
        // A phase that trains the target operator stops on that operator's validation accuracy (joint training is
        // about learning SUM; the other operators' accuracy must not hold it back or stop it); other phases
        // (MAX+MED pretraining) on the whole mix.
        const val = phase.ops.includes(task.target) ? data.val(task.target) : mixVal;
        return trainPhase(model, train, val, { ...s.phase, seed: run.seed * 31 + i }).pipe(
          map((e): RunProgress => {
            if (e.outcome) outcomes.push(e.outcome);
            return { type: e.event.type, run, phase: i, event: e.event };
          }),
        );
      }),
    );
    const finish = defer(() => {
      const ops = taskOperators(task);
      const accuracies: Record<string, number> = {};
      let stepAccuracy = 0;
      for (const op of ops) {
        const scored = model.score(data.test(op));
        accuracies[op] = scored.accuracy;
        if (op === task.target) stepAccuracy = scored.stepAccuracy;
      }
      const test = data.test(task.target);
      const chance = 1 / valueClasses(s.generator);
      const record: RunRecord = {
        key: runKey(run, s),
        task: run.task,
        target: task.target,
        width: run.width,
        layers: s.layers,
        heads: s.heads,
        ffn: s.ffn,
        seed: run.seed,
        params: model.parameterCount,
        accuracy: accuracies[task.target]!,
        stepAccuracy,
        accuracies,
        phases: outcomes,
        embedding: analyseDigitEmbeddings(model.digitEmbeddings()),
        digitEmbeddings: model.digitEmbeddings().map((row) => row.map((v) => Number(v.toPrecision(5)))),
        ablation: ablate(model, test.slice(0, s.analysisSize), data.phase(task.phases[task.phases.length - 1]!.ops).val, chance),
        elapsedMs: Date.now() - start,
      };
      return of<RunDone>({ type: 'run', record });
    });
    return concat(...phases, finish).pipe(finalize(() => model.dispose()));
  });
}
