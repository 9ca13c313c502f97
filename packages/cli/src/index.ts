/**
 * @engram/cli — the `engram` command (demo, run, train, serve, create, schema,
 * plugins and plugin commands) and the pieces it is made of, usable in-process.
 *
 * @packageDocumentation
 */
export { main, builtinCommands, type MainOptions } from './main.js';
export { type CliIO, type CapturedIO, nodeIo, captureIo } from './io.js';
export { UsageError, ExitCode, formatError } from './errors.js';
export { flagsOf, parseCommandLine, helpText, kebab, type Flag, type FlagKind, type ParsedCommandLine, type HelpSource } from './command-line/index.js';
export { readSetPairs } from './set-pairs.js';
export { BUILTIN_PLUGIN_PACKAGES, type LoadedEngram, loadEngram, pluginPackagesFromEnv } from './plugins.js';
export { type CliCommand, type CliContext, defineCliCommand } from './commands/types.js';
export { DEMO_MODELS, type DemoOptions, type DemoResult, runDemo, formatStep } from './commands/demo.js';
export {
  type CompletionTask,
  type CompletionTaskOptions,
  type CompletionScores,
  type DemoMemory,
  DEMO_MEMORIES,
  buildCompletionTask,
} from './demo/completion-task.js';
export { type CompletionReportInput, type CompletionReportFiles, writeCompletionReport } from './demo/report.js';
export { ProgressBar, formatDuration, eta } from './progress.js';
export { PausableScheduler } from './serve/pausable-scheduler.js';
export { RunManager } from './serve/run-manager.js';
export { type LiveServerOptions, type LiveServer, startLiveServer } from './serve/server.js';
export { playgroundDir } from './serve/playground-files.js';
export { cliVersion } from './version.js';
