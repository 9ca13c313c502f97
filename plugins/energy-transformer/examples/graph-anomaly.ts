/**
 * Graph anomaly detection with the graph Energy Transformer on a seeded
 * PyGOD-style benchmark (injected cliques and contextual outliers), against a
 * feature-only MLP and a degree/feature heuristic in the same run.
 *
 *   npx tsx plugins/energy-transformer/examples/graph-anomaly.ts [et-graph options]
 *   e.g. --nodes 600 --steps 12 --out engram-out/et-graph
 */
import { initBackend } from '@engram/core';
import { etGraphCommand } from '../src/index.js';

await initBackend({ backend: 'wasm' });
process.exitCode = await etGraphCommand(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
});
