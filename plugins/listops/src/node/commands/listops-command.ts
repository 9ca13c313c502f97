/**
 * `engram listops`: the study of Both et al. (arXiv 2505.18369) at small
 * scale. Sweeps task mix x width x seed, appends every finished run to
 * out/results.jsonl (a killed sweep resumes), then writes the tables, JSON
 * and plots and prints the tables.
 */
import { resolve } from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import type { CommandDefinitionEntry } from '@engram/core';
import { readResults } from '../experiments/results-store.js';
import { runKey, type RunRecord } from '../../experiments/run-one.js';
import { runStudy, studyRuns } from '../experiments/study.js';
import { resolveStudySettings, studyOptionsSchema } from '../../experiments/study-settings.js';
import { summarize } from '../../experiments/summary.js';
import { summaryMarkdown } from '../../experiments/report.js';
import { writeStudyReport } from '../experiments/report-files.js';

/** The command's definition. */
export const listOpsCommand: CommandDefinitionEntry<typeof studyOptionsSchema> = {
  description: 'task difficulty and the minimum size of small transformers on ListOps (Both et al. 2025): thresholds per operator, joint training, pretraining, embeddings, ablations',
  options: studyOptionsSchema,
  details: [
    'Examples:',
    '  engram listops --quick                      # every task at widths 4 and 8, one seed, under a minute',
    '  nice -n 10 engram listops                   # the full study (see the plugin README for its run time)',
    '  engram listops --tasks SUM --tasks SUM+MAX+MED --widths 8,12,16 --seeds 0',
    'Runs already in <out>/results.jsonl are not trained again (kill and restart at will); --fresh starts over.',
  ].join('\n'),
  async run({ options }, io) {
    const settings = resolveStudySettings(options);
    const out = resolve(io.cwd, options.out);
    const resultsPath = resolve(out, 'results.jsonl');
    const started = Date.now();
    let finishedRuns = 0;
    let total = 0;
    await lastValueFrom(
      runStudy(settings, { resultsPath, fresh: options.fresh }).pipe(
        tap((e) => {
          if (e.type === 'start') {
            total = e.total;
            finishedRuns = e.done;
            io.stderr(`listops: ${e.total} runs, ${e.done} already in ${resultsPath}\n`);
          } else if (e.type === 'epoch' && io.isTTY) {
            io.stderr(`\r  ${e.run.task} d=${e.run.width} seed ${e.run.seed} phase ${e.phase + 1} epoch ${e.event.epoch + 1}/${e.event.epochs} loss ${e.event.loss.toFixed(3)} val ${(e.event.metrics?.valAccuracy ?? 0).toFixed(3)}   `);
          } else if (e.type === 'run') {
            finishedRuns++;
            const r = e.record;
            io.stderr(`${io.isTTY ? '\r' : ''}[${finishedRuns}/${total}] ${r.task} d=${r.width} (${r.params} params) seed ${r.seed}: test ${r.accuracy.toFixed(3)} in ${(r.elapsedMs / 1000).toFixed(0)} s (${r.phases.map((p) => `${p.epochs} ep, ${p.stoppedBy}`).join('; ')})\n`);
          }
        }),
      ),
      { defaultValue: undefined },
    );
    const all = readResults<RunRecord>(resultsPath);
    const records = studyRuns(settings)
      .map((r) => all.get(runKey(r, settings)))
      .filter((r): r is RunRecord => r !== undefined);
    const summary = summarize(records, settings);
    const files = writeStudyReport(out, settings, summary, records);
    io.stdout(`${summaryMarkdown(summary, settings)}\n`);
    io.stdout(`\nwall time ${((Date.now() - started) / 60000).toFixed(1)} min; wrote ${files.length} files under ${out}\n`);
    return 0;
  },
};
