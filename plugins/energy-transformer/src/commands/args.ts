/** Minimal `--key value` / `--flag` argument parsing for the ET commands. */
import { errors } from '@engram/core';

/** Parsed arguments: values by key (without dashes); flags are 'true'. */
export type ParsedArgs = Map<string, string>;

/** Parses `--key value`, `--key=value` and bare `--flag`; rejects keys not in `known`. */
export function parseArgs(args: readonly string[], known: readonly string[]): ParsedArgs {
  const out: ParsedArgs = new Map();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw errors.invalidArgument('argument', `an option such as --${known[0]} (known: ${known.map((k) => `--${k}`).join(' ')})`, a);
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (!known.includes(key)) throw errors.invalidArgument('option', `one of ${known.map((k) => `--${k}`).join(' ')}`, `--${key}`);
    if (eq > 0) out.set(key, a.slice(eq + 1));
    else if (i + 1 < args.length && !args[i + 1]!.startsWith('--')) out.set(key, args[++i]!);
    else out.set(key, 'true');
  }
  return out;
}

/** A numeric option with a default; integers when `integer`. */
export function numArg(args: ParsedArgs, key: string, dflt: number, integer = false): number {
  const v = args.get(key);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) throw errors.invalidArgument(`--${key}`, integer ? 'an integer' : 'a number', v);
  return n;
}

/** A text progress bar: `label [#####.....] 12/40 loss 0.0312`. */
export function progressLine(label: string, done: number, total: number | null, extra: string): string {
  if (!total) return `${label} ${done} ${extra}`;
  const width = 24;
  const filled = Math.round((width * Math.min(done, total)) / total);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${extra}`;
}
