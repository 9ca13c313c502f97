/**
 * Runs one of the plugin's experiment commands without the CLI:
 *
 *   npx tsx --conditions=engram-source plugins/diffusion/examples/run-experiment.ts diffusion-sweep [--out DIR ...]
 *   npx tsx --conditions=engram-source plugins/diffusion/examples/run-experiment.ts diffusion-manifold [...]
 *
 * (the same as `engram diffusion-sweep ...` through @engram/cli).
 */
import { pathToFileURL } from 'node:url';
import { createEngram, initBackend, type CommandIO } from '@engram/core';
import diffusion from '../src/index.js';

/** Runs `command` with `args`; returns the exit code. */
export async function main(command: string, args: readonly string[], io?: CommandIO): Promise<number> {
  await initBackend({ backend: 'wasm' });
  const engram = await createEngram({ plugins: [diffusion] });
  const cmd = engram.find('command', `diffusion/${command}`);
  if (!cmd) throw new Error(`unknown command '${command}': use diffusion-sweep or diffusion-manifold`);
  const out: CommandIO = io ?? { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), isTTY: !!process.stdout.isTTY, cwd: process.cwd() };
  return cmd.run(args, out, engram);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command = 'diffusion-sweep', ...rest] = process.argv.slice(2);
  process.exitCode = await main(command, rest);
}
