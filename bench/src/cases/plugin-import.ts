/**
 * Plugin workloads are loaded lazily, by name, when their case runs: the
 * plugins are moving their bench hooks to separate entry points
 * ('@engram/sdm/bench', '@engram/sequence/bench', ...), and a plugin that
 * does not load must cost its own case (reported as skipped with the reason),
 * not the whole bench.
 */
export async function importPluginExport<T>(specifiers: readonly string[], name: string): Promise<T> {
  const errors: string[] = [];
  for (const spec of specifiers) {
    try {
      const mod = (await import(/* @vite-ignore */ String(spec))) as Record<string, unknown>;
      if (typeof mod[name] === 'function') return mod[name] as T;
      errors.push(`${spec} has no ${name}`);
    } catch (e) {
      errors.push(`${spec}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  throw new Error(`plugin workload ${name} not available (${errors.join('; ')})`);
}
