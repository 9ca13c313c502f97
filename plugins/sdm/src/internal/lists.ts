/** A list option that also accepts its command-line form, comma-separated ("2,8,32"). */
import { z } from '@engram/core';

/** `inner[]`, given as an array or as a comma-separated string of numbers. */
export function numberList<T extends z.ZodNumber>(inner: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s))) : v),
    z.array(inner).min(1),
  );
}
