/**
 * Validation of configs and options against their schemas (zod), with one
 * coded error that names the kind, the key, what was expected and what was
 * given, and suggests the nearest valid key for a typo.
 */
import { z } from 'zod';
import { EngramError, ErrorCodes } from '../errors/index.js';
import { closestWord } from './suggest.js';
import { toJsonSchema, type JsonSchema } from './json-schema.js';

/** Any zod schema. */
export type Schema<T = unknown> = z.ZodType<T>;

const shown = (v: unknown): string => {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v === undefined) return 'nothing';
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return String(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(v);
  }
};

const article = (word: string): string => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** The object keys a schema accepts at `path` (for suggestions), read from its JSON Schema. */
function keysAt(schema: JsonSchema, path: readonly PropertyKey[]): string[] {
  let s: JsonSchema | undefined = schema;
  for (const p of path) {
    if (!s) return [];
    if (typeof p === 'number') s = (s['items'] as JsonSchema | undefined) ?? undefined;
    else s = (s['properties'] as Record<string, JsonSchema> | undefined)?.[String(p)];
    const alt = s?.['anyOf'] as JsonSchema[] | undefined;
    if (alt) s = alt.find((a) => a['properties']);
  }
  return Object.keys((s?.['properties'] as Record<string, unknown> | undefined) ?? {});
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'an integer' : article(issue.expected);
    case 'too_small': {
      const op = issue.inclusive ? '>=' : '>';
      if (issue.origin === 'array') return `a list of ${op} ${issue.minimum} items`;
      if (issue.origin === 'string') return `a string of ${op} ${issue.minimum} characters`;
      return `a number ${op} ${issue.minimum}`;
    }
    case 'too_big': {
      const op = issue.inclusive ? '<=' : '<';
      if (issue.origin === 'array') return `a list of ${op} ${issue.maximum} items`;
      if (issue.origin === 'string') return `a string of ${op} ${issue.maximum} characters`;
      return `a number ${op} ${issue.maximum}`;
    }
    case 'invalid_value':
      return `one of ${issue.values.map((v) => shown(v)).join(', ')}`;
    case 'invalid_union': {
      const parts = issue.errors.map((branch) => (branch[0] ? expectation(branch[0]) : 'something else'));
      return [...new Set(parts)].join(' or ');
    }
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'custom':
      return issue.message.replace(/^expected /, '');
    default:
      return issue.message;
  }
}

const pathText = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');

/**
 * Checks `value` against `schema` and returns the parsed value (defaults
 * filled in). On failure throws ENGRAM_ERR_INVALID_CONFIG for the most useful
 * problem: an unknown key first ("unknown key 'betta' in the config of
 * hopfield/modern; did you mean 'beta'?"), else the first wrong or missing value.
 *
 * @param owner - what the config belongs to, e.g. "hopfield/modern" or "run options of hopfield/modern"
 * @param what - the word for the object, e.g. "config" or "options"
 */
export function parseConfig<S extends z.ZodType>(schema: S, value: unknown, owner: string, what = 'config'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues;
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown && unknown.code === 'unrecognized_keys') {
    const key = unknown.keys[0]!;
    const known = keysAt(toJsonSchema(schema), unknown.path);
    const near = closestWord(key, known);
    const where = unknown.path.length ? `${what} key '${pathText(unknown.path)}'` : what;
    const hint = near ? `did you mean '${near}'?` : `valid keys: ${known.join(', ') || '(none)'}`;
    throw new EngramError(ErrorCodes.INVALID_CONFIG, `unknown key '${key}' in the ${where} of ${owner}; ${hint}`, {
      owner,
      key: unknown.path.length ? `${pathText(unknown.path)}.${key}` : key,
      known,
      suggestion: near,
    });
  }
  const first = issues[0]!;
  const key = pathText(first.path);
  const actual = valueAt(value, first.path);
  const expected = expectation(first);
  const message =
    actual === undefined && (first.code === 'invalid_type' || first.code === 'custom')
      ? `the ${what} of ${owner} needs '${key}' (${expected})`
      : key === ''
        ? `the ${what} of ${owner} must be ${expected}, got ${shown(actual)}`
        : `${what} key '${key}' of ${owner} must be ${expected}, got ${shown(actual)}`;
  throw new EngramError(ErrorCodes.INVALID_CONFIG, message, { owner, key, expected, actual });
}
