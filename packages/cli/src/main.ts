/**
 * The `engram` command line: dispatches to the built-in subcommands and to the
 * commands plugins contribute; turns every error into one line on stderr and
 * an exit code.
 */
import type { Engram, EngramPlugin } from '@engram/core';
import { demoCommand } from './commands/demo.js';
import { pluginsCommand } from './commands/plugins.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { trainCommand } from './commands/train.js';
import type { CliCommand, CliContext } from './commands/types.js';
import { ExitCode, formatError, UsageError } from './errors.js';
import { nodeIo, type CliIO } from './io.js';
import { BUILTIN_PLUGIN_PACKAGES, loadEngram, pluginPackagesFromEnv } from './plugins.js';
import { cliVersion } from './version.js';

/** The built-in subcommands, in help order. */
export const builtinCommands: readonly CliCommand[] = [demoCommand, runCommand, trainCommand, pluginsCommand, serveCommand];

function helpText(engram: Engram | undefined, warnings: readonly string[]): string {
  const lines = [
    `engram ${cliVersion}: energy-based associative memories on TensorFlow.js`,
    '',
    'Usage: engram [--verbose] [--plugin NAME] <command> [options]',
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
    '  --plugin NAME    also load this plugin package (repeatable; or $ENGRAM_PLUGINS=a,b)',
    '  --version        print the version',
    '',
  );
  return lines.join('\n');
}

/** Options of {@link main} for embedding. */
export interface MainOptions {
  /** Plugin objects to load besides the built-in packages (tests, embedding). */
  plugins?: readonly EngramPlugin[];
  /** Plugin packages to load (default: the built-in ones, then $ENGRAM_PLUGINS). */
  packages?: readonly string[];
}

/** Splits the global flags (--verbose, --plugin NAME) off the arguments, before the command. */
function globalFlags(argv: readonly string[]): { verbose: boolean; plugins: string[]; args: string[] } {
  const args: string[] = [];
  const plugins: string[] = [];
  let verbose = false;
  let seenCommand = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--verbose' || a === '-v') verbose = true;
    else if (!seenCommand && a === '--plugin') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('-')) throw new UsageError("option '--plugin' needs a package name");
      plugins.push(v);
    } else if (!seenCommand && a.startsWith('--plugin=')) plugins.push(a.slice('--plugin='.length));
    else {
      if (!a.startsWith('-')) seenCommand = true;
      args.push(a);
    }
  }
  return { verbose, plugins, args };
}

/**
 * Runs the CLI on `argv` (the arguments after the program name) and resolves to
 * the exit code. Never throws and never calls process.exit: the bin does that.
 */
export async function main(argv: readonly string[], io: CliIO = nodeIo(), options: MainOptions = {}): Promise<number> {
  let parsed: ReturnType<typeof globalFlags>;
  try {
    parsed = globalFlags(argv);
  } catch (err) {
    io.stderr(formatError(err, false));
    return ExitCode.usage;
  }
  const { verbose, args } = parsed;
  const packages = [...(options.packages ?? [...BUILTIN_PLUGIN_PACKAGES, ...pluginPackagesFromEnv()]), ...parsed.plugins];
  let loaded: Promise<{ engram: Engram; warnings: string[] }> | undefined;
  const load = (): Promise<{ engram: Engram; warnings: string[] }> => {
    loaded ??= loadEngram(packages, options.plugins ?? []).then((l) => {
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
