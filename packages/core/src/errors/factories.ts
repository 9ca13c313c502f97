/**
 * Message templates for the error catalogue. Each factory names what failed, what
 * was expected and what was found, and says what to do about it.
 */
import { ErrorCodes } from './codes.js';
import { EngramError } from './engram-error.js';

const list = (xs: readonly string[]): string => (xs.length === 0 ? '(none)' : xs.join(', '));

/** A kind id (Lagrangian, synapse, model, data set, command) that no loaded plugin registered. */
export function unknownKind(registry: string, id: string, known: readonly string[]): EngramError {
  const plugin = id.includes('/') ? id.slice(0, id.indexOf('/')) : undefined;
  const hint = plugin
    ? `load the plugin that provides it (plugin '${plugin}') with createEngram({ plugins: [...] })`
    : `use a namespaced id such as 'core/${id}'`;
  return new EngramError(
    ErrorCodes.UNKNOWN_KIND,
    `unknown ${registry} '${id}': ${hint}. Registered ${registry} ids: ${list(known)}`,
    { registry, id, plugin, known },
  );
}

/** A tensor or array whose shape is not the one required. */
export function shapeMismatch(what: string, expected: readonly (number | string)[], actual: readonly number[]): EngramError {
  return new EngramError(
    ErrorCodes.SHAPE_MISMATCH,
    `${what} has shape [${actual.join(', ')}] but [${expected.join(', ')}] was expected`,
    { what, expected, actual },
  );
}

/** An argument outside its allowed values. */
export function invalidArgument(name: string, expected: string, actual: unknown): EngramError {
  let shown: string;
  try {
    shown = typeof actual === 'string' ? `'${actual}'` : JSON.stringify(actual) ?? String(actual);
  } catch {
    shown = String(actual);
  }
  return new EngramError(ErrorCodes.INVALID_ARGUMENT, `${name} must be ${expected}, got ${shown}`, {
    name,
    expected,
    actual,
  });
}

/** NaN or infinity found in an input. */
export function nonFiniteInput(what: string): EngramError {
  return new EngramError(
    ErrorCodes.NON_FINITE,
    `${what} contains NaN or infinite values: clean the input (e.g. replace missing entries and clamp them with a mask)`,
    { what },
  );
}

/** The dynamics produced a non-finite energy or state. */
export function diverged(step: number, what: string): EngramError {
  return new EngramError(
    ErrorCodes.DIVERGED,
    `dynamics diverged at step ${step}: ${what} is not finite; lower the step size dt or check the synapse scales`,
    { step, what },
  );
}

/** A call on something already disposed. */
export function disposed(what: string): EngramError {
  return new EngramError(ErrorCodes.DISPOSED, `${what} was already disposed and cannot be used`, { what });
}
