/**
 * The `engram` command line: dispatches to the built-in subcommands and to the
 * commands plugins contribute; turns every error into one line on stderr and
 * an exit code.
 */
import type { Engram } from '@engram/core';
import { demoCommand } from './commands/demo.js';
import { pluginsCommand } from './commands/plugins.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { trainCommand } from './commands/train.js';
import type { CliCommand, CliContext } from './commands/types.js';
import { ExitCode, formatError, UsageError } from './errors.js';
import { nodeIo, type CliIO } from './io.js';
import { loadEngram } from './plugins.js';
import { cliVersion } from './version.js';

/** The built-in subcommands, in help order. */
export const builtinCommands: readonly CliCommand[] = [demoCommand, runCommand, trainCommand, pluginsCommand, serveCommand];

function helpText(engram: Engram | undefined, warnings: readonly string[]): string {
  const lines = [
    `engram ${cliVersion}: energy-based associative memories on TensorFlow.js`,
    '',
    'Usage: engram [--verbose] <command> [options]',
    '',
    'Commands:',
    ...builtinCommands.map((c) => `  ${c.name.padEnd(16)} ${c.description}`),
  ];
  const plugin = engram?.commands() ?? [];
  if (plugin.length > 0) {
    lines.push('', 'Commands from plugins:');
    for (const c of plugin) lines.push(`  ${c.name.padEnd(16)} ${c.description ?? ''} [${c.plugin}]`);
  }
  for (const w of warnings) lines.push(`(warning: ${w})`);
  lines.push(
    '',
    'Global options:',
    '  -h, --help       help (also after any command: engram <command> --help)',
    '  -v, --verbose    print stack traces with errors',
    '  --version        print the version',
    '',
  );
  return lines.join('\n');
}

/**
 * Runs the CLI on `argv` (the arguments after the program name) and resolves to
 * the exit code. Never throws and never calls process.exit: the bin does that.
 */
export async function main(argv: readonly string[], io: CliIO = nodeIo()): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const args = argv.filter((a) => a !== '--verbose' && a !== '-v');
  let loaded: Promise<{ engram: Engram; warnings: string[] }> | undefined;
  const load = (): Promise<{ engram: Engram; warnings: string[] }> => {
    loaded ??= loadEngram().then((l) => {
      for (const w of l.warnings) io.stderr(`engram: warning: ${w}\n`);
      return l;
    });
    return loaded;
  };
  const ctx: CliContext = { verbose, engram: async () => (await load()).engram };
  const name = args[0];
  // Set once `name` is a real command, so that errors name it (and its --help).
  let resolved: string | undefined;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const l = await load();
      io.stdout(helpText(l.engram, []));
      return name === undefined ? ExitCode.usage : ExitCode.ok;
    }
    if (name === '--version') {
      io.stdout(`${cliVersion}\n`);
      return ExitCode.ok;
    }
    if (name.startsWith('-')) throw new UsageError(`unknown option '${name}' before the command`);
    const builtin = builtinCommands.find((c) => c.name === name);
    if (builtin) {
      resolved = name;
      return await builtin.run(args.slice(1), io, ctx);
    }
    const engram = await ctx.engram();
    const matches = engram.commands().filter((c) => c.name === name || c.id === name);
    if (matches.length === 0) {
      const known = [...builtinCommands.map((c) => c.name), ...engram.commands().map((c) => c.name)];
      throw new UsageError(`unknown command '${name}' (commands: ${known.join(', ')})`);
    }
    if (matches.length > 1) {
      throw new UsageError(`command '${name}' is contributed by several plugins: use one of ${matches.map((c) => c.id).join(', ')}`);
    }
    const cmd = matches[0]!;
    resolved = name;
    const rest = args.slice(1);
    if ((rest.includes('--help') || rest.includes('-h')) && cmd.usage) {
      io.stdout(cmd.usage.endsWith('\n') ? cmd.usage : `${cmd.usage}\n`);
      return ExitCode.ok;
    }
    return await cmd.run(rest, io, engram);
  } catch (err) {
    io.stderr(formatError(err, verbose, resolved));
    return err instanceof UsageError ? ExitCode.usage : ExitCode.failure;
  }
}
