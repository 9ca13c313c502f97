import type { JsonObject, JsonValue } from '@engram/core';

/** A config object as plain JSON (a deep copy; only JSON values are kept). */
export function json<T extends { readonly [key: string]: JsonValue | undefined }>(value: T): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}
