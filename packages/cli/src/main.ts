/**
 * The `engram` command line: one parser, one help style and one set of exit
 * codes for the built-in commands and the commands plugins contribute (0 ok,
 * 1 failed command, 2 wrong command line); the backend is initialised before
 * any command runs and reported on stderr.
 */
import { backendInfo, initBackend, type BackendName, type CommandContribution, type Engram, type EngramPlugin } from '@engram/core';
import { flagsOf, helpText, parseCommandLine } from './command-line/index.js';
import { createCommand } from './commands/create.js';
import { demoCommand } from './commands/demo.js';
import { pluginsCommand } from './commands/plugins.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { serveCommand } from './commands/serve.js';
import { trainCommand } from './commands/train.js';
import type { CliCommand, CliContext } from './commands/types.js';
import { ExitCode, formatError, UsageError } from './errors.js';
import { nodeIo, type CliIO } from './io.js';
import { BUILTIN_PLUGIN_PACKAGES, loadEngram, pluginPackagesFromEnv } from './plugins.js';
import { cliVersion } from './version.js';

/** The built-in subcommands, in help order. */
export const builtinCommands: readonly CliCommand[] = [demoCommand, runCommand, trainCommand, serveCommand, createCommand, schemaCommand, pluginsCommand] as readonly CliCommand[];

const BACKENDS: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow'];

function helpOverview(engram: Engram | undefined): string {
  const lines = [
    `engram ${cliVersion}: energy-based associative memories on TensorFlow.js`,
    '',
    'Usage: engram [global options] <command> [options]',
    '',
    'Commands:',
    ...builtinCommands.map((c) => `  ${c.name.padEnd(20)} ${c.description}`),
  ];
  const plugin = engram?.commands() ?? [];
  if (plugin.length > 0) {
    lines.push('', 'Commands from plugins:');
    for (const c of plugin) lines.push(`  ${c.name.padEnd(20)} ${c.description} [${c.plugin}]`);
  }
  lines.push(
    '',
    'Global options (anywhere on the line):',
    '  --backend NAME       wasm | cpu | tensorflow (default $ENGRAM_BACKEND, else wasm)',
    '  -v, --verbose        print stack traces with errors',
    '  --plugin NAME        also load this plugin package (repeatable; or $ENGRAM_PLUGINS=a,b)',
    '  -h, --help           help (also after any command: engram <command> --help)',
    '  --version            print the version',
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

interface GlobalFlags {
  verbose: boolean;
  backend?: string;
  plugins: string[];
  args: string[];
}

/** Takes the global flags (--verbose, --backend NAME, --plugin NAME) out of the arguments, wherever they are. */
function globalFlags(argv: readonly string[]): GlobalFlags {
  const out: GlobalFlags = { verbose: false, plugins: [], args: [] };
  const value = (i: number, flag: string): string => {
    const v = argv[i];
    if (v === undefined || v.startsWith('-')) throw new UsageError(`option '${flag}' needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.args.push(...argv.slice(i));
      break;
    }
    if (a === '--verbose' || a === '-v') out.verbose = true;
    else if (a === '--backend') out.backend = value(++i, '--backend');
    else if (a.startsWith('--backend=')) out.backend = a.slice('--backend='.length);
    else if (a === '--plugin') out.plugins.push(value(++i, '--plugin'));
    else if (a.startsWith('--plugin=')) out.plugins.push(a.slice('--plugin='.length));
    else out.args.push(a);
  }
  if (out.backend !== undefined && !BACKENDS.includes(out.backend as BackendName)) {
    throw new UsageError(`option --backend must be one of ${BACKENDS.join(', ')}, got '${out.backend}'`);
  }
  return out;
}

/** A plugin's command as a CLI command. */
function fromPlugin(c: CommandContribution): CliCommand {
  return {
    name: c.name,
    description: c.description,
    options: c.options,
    positionals: c.positionals,
    origin: `plugin ${c.plugin}`,
    ...(c.details !== undefined ? { details: c.details } : {}),
    run: async (args, io, ctx) => c.run(args as never, io, await ctx.engram()),
  };
}

/**
 * Runs the CLI on `argv` (the arguments after the program name) and resolves to
 * the exit code. Never throws and never calls process.exit: the bin does that.
 */
export async function main(argv: readonly string[], io: CliIO = nodeIo(), options: MainOptions = {}): Promise<number> {
  let g: GlobalFlags;
  try {
    g = globalFlags(argv);
  } catch (err) {
    io.stderr(formatError(err, false));
    return ExitCode.usage;
  }
  const packages = [...(options.packages ?? [...BUILTIN_PLUGIN_PACKAGES, ...pluginPackagesFromEnv()]), ...g.plugins];
  let loaded: Promise<Engram> | undefined;
  const engram = (): Promise<Engram> => {
    loaded ??= loadEngram(packages, options.plugins ?? []).then((l) => {
      for (const w of l.warnings) io.stderr(`engram: warning: ${w}\n`);
      return l.engram;
    });
    return loaded;
  };
  const name = g.args[0];
  let resolved: string | undefined;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout(helpOverview(await engram()));
      return name === undefined ? ExitCode.usage : ExitCode.ok;
    }
    if (name === '--version') {
      io.stdout(`${cliVersion}\n`);
      return ExitCode.ok;
    }
    if (name.startsWith('-')) throw new UsageError(`unknown option '${name}' before the command`);
    let command = builtinCommands.find((c) => c.name === name);
    if (!command) {
      const all = (await engram()).commands();
      const matches = all.filter((c) => c.name === name || c.id === name);
      if (matches.length === 0) {
        const known = [...builtinCommands.map((c) => c.name), ...all.map((c) => c.name)];
        throw new UsageError(`unknown command '${name}' (commands: ${known.join(', ')})`);
      }
      if (matches.length > 1) throw new UsageError(`command '${name}' is contributed by several plugins: use one of ${matches.map((c) => c.id).join(', ')}`);
      command = fromPlugin(matches[0]!);
    }
    resolved = name;
    const flags = flagsOf(command.options);
    const maxPositionals = command.positionals.length;
    const parsed = parseCommandLine(name, g.args.slice(1), flags, command.options, maxPositionals);
    const backend = await initBackend(g.backend ? { backend: g.backend as BackendName } : {});
    const ctx: CliContext = { verbose: g.verbose, backend, engram };
    if (parsed.help) {
      let text = helpText({ ...command, flags });
      const more = await command.moreHelp?.(parsed.positionals, io, ctx);
      if (more) text += `\n${more.trimEnd()}\n`;
      io.stdout(text);
      return ExitCode.ok;
    }
    const required = command.positionals.filter((p) => p.required !== false);
    if (parsed.positionals.length < required.length) {
      throw new UsageError(`missing <${required[parsed.positionals.length]!.name}>`, name);
    }
    // The backend is reported once, on stderr, when the command first writes: a command that fails
    // before writing anything leaves only its one error line.
    let announced = false;
    const announce = (): void => {
      if (announced) return;
      announced = true;
      io.stderr(`engram ${name}: backend ${backendInfo().description}\n`);
    };
    const commandIo: CliIO = {
      ...io,
      stdout: (t) => {
        announce();
        io.stdout(t);
      },
      stderr: (t) => {
        announce();
        io.stderr(t);
      },
    };
    return await command.run({ options: parsed.options, positionals: parsed.positionals }, commandIo, ctx);
  } catch (err) {
    io.stderr(formatError(err, g.verbose, resolved));
    if (err instanceof UsageError) return ExitCode.usage;
    return ExitCode.failure;
  }
}
