import { EngramError, ErrorCodes } from '../errors/index.js';
import { initBackend, type BackendName } from '../backend/backend.js';
import { installGradientFixes } from '../numerics/gradient-fixes.js';
import { coreVersion } from '../version.js';
import { corePlugin } from './core-plugin.js';
import { Engram } from './engram.js';
import { assertCoreRange, assertPluginShape, importPlugin, orderPlugins } from './plugin-loading.js';
import type { EngramPlugin } from './plugin.js';

/** Options of {@link createEngram}. */
export interface CreateEngramOptions {
  /** Plugin objects, or package names whose default export is a plugin. */
  plugins?: ReadonlyArray<EngramPlugin | string>;
  /** Backend to select first (see initBackend); false leaves the tfjs backend alone (default). */
  backend?: BackendName | false;
}

/**
 * Loads plugins and returns an {@link Engram} that resolves everything by id.
 * Each plugin's supported core range is checked before any of its code runs;
 * duplicates, missing dependencies and unknown packages are rejected with coded
 * errors. The core's own parts are registered as the plugin 'core'.
 */
export async function createEngram(options: CreateEngramOptions = {}): Promise<Engram> {
  installGradientFixes();
  if (options.backend) await initBackend({ backend: options.backend });
  const plugins: EngramPlugin[] = [];
  for (const entry of options.plugins ?? []) {
    if (typeof entry === 'string') plugins.push(await importPlugin(entry));
    else {
      assertPluginShape(entry, 'a plugin passed to createEngram');
      plugins.push(entry);
    }
  }
  for (const p of plugins) {
    if (p.name === 'core') {
      throw new EngramError(ErrorCodes.DUPLICATE_PLUGIN, "the plugin name 'core' is reserved for @engram/core's own parts: rename the plugin", { plugin: 'core' });
    }
    assertCoreRange(p, coreVersion);
  }
  const engram = new Engram(coreVersion);
  for (const p of orderPlugins([corePlugin(coreVersion), ...plugins])) await engram.registerPlugin(p);
  return engram;
}
