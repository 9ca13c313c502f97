/**
 * Runs `engram camelot` without the CLI (which is being rewritten):
 *   cd plugins/camelot && nice -n 10 node --conditions=engram-source --import tsx scripts/camelot.mts '{"quick":true}'
 * The argument is the command's options as JSON (keys as in `engram camelot --help`).
 */
import { createEngram, initBackend, parseConfig } from '@engram/core';
import { camelotPlugin } from '../src/node/plugin.ts';
import { camelotCommandOptions, runCamelotCommand } from '../src/node/commands/camelot-command.ts';

await initBackend();
const engram = await createEngram({ plugins: [camelotPlugin] });
const options = parseConfig(camelotCommandOptions, JSON.parse(process.argv[2] ?? '{}'), 'camelot command', 'options');
const io = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t), isTTY: false, cwd: process.cwd() };
const t0 = Date.now();
const code = await runCamelotCommand({ options, positionals: [] }, io, engram);
process.stderr.write(`exit ${code} after ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
process.exitCode = code;
