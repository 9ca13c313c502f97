export { flagsOf, kebab, placeholder, type Flag, type FlagKind } from './flags.js';
export { parseCommandLine, GLOBAL_FLAGS, type ParsedCommandLine } from './parse.js';
export { helpText, type HelpSource } from './help.js';
