/**
 * The sequence-capacity experiment of Chaudhry et al. (2023) for the
 * polynomial DenseNet (d = 1, 2, 3; d = 1 is SeqNet) without the CLI: the same
 * body as `engram capacity`, with the options given as one JSON object
 * (checked by the command's schema; keys as the CLI's flags in camelCase).
 *
 *   npx tsx --conditions=engram-source plugins/sequence/examples/capacity.ts '{"sizes":[10,20,30],"degrees":[1,2],"out":"/tmp/cap"}'
 */
import { EngramError, initBackend, parseConfig } from '@engram/core';
import { capacityCommand, capacityOptionsSchema } from '@engram/sequence/node';

await initBackend({ backend: 'wasm' });
const io = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t), isTTY: Boolean(process.stdout.isTTY), cwd: process.cwd() };
try {
  let given: unknown;
  try {
    given = JSON.parse(process.argv[2] ?? '{}');
  } catch (err) {
    throw new Error(`the options must be one JSON object, e.g. '{"sizes":[10,20]}' (${(err as Error).message})`);
  }
  const options = parseConfig(capacityOptionsSchema, given, 'examples/capacity.ts', 'options');
  process.exitCode = await capacityCommand({ options, positionals: [] }, io);
} catch (err) {
  io.stderr(`${err instanceof EngramError ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
