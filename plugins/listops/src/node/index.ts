/**
 * @engram/listops/node — everything in `@engram/listops`, plus the parts that
 * need Node: the study with its resumable results file (`runStudy`), the
 * report written to a folder, the `listops` command, and the plugin of the
 * same name that registers that command too (its default export; the CLI
 * loads it).
 *
 * @packageDocumentation
 */
export * from '../index.js';
export { readResults, appendResult } from './experiments/results-store.js';
export { runStudy, studyRuns, type StudyEvent, type StudyStart, type RunSkipped, type RunStudyOptions } from './experiments/study.js';
export { writeStudyReport } from './experiments/report-files.js';
export { listOpsCommand } from './commands/listops-command.js';
export { listOpsPlugin, listOpsPlugin as default } from './plugin.js';
