/**
 * Command-line flags read from a command's options schema (zod -> JSON Schema):
 * each key becomes a kebab-case flag with the type, default, range and
 * description the schema gives, so that every command — built-in or from a
 * plugin — is parsed, validated and documented the same way.
 */
import { toJsonSchema, type JsonSchema, type z } from '@engram/core';

/** What a flag takes. */
export type FlagKind = 'boolean' | 'integer' | 'number' | 'string' | 'enum' | 'number-list' | 'string-list';

/** One flag of a command. */
export interface Flag {
  /** The option key in the schema ('batchSize'). */
  readonly key: string;
  /** The flag without dashes ('batch-size'). */
  readonly name: string;
  readonly kind: FlagKind;
  readonly description: string;
  readonly default?: unknown;
  /** Allowed values of an enum flag. */
  readonly choices?: readonly string[];
  readonly required: boolean;
}

/** camelCase -> kebab-case ('batchSize' -> 'batch-size'). */
export const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function kindOf(s: JsonSchema): { kind: FlagKind; choices?: string[] } {
  const alternatives = (s['anyOf'] ?? s['oneOf']) as JsonSchema[] | undefined;
  if (alternatives) {
    // e.g. number | number[]: take the list form, which accepts a single value too.
    const list = alternatives.find((a) => a['type'] === 'array');
    return kindOf(list ?? alternatives[0]!);
  }
  if (Array.isArray(s['enum'])) return { kind: 'enum', choices: (s['enum'] as unknown[]).map(String) };
  switch (s['type']) {
    case 'boolean':
      return { kind: 'boolean' };
    case 'integer':
      return { kind: 'integer' };
    case 'number':
      return { kind: 'number' };
    case 'array': {
      const items = (s['items'] ?? {}) as JsonSchema;
      return { kind: items['type'] === 'number' || items['type'] === 'integer' ? 'number-list' : 'string-list' };
    }
    default:
      return { kind: 'string' };
  }
}

function rangeText(s: JsonSchema): string {
  const parts: string[] = [];
  // zod's int() brings the safe-integer bounds: not limits worth showing.
  if (typeof s['minimum'] === 'number' && s['minimum'] > Number.MIN_SAFE_INTEGER) parts.push(`>= ${s['minimum']}`);
  if (typeof s['exclusiveMinimum'] === 'number') parts.push(`> ${s['exclusiveMinimum']}`);
  if (typeof s['maximum'] === 'number' && s['maximum'] < Number.MAX_SAFE_INTEGER) parts.push(`<= ${s['maximum']}`);
  if (typeof s['exclusiveMaximum'] === 'number') parts.push(`< ${s['exclusiveMaximum']}`);
  return parts.join(', ');
}

/** The flags of an options schema, in key order. */
export function flagsOf(schema: z.ZodObject): Flag[] {
  const json = toJsonSchema(schema);
  const props = (json['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json['required'] as string[] | undefined) ?? []);
  return Object.entries(props).map(([key, s]) => {
    const { kind, choices } = kindOf(s);
    const range = rangeText(s);
    const description = [s['description'] as string | undefined, range ? `(${range})` : ''].filter(Boolean).join(' ');
    const flag: Flag = {
      key,
      name: kebab(key),
      kind,
      description,
      required: required.has(key),
      ...(s['default'] !== undefined ? { default: s['default'] } : {}),
      ...(choices ? { choices } : {}),
    };
    return flag;
  });
}

/** The value placeholder shown in help ('N', 'X', 'a|b'). */
export function placeholder(flag: Flag): string {
  switch (flag.kind) {
    case 'boolean':
      return '';
    case 'integer':
      return 'N';
    case 'number':
      return 'X';
    case 'enum':
      return flag.choices!.join('|');
    case 'number-list':
      return 'X,Y,...';
    case 'string-list':
      return 'S (repeatable)';
    default:
      return 'S';
  }
}
