/**
 * Separation functions f of the sequence memories: f(x) = x^d (d = 1 is
 * SeqNet) or f(x) = exp((N - 1)(x - 1)), applied to overlaps x in [-1, 1].
 */
import { errors, type JsonObject } from '@engram/core';

/** f(x) = x^degree (degree 1: the classical SeqNet). */
export interface PolynomialSeparation {
  kind: 'polynomial';
  /** Positive integer degree d. */
  degree: number;
}

/** f(x) = exp((N - 1)(x - 1)), i.e. exp of the raw overlap sum minus its maximum. */
export interface ExponentialSeparation {
  kind: 'exponential';
}

/** A separation function, as JSON. */
export type Separation = PolynomialSeparation | ExponentialSeparation;

/** Checks a separation spec from user or JSON input; returns a clean copy. */
export function parseSeparation(value: unknown, name = 'separation'): Separation {
  const v = value as { kind?: unknown; degree?: unknown } | null;
  if (!v || typeof v !== 'object') {
    throw errors.invalidArgument(name, "{ kind: 'polynomial', degree } or { kind: 'exponential' }", value);
  }
  if (v.kind === 'exponential') return { kind: 'exponential' };
  if (v.kind === 'polynomial') {
    const d = v.degree;
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 64) {
      throw errors.invalidArgument(`${name}.degree`, 'an integer from 1 to 64', d);
    }
    return { kind: 'polynomial', degree: d };
  }
  throw errors.invalidArgument(`${name}.kind`, "'polynomial' or 'exponential'", v.kind);
}

/** The separation as a JSON object (for getConfig). */
export function separationToJson(s: Separation): JsonObject {
  return s.kind === 'polynomial' ? { kind: 'polynomial', degree: s.degree } : { kind: 'exponential' };
}

/** f evaluated on host numbers (for the bipartite model's docs and tests). */
export function separationValue(s: Separation, x: number, neurons: number): number {
  return s.kind === 'polynomial' ? x ** s.degree : Math.exp((neurons - 1) * (x - 1));
}

/** Short label, e.g. 'poly d=2' or 'exp'. */
export function separationLabel(s: Separation): string {
  return s.kind === 'polynomial' ? (s.degree === 1 ? 'SeqNet (d=1)' : `poly d=${s.degree}`) : 'exp';
}
