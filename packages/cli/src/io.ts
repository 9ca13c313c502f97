/**
 * Where the CLI writes. Commands never touch process.stdout directly, so the
 * whole CLI runs in-process (tests, embedding) with a captured IO.
 */
import type { CommandIO } from '@engram/core';

/** The CLI's IO: the core's {@link CommandIO} (stdout, stderr, isTTY, cwd) plus the terminal width. */
export interface CliIO extends CommandIO {
  /** Terminal width in columns when stdout is a terminal (progress bars); undefined otherwise. */
  readonly columns?: number;
}

/** IO bound to the current process (the `engram` binary). */
export function nodeIo(): CliIO {
  const cols = process.stdout.columns;
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    cwd: process.cwd(),
    ...(typeof cols === 'number' ? { columns: cols } : {}),
  };
}

/** An IO that records everything written, for tests and embedding. */
export interface CapturedIO extends CliIO {
  /** Everything written to stdout so far. */
  readonly out: string;
  /** Everything written to stderr so far. */
  readonly err: string;
}

/** Makes a {@link CapturedIO}; `isTTY` defaults to false (plain lines), `cwd` to process.cwd(). */
export function captureIo(options: { isTTY?: boolean; cwd?: string; columns?: number } = {}): CapturedIO {
  let out = '';
  let err = '';
  return {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    isTTY: options.isTTY ?? false,
    cwd: options.cwd ?? process.cwd(),
    ...(options.columns !== undefined ? { columns: options.columns } : {}),
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}
