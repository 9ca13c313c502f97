/**
 * The study as a stream: every (seed, task, width) run not yet in
 * results.jsonl is trained in turn and appended there as it finishes, so a
 * killed sweep resumes where it stopped. Seeds go outermost, so a partial
 * sweep already covers every task and width.
 */
import { concat, concatMap, defer, from, Observable, of, tap } from 'rxjs';
import { existsSync, rmSync } from 'node:fs';
import { appendResult, readResults } from './results-store.js';
import { runKey, runOne, type RunConfig, type RunDone, type RunProgress, type RunRecord } from '../../experiments/run-one.js';
import type { StudySettings } from '../../experiments/study-settings.js';
import { StudyData } from '../../experiments/task-data.js';

/** The first event: how many runs the study has and how many are already done. */
export interface StudyStart {
  readonly type: 'start';
  readonly total: number;
  readonly done: number;
}

/** A run found in results.jsonl (not trained again). */
export interface RunSkipped {
  readonly type: 'skip';
  readonly record: RunRecord;
}

/** Any event of the study stream. */
export type StudyEvent = StudyStart | RunSkipped | RunProgress | RunDone;

/** Every run of the study, seeds outermost. */
export function studyRuns(s: StudySettings): RunConfig[] {
  return s.seeds.flatMap((seed) => s.tasks.flatMap((task) => s.widths.map((width) => ({ task, width, seed }))));
}

/** Options of {@link runStudy}. */
export interface RunStudyOptions {
  /** The JSONL file of finished runs. */
  resultsPath: string;
  /** Start from nothing (delete the file) instead of resuming. */
  fresh?: boolean;
}

/** The study as a cold stream of events; the records of all its runs are the 'run' and 'skip' events. */
export function runStudy(s: StudySettings, options: RunStudyOptions): Observable<StudyEvent> {
  return defer(() => {
    if (options.fresh && existsSync(options.resultsPath)) rmSync(options.resultsPath);
    const finished = readResults<RunRecord>(options.resultsPath);
    const runs = studyRuns(s);
    const dataBySeed = new Map<number, StudyData>();
    const dataFor = (seed: number): StudyData => {
      let d = dataBySeed.get(seed);
      if (!d) dataBySeed.set(seed, (d = new StudyData(s.generator, s.sizes, seed)));
      return d;
    };
    const done = runs.filter((r) => finished.has(runKey(r, s))).length;
    return concat(
      of<StudyStart>({ type: 'start', total: runs.length, done }),
      from(runs).pipe(
        concatMap((run): Observable<StudyEvent> => {
          const old = finished.get(runKey(run, s));
          if (old) return of<RunSkipped>({ type: 'skip', record: old });
          return runOne(run, s, dataFor(run.seed)).pipe(tap((e) => e.type === 'run' && appendResult(options.resultsPath, e.record)));
        }),
      ),
    );
  });
}
