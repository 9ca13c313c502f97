/**
 * The sequence-capacity experiment of Chaudhry et al. (2023) for the
 * polynomial DenseNet (d = 1, 2, 3; d = 1 is SeqNet): measured capacity against
 * N with the theory curves. Same as `engram capacity`.
 *
 *   npx tsx plugins/sequence/examples/capacity.ts --ns 10,20,30 --degrees 1,2 --out /tmp/cap
 */
import { initBackend } from '@engram/core';
import { runCapacityCommand } from '@engram/sequence';

await initBackend({ backend: 'wasm' });
const code = await runCapacityCommand(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
  cwd: process.cwd(),
});
process.exitCode = code;
