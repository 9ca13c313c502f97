/**
 * Runs one of the plugin's commands with its options given as one JSON
 * argument, checked by the command's own options schema (what the engram CLI
 * does with flags), on the wasm backend:
 *
 *   npx tsx --conditions=engram-source plugins/energy-transformer/examples/run-command.ts et-graph '{"nodes":600}'
 *
 * Exit codes as the CLI's: 2 for bad options, 1 for a failed command.
 */
import { createEngram, initBackend, isEngramError, parseConfig } from '@engram/core';
import dataPlugin from '@engram/data/node';
import et from '../src/node/index.js';

const [name, json] = process.argv.slice(2);
try {
  await initBackend({ backend: 'wasm' });
  const engram = await createEngram({ plugins: [dataPlugin, et] });
  const command = engram.commands().find((c) => c.name === name);
  if (!command) throw new Error(`unknown command '${name}' (one of ${engram.commands().map((c) => c.name).join(', ')})`);
  let options: unknown;
  try {
    options = parseConfig(command.options, JSON.parse(json ?? '{}'), `engram ${name}`, 'options');
  } catch (err) {
    process.stderr.write(`${name}: ${(err as Error).message}\n`);
    process.exit(2);
  }
  process.exitCode = await command.run({ options: options as never, positionals: [] }, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  }, engram);
} catch (err) {
  process.stderr.write(`${name}: ${isEngramError(err) ? err.message : String((err as Error)?.stack ?? err)}\n`);
  process.exitCode = 1;
}
