/** The model kinds of a registry, as the UI lists them (from the registry itself, so third-party plugins appear too). */
import type { Engram } from '@engram/core';
import type { KindInfo } from './protocol.js';

/** Every registered model kind with its JSON Schema and example config. */
export function kindsOf(engram: Engram): KindInfo[] {
  return engram.ids('model').map((id) => {
    const c = engram.get('model', id);
    return {
      id,
      plugin: c.plugin,
      description: c.description ?? '',
      schema: engram.configSchema('model', id) as Record<string, unknown>,
      example: c.example as Record<string, unknown>,
    };
  });
}
