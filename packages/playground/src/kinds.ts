/** The model kinds of a registry, as the UI lists them (from the registry itself, so third-party plugins appear too). */
import { toJsonSchema, type Engram } from '@engram/core';
import type { KindInfo } from './protocol.js';

/** The run keys every model takes (core's), shown by the playground's own controls. */
const CORE_RUN_KEYS = new Set(['initial', 'clamp', 'maxSteps', 'dt', 'tolerance', 'energyTolerance', 'every', 'snapshot', 'energyTree', 'yieldEvery', 'scheduler', 'onFinal']);

/** Every registered model kind with its config schema, example, own run keys and faces (read from an example instance). */
export async function kindsOf(engram: Engram): Promise<KindInfo[]> {
  const out: KindInfo[] = [];
  for (const id of engram.ids('model')) {
    const c = engram.get('model', id);
    let runSchema: Record<string, unknown> = { type: 'object', properties: {} };
    let memory = false;
    let trainable = false;
    try {
      const m = await engram.createModel(id, c.example);
      const full = toJsonSchema(m.runSchema) as { properties?: Record<string, unknown> };
      runSchema = { type: 'object', properties: Object.fromEntries(Object.entries(full.properties ?? {}).filter(([k]) => !CORE_RUN_KEYS.has(k))) };
      memory = typeof m.store === 'function';
      trainable = m.training !== undefined;
      m.dispose();
    } catch {
      // A kind whose example cannot be built here still shows, without its run keys.
    }
    out.push({ id, plugin: c.plugin, description: c.description ?? '', schema: engram.configSchema('model', id) as Record<string, unknown>, example: c.example as Record<string, unknown>, runSchema, memory, trainable });
  }
  return out;
}
