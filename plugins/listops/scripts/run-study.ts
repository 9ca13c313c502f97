/**
 * Runs `engram listops` without the CLI (e.g. from a checkout, on sources): the
 * options come as one JSON object, checked by the command's own schema.
 *
 *   npx tsx --conditions=engram-source scripts/run-study.ts '{"quick":true}'
 *   nice -n 10 npx tsx --conditions=engram-source scripts/run-study.ts '{}'
 */
import { createEngram, initBackend, parseConfig } from '@engram/core';
import { listOpsCommand, listOpsPlugin } from '../src/node/index.js';

await initBackend({ backend: 'wasm' });
const engram = await createEngram({ plugins: [listOpsPlugin] });
const options = parseConfig(listOpsCommand.options, JSON.parse(process.argv[2] ?? '{}'), 'listops', 'options');
const code = await listOpsCommand.run(
  { options, positionals: [] },
  { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), isTTY: false, cwd: process.cwd() },
  engram,
);
process.exit(code);
