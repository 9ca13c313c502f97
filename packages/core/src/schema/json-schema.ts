import { z } from 'zod';

/** A JSON Schema document (draft 2020-12), as produced from a zod schema. */
export type JsonSchema = Record<string, unknown>;

const cache = new WeakMap<object, { input: JsonSchema; output: JsonSchema }>();

/**
 * The JSON Schema of a zod schema. `io: 'input'` (default) describes what may be
 * written (keys with defaults are optional); `'output'` what a model's
 * `getConfig()` returns. Values JSON cannot describe (tensors) become `{}`.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  let entry = cache.get(schema);
  if (!entry) {
    entry = {
      input: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
      output: z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema,
    };
    cache.set(schema, entry);
  }
  return entry[io];
}
