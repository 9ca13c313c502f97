/**
 * CLI errors: a usage error (bad arguments, exit code 2) and the one-line
 * formatting of any error for stderr.
 */
/** A wrong command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  /** `command` names the subcommand whose --help to point at. */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes used by the CLI. */
export const ExitCode = {
  ok: 0,
  /** The command ran and failed (bad file, diverged run, ...). */
  failure: 1,
  /** The command line was wrong. */
  usage: 2,
} as const;

/**
 * One line for stderr: `engram <cmd>: error: <message>` (an EngramError's message
 * already starts with its code); the stack (and causes) only when `verbose`.
 */
export function formatError(err: unknown, verbose: boolean, command?: string): string {
  const prefix = command ? `engram ${command}: ` : 'engram: ';
  let message: string;
  if (err instanceof UsageError) {
    const name = err.command ?? command;
    const help = `see 'engram ${name ? `${name} ` : ''}--help'`;
    message = `${err.message} (${help})`;
  } else if (err instanceof Error) {
    message = err.message;
  } else {
    message = String(err);
  }
  // Exactly one line: a multi-line message is folded.
  let line = `${prefix}error: ${message.replace(/\s*\n\s*/g, ' ')}\n`;
  if (verbose && err instanceof Error) {
    line += `${err.stack ?? ''}\n`;
    let cause = (err as { cause?: unknown }).cause;
    while (cause instanceof Error) {
      line += `caused by: ${cause.stack ?? cause.message}\n`;
      cause = (cause as { cause?: unknown }).cause;
    }
  }
  return line;
}
