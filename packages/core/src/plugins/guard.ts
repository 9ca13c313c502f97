import { EngramError, ErrorCodes } from '../errors/index.js';

/**
 * Runs plugin code. An EngramError passes through (it already names what is
 * wrong); anything else is wrapped with the plugin's name and the hook it came
 * from, keeping the original as `cause`.
 */
export function guard<T>(plugin: string, hook: string, fn: () => T): T {
  try {
    const out = fn();
    if (out instanceof Promise) return out.catch((err: unknown) => Promise.reject(wrap(plugin, hook, err))) as T;
    return out;
  } catch (err) {
    throw wrap(plugin, hook, err);
  }
}

function wrap(plugin: string, hook: string, err: unknown): unknown {
  if (err instanceof EngramError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new EngramError(ErrorCodes.PLUGIN_HOOK, `plugin '${plugin}' failed in ${hook}: ${msg}`, { plugin, hook }, { cause: err });
}
