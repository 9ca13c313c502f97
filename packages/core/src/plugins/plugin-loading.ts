import semver from 'semver';
import { EngramError, ErrorCodes, errors } from '../errors/index.js';
import type { EngramPlugin } from './plugin.js';

/** Splits 'name@range' (the range is optional; scoped names keep their leading '@'). */
export function parseDependency(dep: string): { name: string; range: string } {
  const at = dep.lastIndexOf('@');
  if (at > 0) return { name: dep.slice(0, at), range: dep.slice(at + 1) };
  return { name: dep, range: '*' };
}

/** Checks the shape of a plugin object; `source` says where it came from for the message. */
export function assertPluginShape(value: unknown, source: string): asserts value is EngramPlugin {
  const p = value as Partial<EngramPlugin> | null;
  const problems: string[] = [];
  if (!p || typeof p !== 'object') problems.push('it is not an object');
  else {
    if (typeof p.name !== 'string' || !/^[a-z0-9][a-z0-9-_.]*$/i.test(p.name)) problems.push("'name' must be a simple string such as 'hopfield'");
    if (typeof p.version !== 'string' || !semver.valid(p.version)) problems.push("'version' must be a semver version");
    if (typeof p.engram !== 'string' || !semver.validRange(p.engram)) problems.push("'engram' must be a semver range of supported core versions");
    if (typeof p.register !== 'function') problems.push("'register' must be a function");
    if (p.dependencies !== undefined && !Array.isArray(p.dependencies)) problems.push("'dependencies' must be an array of plugin names");
  }
  if (problems.length > 0) {
    throw new EngramError(
      ErrorCodes.INVALID_PLUGIN,
      `${source} is not a valid engram plugin: ${problems.join('; ')}. Export definePlugin({ name, version, engram, register }) as the default export`,
      { source, problems },
    );
  }
}

/** Imports a plugin package by name and returns its default export, checked. */
export async function importPlugin(packageName: string): Promise<EngramPlugin> {
  let mod: { default?: unknown; plugin?: unknown };
  try {
    mod = (await import(packageName)) as { default?: unknown; plugin?: unknown };
  } catch (err) {
    throw new EngramError(
      ErrorCodes.PLUGIN_NOT_FOUND,
      `plugin package '${packageName}' could not be imported: ${(err as Error).message}. Install it (npm install ${packageName}) or pass the plugin object itself`,
      { packageName },
      { cause: err },
    );
  }
  const candidate = mod.default ?? mod.plugin;
  assertPluginShape(candidate, `the default export of '${packageName}'`);
  return candidate;
}

/** Rejects a plugin whose supported core range excludes the running core. */
export function assertCoreRange(plugin: EngramPlugin, coreVersion: string): void {
  if (!semver.satisfies(coreVersion, plugin.engram, { includePrerelease: true })) {
    throw new EngramError(
      ErrorCodes.INCOMPATIBLE_CORE,
      `plugin '${plugin.name}'@${plugin.version} supports @engram/core '${plugin.engram}' but this is @engram/core ${coreVersion}: install a version of the plugin built for ${coreVersion}`,
      { plugin: plugin.name, expected: plugin.engram, actual: coreVersion },
    );
  }
}

/**
 * Orders plugins so that each comes after its dependencies, checking that every
 * dependency is present in a satisfying version and that names are unique.
 */
export function orderPlugins(plugins: readonly EngramPlugin[]): EngramPlugin[] {
  const byName = new Map<string, EngramPlugin>();
  for (const p of plugins) {
    if (byName.has(p.name)) {
      throw new EngramError(
        ErrorCodes.DUPLICATE_PLUGIN,
        `plugin '${p.name}' is loaded twice (versions ${byName.get(p.name)!.version} and ${p.version}): list it once`,
        { plugin: p.name },
      );
    }
    byName.set(p.name, p);
  }
  const ordered: EngramPlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: EngramPlugin, chain: string[]): void => {
    if (state.get(p.name) === 'done') return;
    if (state.get(p.name) === 'visiting') {
      throw errors.invalidArgument('plugin dependencies', 'acyclic', [...chain, p.name].join(' -> '));
    }
    state.set(p.name, 'visiting');
    for (const dep of p.dependencies ?? []) {
      const { name, range } = parseDependency(dep);
      const d = byName.get(name);
      if (!d) {
        throw new EngramError(
          ErrorCodes.MISSING_DEPENDENCY,
          `plugin '${p.name}' needs plugin '${name}' (${range}), which is not loaded: add it to createEngram({ plugins })`,
          { plugin: p.name, dependency: name, expected: range },
        );
      }
      if (!semver.satisfies(d.version, range, { includePrerelease: true })) {
        throw new EngramError(
          ErrorCodes.MISSING_DEPENDENCY,
          `plugin '${p.name}' needs plugin '${name}' ${range} but ${d.version} is loaded`,
          { plugin: p.name, dependency: name, expected: range, actual: d.version },
        );
      }
      visit(d, [...chain, p.name]);
    }
    state.set(p.name, 'done');
    ordered.push(p);
  };
  for (const p of plugins) visit(p, []);
  return ordered;
}
