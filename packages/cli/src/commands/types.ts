import type { Engram } from '@engram/core';
import type { CliIO } from '../io.js';

/** Shared state of one CLI invocation. */
export interface CliContext {
  /** Print stacks with errors. */
  verbose: boolean;
  /** The Engram with the built-in plugins, loaded on first use (warnings go to stderr once). */
  engram(): Promise<Engram>;
}

/** A built-in subcommand. */
export interface CliCommand {
  readonly name: string;
  /** One line for `engram --help`. */
  readonly description: string;
  /** Full usage text for `engram <name> --help`. */
  readonly usage: string;
  /** Runs it; resolves to the exit code. Throws UsageError / EngramError for one-line errors. */
  run(args: readonly string[], io: CliIO, ctx: CliContext): Promise<number>;
}
