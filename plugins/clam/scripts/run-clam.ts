/**
 * Runs the `engram clam` command without the CLI (which is being rewritten):
 * the options are one JSON object, checked against the command's schema, e.g.
 *
 *   node --conditions=engram-source --import=tsx scripts/run-clam.ts '{"epochs":20,"fashionMnist":true}'
 *
 * Backend: wasm, as the CLI does.
 */
import { createEngram, parseConfig } from '@engram/core';
import { clamCommandOptions, clamPlugin } from '../src/node/index.js';

const engram = await createEngram({ plugins: [clamPlugin], backend: 'wasm' });
const command = engram.commands().find((c) => c.id === 'clam/clam')!;
const options = parseConfig(clamCommandOptions, JSON.parse(process.argv[2] ?? '{}'), 'clam', 'options');
const t = Date.now();
const code = await command.run({ options, positionals: [] } as never, { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), isTTY: false, cwd: process.cwd() }, engram);
process.stderr.write(`exit ${code} after ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
process.exit(code);
