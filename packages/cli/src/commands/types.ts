import type { BackendName, CommandArgs, Engram, PositionalSpec, z } from '@engram/core';
import type { CliIO } from '../io.js';

/** Shared state of one CLI invocation. */
export interface CliContext {
  /** Print stacks with errors. */
  readonly verbose: boolean;
  /** The backend the CLI initialised before the command ran. */
  readonly backend: BackendName;
  /** The Engram with the built-in plugins, loaded on first use (warnings go to stderr once). */
  engram(): Promise<Engram>;
}

/**
 * A command of the `engram` CLI, built in or from a plugin: the same shape as
 * a plugin's command contribution (options as a zod object, parsed by the one
 * CLI parser), with the CLI context instead of a bare Engram.
 */
export interface CliCommand<S extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  /** One line for `engram --help`. */
  readonly description: string;
  readonly options: S;
  readonly positionals: readonly PositionalSpec[];
  /** Text after the options in `--help`. */
  readonly details?: string;
  /** Where it comes from, for help ('plugin sequence'); built-ins leave it out. */
  readonly origin?: string;
  /** More help for these positionals (e.g. the keys a given model spec accepts), shown by `--help`. */
  moreHelp?(positionals: readonly string[], io: CliIO, ctx: CliContext): Promise<string | undefined>;
  /** Runs it; resolves to the exit code. Throws UsageError / EngramError for one-line errors. */
  run(args: CommandArgs<z.output<S>>, io: CliIO, ctx: CliContext): Promise<number>;
}

/** Identity function that type-checks a built-in command (its options type flows into `run`). */
export function defineCliCommand<S extends z.ZodObject>(command: CliCommand<S>): CliCommand<S> {
  return command;
}
