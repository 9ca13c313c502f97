/**
 * Loading the built-in plugin packages defensively: a package that fails to
 * import (not built yet, broken) or to register costs a one-line warning, never
 * the whole CLI.
 */
import { createEngram, type Engram, type EngramPlugin } from '@engram/core';

/** The plugin packages shipped with engram, loaded by every command that needs an Engram. */
export const BUILTIN_PLUGIN_PACKAGES: readonly string[] = [
  '@engram/data/node',
  '@engram/hopfield',
  '@engram/sequence/node',
  '@engram/sdm/node',
  '@engram/energy-transformer/node',
  '@engram/diffusion/node',
  '@engram/clam/node',
  '@engram/camelot/node',
];

/**
 * Extra plugin packages named in $ENGRAM_PLUGINS (comma-separated), loaded by the
 * CLI after the built-in ones: third-party plugins need no code change.
 */
export function pluginPackagesFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  return (env['ENGRAM_PLUGINS'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The loaded Engram and the warnings about packages left out. */
export interface LoadedEngram {
  engram: Engram;
  /** One line per plugin package that could not be loaded. */
  warnings: string[];
}

function isPlugin(x: unknown): x is EngramPlugin {
  const p = x as Partial<EngramPlugin> | null;
  return !!p && typeof p === 'object' && typeof p.name === 'string' && typeof p.version === 'string' && typeof p.register === 'function';
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/**
 * Imports each package in `packages` (default {@link BUILTIN_PLUGIN_PACKAGES}) and
 * creates an Engram with every plugin that imports and registers (plus the plugin
 * objects in `extra`, registered first). Failures become
 * warnings: a package that does not import or has no plugin default export is
 * skipped; if registering the set fails, plugins are tried one at a time (with
 * their dependencies) and the offenders are left out.
 */
export async function loadEngram(packages: readonly string[] = BUILTIN_PLUGIN_PACKAGES, extra: readonly EngramPlugin[] = []): Promise<LoadedEngram> {
  const warnings: string[] = [];
  const plugins: EngramPlugin[] = [];
  for (const p of extra) {
    if (isPlugin(p)) plugins.push(p);
    else warnings.push(`an extra plugin passed to the CLI is not a plugin object; skipped`);
  }
  for (const name of packages) {
    try {
      const mod = (await import(name)) as { default?: unknown };
      if (!isPlugin(mod.default)) {
        warnings.push(`plugin package '${name}' has no plugin as its default export yet; skipped`);
        continue;
      }
      plugins.push(mod.default);
    } catch (err) {
      warnings.push(`plugin package '${name}' failed to import (${firstLine(err)}); skipped`);
    }
  }
  try {
    return { engram: await createEngram({ plugins }), warnings };
  } catch {
    // Find the plugins that register on their own (with whatever they depend on).
    const good: EngramPlugin[] = [];
    for (const p of plugins) {
      try {
        await createEngram({ plugins: [...good, p] });
        good.push(p);
      } catch (err) {
        warnings.push(`plugin '${p.name}' failed to load (${firstLine(err)}); skipped`);
      }
    }
    return { engram: await createEngram({ plugins: good }), warnings };
  }
}
