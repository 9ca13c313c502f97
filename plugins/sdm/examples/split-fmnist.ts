/**
 * Class-incremental Split Fashion-MNIST with the SDMLP and its baselines.
 *
 *   npx tsx plugins/sdm/examples/split-fmnist.ts [split-fmnist options]
 *
 * Same options as `engram split-fmnist` (see --help); prints the table and
 * writes results.json, table.txt and accuracy.svg under --out
 * (default ./engram-out/split-fmnist). Uses the full Fashion-MNIST when
 * installed (sudo apt-get install dataset-fashion-mnist), else the committed subset.
 */
import { type CommandIO, initBackend } from '@engram/core';
import { runSplitCommand } from '../src/index.js';

/** Runs the example with the given arguments (output to the terminal unless `io` is given); resolves to the exit code. */
export async function main(args: readonly string[], io?: CommandIO): Promise<number> {
  await initBackend();
  return runSplitCommand(
    args,
    io ?? {
      stdout: (t) => void process.stdout.write(t),
      stderr: (t) => void process.stderr.write(t),
      isTTY: process.stdout.isTTY === true,
      cwd: process.cwd(),
    },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
