/** Writes the study's report (see studyReportFiles) under a folder. */
import { join } from 'node:path';
import { writeText } from '@engram/viz/node';
import { studyReportFiles } from '../../experiments/report.js';
import type { RunRecord } from '../../experiments/run-one.js';
import type { StudySettings } from '../../experiments/study-settings.js';
import type { StudySummary } from '../../experiments/summary.js';

/** Writes results.json, summary.md and the plots under `out`; returns the paths written. */
export function writeStudyReport(out: string, s: StudySettings, summary: StudySummary, records: readonly RunRecord[]): string[] {
  const written: string[] = [];
  for (const [name, text] of Object.entries(studyReportFiles(s, summary, records))) {
    const p = join(out, name);
    writeText(p, text);
    written.push(p);
  }
  return written;
}
