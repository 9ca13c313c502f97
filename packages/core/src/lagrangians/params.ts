/**
 * Validation of Lagrangian hyper-parameters. Factories and the registry map share
 * these so that a bad value fails the same way from code and from a JSON spec.
 */
import { invalidArgument } from '../errors/factories.js';
import type { JsonObject, JsonValue } from '../numerics/tensor-input.js';

/** Throws when `params` holds a key outside `allowed` (catches typos such as `{ betta: 2 }`). */
export function checkKeys(kind: string, params: object, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key) && (params as Record<string, unknown>)[key] !== undefined) {
      throw invalidArgument(`${kind} parameter '${key}'`, `one of: ${allowed.join(', ') || '(no parameters)'}`, key);
    }
  }
}

/** A finite number > 0 (or >= 0 when `allowZero`); `fallback` when undefined. */
export function positive(kind: string, name: string, value: unknown, fallback: number, allowZero = false): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw invalidArgument(`${kind} ${name}`, `a finite number ${allowZero ? '>= 0' : '> 0'}`, v);
  }
  return v;
}

/** An integer >= `min`; `fallback` when undefined. */
export function integer(kind: string, name: string, value: unknown, fallback: number, min: number): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw invalidArgument(`${kind} ${name}`, `an integer >= ${min}`, v);
  }
  return v;
}

/** A finite number or an array of finite numbers; `fallback` when undefined. */
export function numberOrVector(kind: string, name: string, value: unknown, fallback: number): number | number[] {
  const v = value === undefined ? fallback : value;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'number' && Number.isFinite(e))) return [...(v as number[])];
  throw invalidArgument(`${kind} ${name}`, 'a finite number or a non-empty array of finite numbers', v);
}

/** A boolean; `fallback` when undefined. */
export function boolean(kind: string, name: string, value: unknown, fallback: boolean): boolean {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'boolean') throw invalidArgument(`${kind} ${name}`, 'true or false', v);
  return v;
}

/** Copies the defined entries of an options object into JSON params. */
export function toParams(values: Record<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
  return out;
}
