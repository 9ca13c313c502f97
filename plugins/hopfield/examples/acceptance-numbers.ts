/**
 * Prints the measured figures behind the plugin's tests (capacity of the
 * classical and dense networks, one-step retrieval of the modern network,
 * DrDAM's energy error against the number of random features) and the run time:
 *
 *   npx tsx --conditions=engram-source plugins/hopfield/examples/acceptance-numbers.ts [--quick]
 */
import { pathToFileURL } from 'node:url';
import { initBackend } from '@engram/core';
import { acceptanceNumbers } from '../src/index.js';

/** Measures and prints; returns the figures by name. */
export async function main(args: readonly string[] = [], log: (s: string) => void = console.log): Promise<Record<string, number>> {
  await initBackend({ backend: 'wasm' });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const res = await acceptanceNumbers({ quick: args.includes('--quick'), log });
  const cpu = process.cpuUsage(cpu0);
  log(`measured in ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`);
  return res;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
