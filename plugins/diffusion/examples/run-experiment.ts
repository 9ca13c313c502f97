/**
 * Runs one of the plugin's experiment commands without the CLI, with its
 * options as one JSON object (checked by the command's option schema, like the
 * CLI's flags):
 *
 *   npx tsx --conditions=engram-source plugins/diffusion/examples/run-experiment.ts diffusion-sweep '{"out": "/tmp/sweep"}'
 *   npx tsx --conditions=engram-source plugins/diffusion/examples/run-experiment.ts diffusion-manifold '{"ns": [4, 8], "steps": 200}'
 *
 * (the same as `engram diffusion-sweep --out /tmp/sweep` through @engram/cli).
 */
import { pathToFileURL } from 'node:url';
import { createEngram, initBackend, parseConfig, type CommandIO } from '@engram/core';
import diffusion from '../src/node/index.js';

/** Runs `command` with `options`; resolves to the exit code. */
export async function main(command: string, options: Record<string, unknown> = {}, io?: CommandIO): Promise<number> {
  await initBackend({ backend: 'wasm' });
  const engram = await createEngram({ plugins: [diffusion] });
  const cmd = engram.get('command', `diffusion/${command}`);
  const out: CommandIO = io ?? { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), isTTY: !!process.stdout.isTTY, cwd: process.cwd() };
  return cmd.run({ options: parseConfig(cmd.options, options, `command ${command}`, 'options') as never, positionals: [] }, out, engram);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command = 'diffusion-sweep', json = '{}'] = process.argv.slice(2);
  process.exitCode = await main(command, JSON.parse(json) as Record<string, unknown>);
}
