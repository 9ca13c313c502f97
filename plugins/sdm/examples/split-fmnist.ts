/**
 * Class-incremental Split Fashion-MNIST with the SDMLP and its baselines,
 * without the CLI; the options are one JSON object, checked by the command's
 * schema (the same keys as `engram split-fmnist --help`):
 *
 *   npx tsx --conditions=engram-source plugins/sdm/examples/split-fmnist.ts '{"out": "engram-out/split-fmnist"}'
 *   npx tsx --conditions=engram-source plugins/sdm/examples/split-fmnist.ts '{"models": ["sdmlp-sgdm", "sdmlp-adam"]}'
 *
 * Prints the table and writes results.json, table.txt and accuracy.svg under
 * `out`. Uses the full Fashion-MNIST when installed (apt-get install
 * dataset-fashion-mnist), else the committed subset.
 */
import { pathToFileURL } from 'node:url';
import { type CommandIO, createEngram, initBackend, parseConfig } from '@engram/core';
import sdm, { splitCommandOptions } from '../src/node/index.js';

/** Runs the experiment with the given options (output to the terminal unless `io` is given); resolves to the exit code. */
export async function main(options: Record<string, unknown> = {}, io?: CommandIO): Promise<number> {
  await initBackend({ backend: 'wasm' });
  const engram = await createEngram({ plugins: [sdm] });
  const out: CommandIO = io ?? { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t), isTTY: process.stdout.isTTY === true, cwd: process.cwd() };
  return engram.get('command', 'sdm/split-fmnist').run({ options: parseConfig(splitCommandOptions, options, 'split-fmnist', 'options') as never, positionals: [] }, out, engram);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>);
}
