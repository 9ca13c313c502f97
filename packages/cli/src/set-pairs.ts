/**
 * `--set key=value` pairs for model-specific keys (a model's own run options,
 * training settings or config): each value is read by the type the schema
 * gives the key (number, boolean, list, object as JSON), and unknown keys are
 * left for the schema to reject with a suggestion.
 */
import { closestWord, toJsonSchema, type JsonSchema, type z } from '@engram/core';
import { UsageError } from './errors.js';

function read(command: string, key: string, text: string, s: JsonSchema | undefined): unknown {
  const type = s?.['type'] ?? (Array.isArray(s?.['anyOf']) ? 'any' : undefined);
  const fail = (expected: string): never => {
    throw new UsageError(`--set ${key}=${text}: ${key} must be ${expected}`, command);
  };
  if (type === 'number' || type === 'integer') {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v)) fail(type === 'integer' ? 'an integer' : 'a number');
    return v;
  }
  if (type === 'boolean') {
    if (text === 'true') return true;
    if (text === 'false') return false;
    return fail('true or false');
  }
  if (type === 'string' && !text.startsWith('"')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The pairs as an object, values read by the schema's types. */
export function readSetPairs(command: string, pairs: readonly string[], schema: z.ZodType): Record<string, unknown> {
  const json = toJsonSchema(schema);
  const props = (json['properties'] ?? {}) as Record<string, JsonSchema>;
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set needs key=value, got '${pair}'`, command);
    const key = pair.slice(0, eq);
    if (!(key in props)) {
      // Checked here, before the command prints anything: a typo is one usage line.
      const near = closestWord(key, Object.keys(props));
      const valid = Object.keys(props).join(', ') || 'none';
      throw new UsageError(`--set: unknown key '${key}'${near ? `; did you mean '${near}'?` : ''} (valid keys: ${valid})`, command);
    }
    out[key] = read(command, key, pair.slice(eq + 1), props[key]);
  }
  return out;
}

/** One help line per key a schema takes beyond `known` ('  update  cccp|descent  the update rule (default cccp)'). */
export function schemaKeysHelp(schema: z.ZodType, known: ReadonlySet<string>): string[] {
  const json = toJsonSchema(schema);
  const props = (json['properties'] ?? {}) as Record<string, JsonSchema>;
  return Object.entries(props)
    .filter(([k]) => !known.has(k))
    .map(([k, s]) => {
      const type = Array.isArray(s['enum']) ? (s['enum'] as unknown[]).join('|') : String(s['type'] ?? 'value');
      const dflt = s['default'] !== undefined ? ` (default ${JSON.stringify(s['default'])})` : '';
      return `  ${`${k}=${type}`.padEnd(30)} ${String(s['description'] ?? '')}${dflt}`;
    });
}
