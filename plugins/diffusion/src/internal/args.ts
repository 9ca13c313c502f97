/** A tiny `--flag value` parser for the plugin's commands (throws INVALID_ARGUMENT on bad input). */
import { errors } from '@engram/core';

/** Parsed flags: name (without --) to raw string value. */
export function parseFlags(args: readonly string[], known: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw errors.invalidArgument('arguments', `flags of the form --name value (known: ${known.join(', ')})`, a);
    const name = a.slice(2);
    if (!known.includes(name)) throw errors.invalidArgument(a, `one of --${known.join(', --')}`, a);
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw errors.invalidArgument(a, 'a value', v);
    out.set(name, v);
    i++;
  }
  return out;
}

/** A number flag or undefined. */
export function numFlag(flags: Map<string, string>, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw errors.invalidArgument(`--${name}`, 'a number', v);
  return n;
}

/** A comma-separated list of numbers or undefined. */
export function listFlag(flags: Map<string, string>, name: string): number[] | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const parts = v.split(',').map((s) => Number(s));
  if (parts.some((n, i) => !Number.isFinite(n) || v.split(',')[i]!.trim() === '')) throw errors.invalidArgument(`--${name}`, 'a comma-separated list of numbers', v);
  return parts;
}
