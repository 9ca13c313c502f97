/** `--help` text of a command, from its flags, positionals and details: one style for every command. */
import type { PositionalSpec } from '@engram/core';
import { placeholder, type Flag } from './flags.js';

/** What the help text is built from. */
export interface HelpSource {
  readonly name: string;
  readonly description: string;
  readonly flags: readonly Flag[];
  readonly positionals: readonly PositionalSpec[];
  readonly details?: string;
  /** Where a plugin command comes from, e.g. 'plugin sequence'. */
  readonly origin?: string;
}

const wrap = (text: string, width: number, indent: string): string[] => {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l));
};

const shownDefault = (v: unknown): string => (Array.isArray(v) ? v.join(',') : typeof v === 'string' ? v : JSON.stringify(v));

/** The help text. */
export function helpText(src: HelpSource): string {
  const pos = src.positionals.map((p) => (p.required === false ? `[${p.name}]` : `<${p.name}>`)).join(' ');
  const lines = [`Usage: engram ${src.name}${pos ? ` ${pos}` : ''} [options]`, '', ...wrap(src.description, 78, ''), ''];
  if (src.origin) lines.push(`(from ${src.origin})`, '');
  if (src.positionals.length > 0) {
    lines.push('Arguments:');
    for (const p of src.positionals) lines.push(`  ${p.name.padEnd(22)} ${wrap(p.description, 54, ' '.repeat(25)).join('\n')}`);
    lines.push('');
  }
  lines.push('Options:');
  for (const f of src.flags) {
    const ph = placeholder(f);
    const left = `  --${f.name}${ph ? ` ${ph}` : ''}`;
    const dflt = f.default !== undefined && f.kind !== 'boolean' && !(Array.isArray(f.default) && f.default.length === 0) ? ` (default ${shownDefault(f.default)})` : f.required ? ' (required)' : '';
    const text = wrap(`${f.description}${dflt}`, 52, ' '.repeat(27)).join('\n');
    lines.push(left.length >= 26 ? `${left}\n${' '.repeat(27)}${text}` : `${left.padEnd(26)} ${text}`);
  }
  lines.push(
    `  ${'--backend wasm|cpu|tensorflow'.padEnd(24)} backend (default $ENGRAM_BACKEND, else wasm)`,
    `  ${'-v, --verbose'.padEnd(24)} print stack traces with errors`,
    `  ${'-h, --help'.padEnd(24)} this text`,
  );
  if (src.details) lines.push('', src.details.trimEnd());
  return `${lines.join('\n')}\n`;
}
