/**
 * The one command-line parser of engram: node's own `util.parseArgs`
 * (strict: unknown flags and missing values are errors), configured from the
 * command's flags, then string values coerced by each flag's type and the
 * whole checked by the command's zod schema. Every mistake is a UsageError
 * that names the flag.
 */
import { parseArgs } from 'node:util';
import { EngramError, parseConfig, closestWord, type z } from '@engram/core';
import { UsageError } from '../errors.js';
import { kebab, type Flag } from './flags.js';

/** Flags every command accepts (handled by the CLI itself). */
export const GLOBAL_FLAGS = ['help', 'verbose', 'backend', 'plugin'] as const;

/** Parsed options (defaults filled in, validated) and positionals. */
export interface ParsedCommandLine<O> {
  options: O;
  positionals: string[];
  help: boolean;
}

function coerce(command: string, flag: Flag, raw: string | boolean | (string | boolean)[]): unknown {
  if (Array.isArray(raw)) {
    const items = raw.map((r) => coerce(command, { ...flag, kind: flag.kind === 'number-list' ? 'number-list' : 'string' }, r));
    return flag.kind === 'number-list' ? (items as number[][]).flat() : items;
  }
  const bad = (expected: string): never => {
    throw new UsageError(`option --${flag.name} must be ${expected}, got '${String(raw)}'`, command);
  };
  if (flag.kind === 'boolean') return raw;
  if (typeof raw !== 'string') return bad('given a value');
  const num = (s: string): number => {
    const v = Number(s);
    if (s.trim() === '' || !Number.isFinite(v)) bad(flag.kind === 'integer' ? 'an integer' : 'a number');
    return v;
  };
  switch (flag.kind) {
    case 'integer':
    case 'number':
      return num(raw);
    case 'number-list':
      return raw.split(',').map((s) => num(s));
    default:
      return raw;
  }
}

/**
 * Parses `argv` (the words after the command name) for a command with these
 * flags and schema. `--help`/`-h` is always accepted (returned as `help`).
 */
export function parseCommandLine<S extends z.ZodObject>(command: string, argv: readonly string[], flags: readonly Flag[], schema: S, maxPositionals = Infinity): ParsedCommandLine<z.output<S>> {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { help: { type: 'boolean', short: 'h' } };
  for (const f of flags) {
    // Lists are repeatable (--set a=1 --set b=2); number lists also take commas (--ks 2,8,32).
    config[f.name] = { type: f.kind === 'boolean' ? 'boolean' : 'string', ...(f.kind.endsWith('-list') ? { multiple: true } : {}) };
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: [...argv], options: config, allowPositionals: true, strict: true, allowNegative: true });
    values = parsed.values as Record<string, string | boolean | (string | boolean)[] | undefined>;
    positionals = parsed.positionals;
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
    const unknown = /Unknown option '--?([^']+)'/.exec(msg)?.[1];
    const near = unknown ? closestWord(unknown, flags.map((f) => f.name)) : undefined;
    throw new UsageError(near ? `${msg}; did you mean --${near}?` : msg, command);
  }
  const help = values['help'] === true;
  if (help) return { options: {} as z.output<S>, positionals, help };
  if (positionals.length > maxPositionals) {
    throw new UsageError(`expected at most ${maxPositionals} argument(s), got ${positionals.length}: ${positionals.join(' ')}`, command);
  }
  const raw: Record<string, unknown> = {};
  for (const f of flags) {
    const v = values[f.name];
    if (v !== undefined) raw[f.key] = coerce(command, f, v);
  }
  try {
    return { options: parseConfig(schema, raw, `engram ${command}`, 'options'), positionals, help };
  } catch (err) {
    if (err instanceof EngramError) {
      const key = String(err.details['key'] ?? '');
      const message = err.message
        .replace(/^ENGRAM_ERR_INVALID_CONFIG: /, '')
        .replace(/options key '([^']+)' of engram \S+/, (_m, k: string) => `option --${kebab(k)}`)
        .replace(/the options of engram \S+ needs '([^']+)'/, (_m, k: string) => `option --${kebab(k)} is required`);
      throw new UsageError(key ? message : message, command);
    }
    throw err;
  }
}
