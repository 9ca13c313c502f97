/**
 * Small argument parsing on node:util parseArgs: strict options, typed number
 * conversion, and every mistake reported as a {@link UsageError}.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** Option declarations as node:util parseArgs takes them. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }>;

/** Parsed options and positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses `args` for `command`; unknown options and missing values throw a UsageError. `--help`/`-h` is always accepted. */
export function parseCommandArgs(command: string, args: readonly string[], options: OptionSpec, allowPositionals = true): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    // node's messages carry a long hint about '--'; keep the first sentence.
    const msg = (err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
    throw new UsageError(msg, command);
  }
}

/** A string option, or `fallback`. */
export function stringOpt(p: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : fallback;
}

/** A numeric option within [min, max] (integers when `integer`), or `fallback`. */
export function numberOpt(
  command: string,
  p: ParsedArgs,
  name: string,
  fallback: number,
  limits: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const raw = p.values[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  const kind = limits.integer ? 'an integer' : 'a number';
  const range =
    limits.min !== undefined && limits.max !== undefined
      ? ` in [${limits.min}, ${limits.max}]`
      : limits.min !== undefined
        ? ` >= ${limits.min}`
        : limits.max !== undefined
          ? ` <= ${limits.max}`
          : '';
  if (
    typeof raw !== 'string' ||
    raw.trim() === '' ||
    !Number.isFinite(v) ||
    (limits.integer && !Number.isInteger(v)) ||
    (limits.min !== undefined && v < limits.min) ||
    (limits.max !== undefined && v > limits.max)
  ) {
    throw new UsageError(`option --${name} must be ${kind}${range}, got '${String(raw)}'`, command);
  }
  return v;
}

/** A string option restricted to `choices`, or `fallback`. */
export function choiceOpt<T extends string>(command: string, p: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const v = p.values[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw new UsageError(`option --${name} must be one of ${choices.join(', ')}, got '${String(v)}'`, command);
  }
  return v as T;
}
